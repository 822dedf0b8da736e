/**
 * The HLS master playlist of a task with several languages (issue 13): one video-only
 * variant, the audio renditions (each dub and the original sound) and the WebVTT subtitle
 * renditions as EXT-X-MEDIA groups the player switches between without reloading video.
 */
import { PipelineError } from "../errors";
import { isSafeUri } from "./playlist";

export interface MasterVideo {
  /** The video-only media playlist. */
  uri: string;
  /** Peak bits per second (EXT-X-STREAM-INF BANDWIDTH, required by HLS); DEFAULT_BANDWIDTH when absent. */
  bandwidth?: number;
  resolution?: { width: number; height: number };
  /** RFC 6381 codecs of the video, e.g. "avc1.64001f"; the audio renditions' AAC is added. */
  codecs?: string;
}

export interface MasterRendition {
  /** BCP 47 tag: `fr`, `zh`, `pt-BR`, `zh-Hans`. */
  language: string;
  /** What the player's menu shows ("Français", "Original"); unique within its group. */
  name: string;
  /** The rendition's media playlist. */
  uri: string;
  /** The one the player picks first (at most one per group). */
  default: boolean;
}

export interface BuildMasterPlaylistOptions {
  video: MasterVideo;
  audio: readonly MasterRendition[];
  subtitles: readonly MasterRendition[];
}

export const AUDIO_GROUP_ID = "aud";
export const SUBTITLES_GROUP_ID = "subs";
/** BANDWIDTH when the caller knows none: above what our 160 kb/s chunks of small video need. */
export const DEFAULT_BANDWIDTH = 2_000_000;
/** RFC 6381 codec of the audio renditions (AAC-LC, what the mixer writes). */
const AAC_LC = "mp4a.40.2";

/** A BCP 47 language tag's shape: a 2–3 letter primary tag, then alphanumeric subtags. */
const LANGUAGE_TAG = /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8}){0,3}$/;
/** RFC 6381 codec list: no quote, comma-separated alphanumeric ids with dots. */
const CODECS = /^[A-Za-z0-9.]{1,64}(?:,[A-Za-z0-9.]{1,64}){0,7}$/;
const MAX_NAME_CHARS = 100;
/** A quoted-string may not hold `"`, CR or LF (RFC 8216 §4.2); no control characters at all. */
// eslint-disable-next-line no-control-regex
const UNQUOTABLE = /["\u0000-\u001f\u007f\u2028\u2029]/;

function invalid(message: string): PipelineError {
  return new PipelineError({ code: "INVALID_PLAYLIST", category: "system", message });
}

const shown = (value: string): string => JSON.stringify(value.slice(0, 80));

function checkUri(uri: string, what: string): void {
  if (!isSafeUri(uri)) throw invalid(`${what} URI ${shown(uri)} is not a plain name`);
}

function checkRenditions(kind: string, renditions: readonly MasterRendition[]): void {
  const names = new Set<string>();
  let defaults = 0;
  for (const r of renditions) {
    if (!LANGUAGE_TAG.test(r.language))
      throw invalid(`${kind} language ${shown(r.language)} is not a language tag`);
    if (r.name.trim() === "" || r.name.length > MAX_NAME_CHARS || UNQUOTABLE.test(r.name))
      throw invalid(`${kind} name ${shown(r.name)} cannot be written as a quoted string`);
    if (names.has(r.name)) throw invalid(`Two ${kind} renditions are named ${shown(r.name)}`);
    names.add(r.name);
    checkUri(r.uri, kind);
    if (r.default) defaults++;
  }
  if (defaults > 1) throw invalid(`More than one default ${kind} rendition`);
}

function mediaTag(type: "AUDIO" | "SUBTITLES", groupId: string, r: MasterRendition): string {
  return [
    `#EXT-X-MEDIA:TYPE=${type}`,
    `GROUP-ID="${groupId}"`,
    `LANGUAGE="${r.language}"`,
    `NAME="${r.name}"`,
    `DEFAULT=${r.default ? "YES" : "NO"}`,
    "AUTOSELECT=YES",
    `URI="${r.uri}"`,
  ].join(",");
}

function streamInf(opts: BuildMasterPlaylistOptions): string {
  const { video } = opts;
  const bandwidth = video.bandwidth ?? DEFAULT_BANDWIDTH;
  if (!Number.isSafeInteger(bandwidth) || bandwidth <= 0) throw invalid(`Invalid bandwidth: ${bandwidth}`);
  const attrs = [`BANDWIDTH=${bandwidth}`];
  if (video.codecs !== undefined) {
    if (!CODECS.test(video.codecs)) throw invalid(`Invalid codecs ${shown(video.codecs)}`);
    // CODECS names every format of the variant, its audio renditions' included (RFC 8216 §4.3.4.2).
    const all = video.codecs.split(",");
    if (opts.audio.length > 0 && !all.some((c) => c.startsWith("mp4a."))) all.push(AAC_LC);
    attrs.push(`CODECS="${all.join(",")}"`);
  }
  if (video.resolution !== undefined) {
    const { width, height } = video.resolution;
    const valid = (n: number): boolean => Number.isSafeInteger(n) && n > 0 && n <= 16_384;
    if (!valid(width) || !valid(height)) throw invalid(`Invalid resolution: ${width}x${height}`);
    attrs.push(`RESOLUTION=${width}x${height}`);
  }
  if (opts.audio.length > 0) attrs.push(`AUDIO="${AUDIO_GROUP_ID}"`);
  if (opts.subtitles.length > 0) attrs.push(`SUBTITLES="${SUBTITLES_GROUP_ID}"`);
  return `#EXT-X-STREAM-INF:${attrs.join(",")}`;
}

/**
 * The master playlist: the audio and subtitle renditions as EXT-X-MEDIA groups, then the one
 * video variant that refers to them. Everything it writes is checked first (language tags,
 * names writable as quoted strings and unique per group, plain URIs, at most one default per
 * group); anything else throws INVALID_PLAYLIST.
 */
export function buildMasterPlaylist(opts: BuildMasterPlaylistOptions): string {
  checkRenditions("audio", opts.audio);
  checkRenditions("subtitles", opts.subtitles);
  checkUri(opts.video.uri, "Video");
  const lines = [
    "#EXTM3U",
    // EXT-X-MEDIA groups: version 4 tells older clients they may not play them as meant (RFC 8216 §7).
    "#EXT-X-VERSION:4",
    "#EXT-X-INDEPENDENT-SEGMENTS",
    ...opts.audio.map((r) => mediaTag("AUDIO", AUDIO_GROUP_ID, r)),
    ...opts.subtitles.map((r) => mediaTag("SUBTITLES", SUBTITLES_GROUP_ID, r)),
    streamInf(opts),
    opts.video.uri,
  ];
  return `${lines.join("\n")}\n`;
}
