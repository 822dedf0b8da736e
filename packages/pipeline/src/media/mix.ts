import { resolve } from "node:path";
import { AAC_STEREO_44K, H264_ARGS, NO_METADATA } from "./args";
import { buildChunkMuxArgs, listChunks } from "./chunk-mux";
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

/** Cut this much before each cut time: see buildMixArgs. */
export const KEYFRAME_CUT_LEAD_MS = 5;

/**
 * The mix's filtergraph (chains joined with ";" by the caller): the background at `duckDb`
 * (-14 when absent) plus the dub at full level, both stereo 44.1 kHz, as `[aout]`, padded
 * with silence without end (the caller's `-t` gives the exact length).
 */
export function buildMixAudioGraph(opts: {
  backgroundInput: number;
  vocalsInput: number;
  duckDb?: number;
}): string[] {
  const duckDb = opts.duckDb ?? -14;
  const stereo = "aresample=44100,aformat=sample_fmts=fltp:channel_layouts=stereo";
  return [
    `[${opts.backgroundInput}:a]${stereo},volume=${duckDb}dB[bg]`,
    `[${opts.vocalsInput}:a]${stereo}[fg]`,
    // Summed, not averaged: the dub keeps full level. apad + -t give the exact length.
    `[bg][fg]amix=inputs=2:duration=longest:dropout_transition=0:normalize=0,apad[aout]`,
  ];
}

/** Pure builder of the mix/mux arguments (see mixSegment). */
export function buildMixArgs(opts: Omit<MixSegmentOptions, "signal">): string[] {
  const dur = (opts.durationMs / 1000).toFixed(3);
  const hasVideo = opts.video !== undefined;
  const args: string[] = [];
  if (opts.video !== undefined) args.push("-i", resolve(opts.video));
  const origIdx = hasVideo ? 1 : 0;
  args.push("-i", resolve(opts.originalAudio), "-i", resolve(opts.dubbedVocals));

  const graph = buildMixAudioGraph({
    backgroundInput: origIdx,
    vocalsInput: origIdx + 1,
    duckDb: opts.duckDb,
  });
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
    ...AAC_STEREO_44K,
    "-t",
    dur,
    ...NO_METADATA,
    // The segment muxer compares cut times with output timestamps, which carry the offset, and
    // cuts at the first keyframe at or after each time: 5 ms early, so a keyframe whose exact
    // time rounds up to the cut still starts the chunk (no frame is that close before it).
    ...buildChunkMuxArgs({
      outDir: opts.outDir,
      chunkCutsMs: opts.chunkCutsMs,
      outputOffsetMs: opts.tsOffsetMs,
      cutLeadMs: KEYFRAME_CUT_LEAD_MS,
    }),
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
  return listChunks(opts.outDir);
}
