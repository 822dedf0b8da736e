import { readdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { H264_ARGS, NO_METADATA } from "./args";
import { ffmpeg } from "./process";

export interface MixSegmentOptions {
  /** Silent segment video (from extractSegment); absent for audio-only inputs. */
  video?: string;
  /** The segment's original audio, ducked under the dub, or its separated background (duckDb 0). */
  originalAudio: string;
  dubbedVocals: string;
  durationMs: number;
  /** Empty folder the chunks are written to, as chunk_0.ts, chunk_1.ts, … */
  outDir: string;
  /**
   * Where to start a new chunk, in ms from the part's start (see hls/chunks.ts); they must
   * be video keyframes. None: the part is one chunk.
   */
  chunkCutsMs?: readonly number[];
  /** Where this part starts on the task's timeline, so chunk timestamps are continuous. */
  tsOffsetMs: number;
  /** Gain applied to `originalAudio`, in dB (-14 when absent; 0 for a separated background). */
  duckDb?: number;
  /** SRT/ASS with times relative to the segment start; forces a video re-encode. */
  burnSubtitlesPath?: string;
  signal?: AbortSignal;
}

/**
 * Escapes a value for use inside a filtergraph option (two levels, see ffmpeg-filters
 * "Notes on filtergraph escaping"): first the option value (`\ ' :`), then the graph
 * description (`\ ' [ ] , ;`).
 */
export function escapeFilterValue(value: string): string {
  const optionLevel = value.replace(/[\\':]/g, (c) => `\\${c}`);
  return optionLevel.replace(/[\\'[\],;]/g, (c) => `\\${c}`);
}

/** Pure builder of the mix/mux arguments (see mixSegment). */
export function buildMixArgs(opts: Omit<MixSegmentOptions, "signal">): string[] {
  const dur = (opts.durationMs / 1000).toFixed(3);
  const duckDb = opts.duckDb ?? -14;
  const hasVideo = opts.video !== undefined;
  const args: string[] = [];
  if (opts.video !== undefined) args.push("-i", resolve(opts.video));
  const origIdx = hasVideo ? 1 : 0;
  args.push("-i", resolve(opts.originalAudio), "-i", resolve(opts.dubbedVocals));

  const stereo = "aresample=44100,aformat=sample_fmts=fltp:channel_layouts=stereo";
  const graph = [
    `[${origIdx}:a]${stereo},volume=${duckDb}dB[bg]`,
    `[${origIdx + 1}:a]${stereo}[fg]`,
    // Summed, not averaged: the dub keeps full level. apad + -t give the exact length.
    `[bg][fg]amix=inputs=2:duration=longest:dropout_transition=0:normalize=0,apad[aout]`,
  ];
  if (hasVideo && opts.burnSubtitlesPath !== undefined) {
    graph.push(`[0:v]subtitles=filename=${escapeFilterValue(resolve(opts.burnSubtitlesPath))}[vout]`);
  }
  args.push("-filter_complex", graph.join(";"));

  if (hasVideo) {
    if (opts.burnSubtitlesPath !== undefined) {
      args.push("-map", "[vout]", ...H264_ARGS);
    } else {
      // The segment video was encoded for this (keyframe at 0, short GOP); copying is exact and fast.
      args.push("-map", "0:v:0", "-c:v", "copy");
    }
  }
  args.push(
    "-map",
    "[aout]",
    "-c:a",
    "aac",
    "-b:a",
    "128k",
    "-ar",
    "44100",
    "-ac",
    "2",
    "-t",
    dur,
    ...NO_METADATA,
    "-output_ts_offset",
    (opts.tsOffsetMs / 1000).toFixed(3),
    "-muxdelay",
    "0",
    "-muxpreload",
    "0",
  );
  const cuts = opts.chunkCutsMs ?? [];
  if (cuts.length === 0) {
    args.push("-f", "mpegts", join(resolve(opts.outDir), "chunk_0.ts"));
    return args;
  }
  // The segment muxer compares cut times with output timestamps, which carry the offset, and
  // cuts at the first keyframe at or after each time: 5 ms early, so a keyframe whose exact
  // time rounds up to the cut still starts the chunk (no frame is that close before it).
  const times = cuts.map((c) => ((opts.tsOffsetMs + c - 5) / 1000).toFixed(3)).join(",");
  args.push(
    "-f",
    "segment",
    "-segment_times",
    times,
    "-segment_format",
    "mpegts",
    "-reset_timestamps",
    "0",
    join(resolve(opts.outDir), "chunk_%d.ts"),
  );
  return args;
}

/**
 * Mixes the dub over the ducked original audio and muxes it with the part's silent video
 * into MPEG-TS chunks for HLS (audio-only TS when there is no video), cut at
 * `chunkCutsMs`. Together the chunks last exactly `durationMs`. Returns their paths in order.
 */
export async function mixSegment(opts: MixSegmentOptions): Promise<string[]> {
  const { signal, ...rest } = opts;
  await ffmpeg(buildMixArgs(rest), { signal });
  const names = (await readdir(opts.outDir)).filter((n) => /^chunk_\d+\.ts$/.test(n));
  return names
    .sort((a, b) => Number(a.slice(6, -3)) - Number(b.slice(6, -3)))
    .map((n) => join(opts.outDir, n));
}
