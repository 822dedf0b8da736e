/**
 * HLS renditions (issue 13): one video-only chunk series per part, and one audio-only chunk
 * series per language (the dubbed mixes and the original sound), cut at the same times so a
 * player can switch audio at any chunk. All of them put the task's timeline on one clock:
 * timeline time t (ms) is output timestamp RENDITION_PTS_BASE_MS + t, for every part.
 *
 * Why a base: a copied H.264 stream with B-frames starts decoding before its first frame is
 * shown (DTS = PTS − 2 frames, e.g. −80 ms), and the AAC encoder's first packet is its
 * priming (−1024 samples, −23 ms). Timestamps in an MPEG-TS cannot be negative, so for the
 * task's first part (offset 0) ffmpeg shifts the whole output later by that much — with
 * `-output_ts_offset` = the part's start alone, chunk 0 of part 0 starts at PTS 7200 (80 ms)
 * while every later part starts exactly at its offset, and the two overlap. With a base larger than any such lead nothing
 * is ever negative and nothing is shifted: every part sits exactly on the one clock, and a
 * WebVTT X-TIMESTAMP-MAP can name that clock (see hls/webvtt.ts). 10 s, as Apple's
 * segmenters use; 2^33 ticks still last 26 h past it.
 */
import { resolve } from "node:path";
import { AAC_STEREO_44K, H264_ARGS, NO_METADATA } from "./args";
import { buildChunkMuxArgs, listChunks } from "./chunk-mux";
import { buildMixAudioGraph, escapeFilterValue, KEYFRAME_CUT_LEAD_MS } from "./mix";
import { ffmpeg } from "./process";

/** Output timestamp (ms) of the task's timeline time 0 in every rendition chunk. */
export const RENDITION_PTS_BASE_MS = 10_000;

/**
 * Audio chunks start at the AAC frame nearest each cut (frames are 1024/44100 s ≈ 23.2 ms):
 * the segment muxer cuts at the first packet at or after the time given, so give it half a
 * frame early. Audio chunk j then starts within half a frame of video chunk j.
 */
const AUDIO_CUT_LEAD_MS = 11;

/** What every rendition writer takes: where the chunks go and where the part sits on the timeline. */
export interface RenditionChunkOptions {
  /** Folder the chunks are written to, as `<prefix>_0.ts`, `<prefix>_1.ts`, … */
  outDir: string;
  /** File name prefix of the chunks (default "chunk"). */
  prefix?: string;
  /**
   * Where to start a new chunk, in ms from the part's start (hls/chunks.ts planChunkCuts);
   * video keyframes. None: the part is one chunk. The same for every rendition of a part.
   */
  chunkCutsMs?: readonly number[];
  /** The part's length; every rendition's chunks together last exactly this. */
  durationMs: number;
  /** Where this part starts on the task's timeline (ms). */
  tsOffsetMs: number;
  signal?: AbortSignal;
}

type Pure<T> = Omit<T, "signal">;

const sec = (ms: number): string => (ms / 1000).toFixed(3);

function muxArgs(opts: Pure<RenditionChunkOptions>, cutLeadMs: number): string[] {
  return buildChunkMuxArgs({
    outDir: opts.outDir,
    chunkCutsMs: opts.chunkCutsMs,
    outputOffsetMs: RENDITION_PTS_BASE_MS + opts.tsOffsetMs,
    cutLeadMs,
    prefix: opts.prefix,
  });
}

/** What one output of a part's ffmpeg run reads; where its chunks go is `outDir` (+ `prefix`). */
export type RenditionSource =
  | {
      kind: "video";
      /** The part's silent video (from extractSegment): keyframe at 0 and at every cut. */
      video: string;
      /**
       * Subtitles (SRT, times from the part's start) to burn into the picture: the video is then
       * re-encoded with a keyframe every GOP_SECONDS, so the cuts must be on that grid.
       */
      burnSubtitlesPath?: string;
    }
  | {
      kind: "audio";
      /** The part's audio as WAV (e.g. the original sound from extractSegment). */
      audio: string;
    }
  | {
      kind: "mix";
      /** The part's separated background (duckDb 0) or its original sound (ducked). */
      background: string;
      /** Gain applied to `background`, in dB (-14 when absent; 0 for a separated background). */
      duckDb?: number;
      dubbedVocals: string;
    };

export type RenditionOutput = RenditionSource & { outDir: string; prefix?: string };

/** Where a part sits and how it is cut: the same for every rendition of the part. */
export type PartTiming = Pure<Omit<RenditionChunkOptions, "outDir" | "prefix">>;

/**
 * Pure builder of one ffmpeg run writing several renditions of a part (e.g. its video, its
 * original sound and a dub): every output on the same cuts and clock, one process instead of
 * one per rendition. Output n's filter links carry the suffix n (none for the first).
 */
export function buildPartChunksArgs(timing: PartTiming, outputs: readonly RenditionOutput[]): string[] {
  const inputs: string[] = [];
  const graph: string[] = [];
  const outs: string[] = [];
  const input = (file: string): number => inputs.push("-i", resolve(file)) / 2 - 1;
  const length = ["-t", sec(timing.durationMs), ...NO_METADATA];
  outputs.forEach((o, n) => {
    const label = n === 0 ? "" : String(n);
    const place = { ...timing, outDir: o.outDir, prefix: o.prefix };
    if (o.kind === "video") {
      const i = input(o.video);
      const burn = o.burnSubtitlesPath;
      if (burn !== undefined)
        graph.push(`[${i}:v]subtitles=filename=${escapeFilterValue(resolve(burn))}[vout${label}]`);
      outs.push(
        ...(burn === undefined
          ? // The segment video was encoded for this (keyframe at 0, short GOP); copying is exact.
            ["-map", `${i}:v:0`, "-c:v", "copy"]
          : ["-map", `[vout${label}]`, ...H264_ARGS]),
        ...["-an", "-sn", "-dn"],
        ...length,
        ...muxArgs(place, KEYFRAME_CUT_LEAD_MS),
      );
      return;
    }
    if (o.kind === "audio") {
      const i = input(o.audio);
      graph.push(
        `[${i}:a]aresample=44100,aformat=sample_fmts=fltp:channel_layouts=stereo,apad[aout${label}]`,
      );
    } else {
      const backgroundInput = input(o.background);
      const vocalsInput = input(o.dubbedVocals);
      graph.push(...buildMixAudioGraph({ backgroundInput, vocalsInput, duckDb: o.duckDb, label }));
    }
    outs.push("-map", `[aout${label}]`, ...AAC_STEREO_44K, ...length, ...muxArgs(place, AUDIO_CUT_LEAD_MS));
  });
  return [...inputs, ...(graph.length > 0 ? ["-filter_complex", graph.join(";")] : []), ...outs];
}

/**
 * Writes several renditions of a part in one ffmpeg run (buildPartChunksArgs). Returns each
 * output's chunk paths in order, in the order of `outputs`.
 */
export async function writePartChunks(
  opts: PartTiming & { outputs: readonly RenditionOutput[]; signal?: AbortSignal },
): Promise<string[][]> {
  const { signal, outputs, ...timing } = opts;
  await ffmpeg(buildPartChunksArgs(timing, outputs), { signal });
  return Promise.all(outputs.map((o) => listChunks(o.outDir, o.prefix)));
}
