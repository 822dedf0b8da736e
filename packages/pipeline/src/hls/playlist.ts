import { randomBytes } from "node:crypto";
import { open, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { PipelineError } from "../errors";

export interface PlaylistSegment {
  uri: string;
  durationSec: number;
  /** Set when this chunk's timestamps do not continue the previous chunk's. */
  discontinuity?: boolean;
}

export interface BuildPlaylistOptions {
  segments: readonly PlaylistSegment[];
  ended: boolean;
  /**
   * Target duration from the task's whole segment plan. EVENT playlists must not change it as
   * they grow, and a later segment is usually longer than the published ones.
   */
  targetDurationSec?: number;
}

/** EXTINF is written with 3 decimals; the target must cover that written value. */
const roundMs = (sec: number): number => Math.round(sec * 1000) / 1000;

/** Longest chunk or target a playlist may state (a day); anything else is a bug upstream. */
const MAX_DURATION_SEC = 86_400;
/** Chunk URIs are names we make: nothing that could end a line or start a tag. */
const SAFE_URI = /^[A-Za-z0-9][A-Za-z0-9._~/-]{0,255}$/;

/** Whether `uri` is a plain relative name a playlist may carry as is (see SAFE_URI). */
export const isSafeUri = (uri: string): boolean => SAFE_URI.test(uri);

function invalid(message: string): PipelineError {
  return new PipelineError({ code: "INVALID_PLAYLIST", category: "system", message });
}

const validDuration = (sec: number): boolean => Number.isFinite(sec) && sec >= 0 && sec <= MAX_DURATION_SEC;

/** HLS EVENT playlist: segments are only ever appended; ENDLIST once the task is complete. */
export function buildPlaylist(opts: BuildPlaylistOptions): string {
  let longest = 0;
  for (const s of opts.segments) {
    if (!validDuration(s.durationSec))
      throw invalid(`Chunk ${s.uri} has an invalid duration: ${s.durationSec}`);
    if (!SAFE_URI.test(s.uri))
      throw invalid(`Chunk URI ${JSON.stringify(s.uri.slice(0, 80))} is not a plain name`);
    longest = Math.max(longest, roundMs(s.durationSec));
  }
  const wanted = opts.targetDurationSec ?? 0;
  if (!validDuration(wanted)) throw invalid(`Invalid target duration: ${wanted}`);
  const target = Math.max(1, Math.ceil(longest), Math.ceil(wanted));
  const lines = [
    "#EXTM3U",
    "#EXT-X-VERSION:3",
    "#EXT-X-PLAYLIST-TYPE:EVENT",
    `#EXT-X-TARGETDURATION:${target}`,
    "#EXT-X-MEDIA-SEQUENCE:0",
    "#EXT-X-INDEPENDENT-SEGMENTS",
    // While it grows, the server holds `_HLS_msn` requests until that chunk is published.
    ...(opts.ended ? [] : ["#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES"]),
  ];
  for (const s of opts.segments) {
    if (s.discontinuity) lines.push("#EXT-X-DISCONTINUITY");
    lines.push(`#EXTINF:${roundMs(s.durationSec).toFixed(3)},`, s.uri);
  }
  if (opts.ended) lines.push("#EXT-X-ENDLIST");
  return `${lines.join("\n")}\n`;
}

/**
 * Replaces a file so that readers see either the old or the new content, never a partial
 * one: write a temp file in the same directory (same filesystem), fsync, rename over.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    const fh = await open(tmp, "w");
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}
