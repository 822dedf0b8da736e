import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { PipelineError } from "../errors";
import { ffmpeg, ffprobeJson } from "../media/process";
import { mp4LanguageCode } from "./languages";

/** A line of an ffconcat list; single quotes are closed, escaped and reopened. */
export function concatListLine(path: string): string {
  return `file '${resolve(path).replace(/'/g, "'\\''")}'`;
}

/** An ffconcat list of `paths`, each with its timeline length when `durationsMs` has one. */
function ffconcatList(paths: readonly string[], durationsMs?: readonly number[]): string {
  const lines = paths.map((p, i) => {
    const d = durationsMs?.[i];
    return d === undefined ? concatListLine(p) : `${concatListLine(p)}\nduration ${(d / 1000).toFixed(3)}`;
  });
  return `ffconcat version 1.0\n${lines.join("\n")}\n`;
}

/** Container duration of a media file, in ms (via ffprobe). */
export async function probeDurationMs(path: string, opts: { signal?: AbortSignal } = {}): Promise<number> {
  const json = (await ffprobeJson(path, opts)) as { format?: { duration?: string } };
  const sec = Number.parseFloat(json.format?.duration ?? "");
  if (!Number.isFinite(sec)) {
    throw new PipelineError({
      code: "INVALID_MEDIA",
      category: "system",
      message: `No duration known for ${path}`,
    });
  }
  return Math.round(sec * 1000);
}

export interface RenditionTrack {
  /** The track's audio-only TS chunks, one per timeline chunk, in order. */
  tsPaths: readonly string[];
  /** BCP 47 tag ("fr", "pt-BR"); written as ISO 639-2 ("fre", "por"), "und" when unknown. */
  language: string;
  /** What players show for the track ("Français", "Original"). */
  title: string;
}

export interface ConcatRenditionsOptions {
  /** The video-only TS chunks (media/renditions.ts writePartChunks); empty for an audio-only task. */
  videoTs: readonly string[];
  /** The audio tracks, the default first. */
  audioTracks: readonly RenditionTrack[];
  /** Each timeline chunk's length (ms): the same for the video and every audio track. */
  durationsMs: readonly number[];
  out: string;
  signal?: AbortSignal;
}

function mismatch(message: string): PipelineError {
  return new PipelineError({ code: "RENDITION_MISMATCH", category: "system", message });
}

/** Track titles are metadata text: one line, no control characters, not too long. */
// eslint-disable-next-line no-control-regex
const trackTitle = (title: string): string => title.replace(/[\u0000-\u001f\u007f]+/g, " ").slice(0, 200);

/**
 * Pure builder of concatRenditionsToMp4's arguments, given the ffconcat list of the video
 * (when there is one) and of each audio track, in order.
 */
export function buildConcatRenditionsArgs(opts: {
  videoList?: string;
  audio: readonly { list: string; language: string; title: string }[];
  out: string;
}): string[] {
  const lists = [...(opts.videoList === undefined ? [] : [opts.videoList]), ...opts.audio.map((a) => a.list)];
  const args = lists.flatMap((l) => ["-f", "concat", "-safe", "0", "-i", l]);
  if (opts.videoList !== undefined) args.push("-map", "0:v:0");
  const first = opts.videoList === undefined ? 0 : 1;
  opts.audio.forEach((_, i) => args.push("-map", `${first + i}:a:0`));
  args.push("-c", "copy", "-bsf:a", "aac_adtstoasc", "-map_metadata", "-1");
  opts.audio.forEach((a, i) => {
    const title = trackTitle(a.title);
    args.push(
      `-metadata:s:a:${i}`,
      `language=${mp4LanguageCode(a.language)}`,
      // MP4 keeps a track's name in its handler box (what players list); `title` is the
      // generic tag, which ffmpeg's MP4 muxer does not write (5.1) but later ones may.
      `-metadata:s:a:${i}`,
      `handler_name=${title}`,
      `-metadata:s:a:${i}`,
      `title=${title}`,
      `-disposition:a:${i}`,
      i === 0 ? "default" : "0",
    );
  });
  args.push("-movflags", "+faststart", resolve(opts.out));
  return args;
}

/**
 * Joins the rendition chunks into one MP4 without re-encoding: the video copied, each audio
 * track copied (AAC) and tagged with its language and title, the first one the default.
 * Serves the per-language download (one track) and the all-languages one (every dub and the
 * original sound). Every list carries the chunks' timeline lengths: without them the concat
 * demuxer places the next chunk after this one's container duration, which includes the AAC
 * encoder's priming (~23 ms a part), so the MP4 would grow, and drift from the subtitles, by
 * that much a part. `aac_adtstoasc` turns the TS audio framing into what MP4 expects;
 * faststart lets the download play before it is complete. The concat demuxer puts each chunk's
 * first packet at the chunk's place on the timeline, so audio may sit up to one AAC frame
 * (23 ms) off inside a chunk (a part's first chunk starts with its priming frame), never more.
 */
export async function concatRenditionsToMp4(opts: ConcatRenditionsOptions): Promise<void> {
  const chunks = opts.durationsMs.length;
  if (chunks === 0 || (opts.videoTs.length === 0 && opts.audioTracks.length === 0)) {
    throw new PipelineError({
      code: "NOTHING_TO_CONCAT",
      category: "system",
      message: "No chunks to join into the final video",
    });
  }
  if (opts.videoTs.length !== 0 && opts.videoTs.length !== chunks)
    throw mismatch(`${opts.videoTs.length} video chunks for ${chunks} chunk durations`);
  for (const t of opts.audioTracks) {
    if (t.tsPaths.length !== chunks)
      throw mismatch(`${t.tsPaths.length} ${t.language} audio chunks for ${chunks} chunk durations`);
  }
  const dir = await mkdtemp(join(tmpdir(), "vitr-concat-"));
  try {
    let videoList: string | undefined;
    if (opts.videoTs.length > 0) {
      videoList = join(dir, "video.ffconcat");
      await writeFile(videoList, ffconcatList(opts.videoTs, opts.durationsMs));
    }
    const audio = [];
    for (const [i, t] of opts.audioTracks.entries()) {
      const list = join(dir, `audio-${i}.ffconcat`);
      await writeFile(list, ffconcatList(t.tsPaths, opts.durationsMs));
      audio.push({ list, language: t.language, title: t.title });
    }
    await ffmpeg(buildConcatRenditionsArgs({ videoList, audio, out: opts.out }), { signal: opts.signal });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
