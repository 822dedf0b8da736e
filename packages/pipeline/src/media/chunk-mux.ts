/**
 * The output half of every ffmpeg call that writes HLS chunks: MPEG-TS, timestamps on the
 * task's timeline, cut by the segment muxer at given times. Shared by the rendition writers
 * (renditions.ts: video-only and audio-only chunks that must cut at the same times).
 */
import { readdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { PipelineError } from "../errors";

/** Chunk files are `<prefix>_<n>.ts`; a prefix is a plain name. */
const SAFE_PREFIX = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export interface ChunkMuxOptions {
  /** Folder the chunks are written to. */
  outDir: string;
  /** Where to start a new chunk, in ms from the part's start; none: one chunk. */
  chunkCutsMs?: readonly number[];
  /** Output timestamp of the part's first instant, in ms (the segment muxer's cut times include it). */
  outputOffsetMs: number;
  /**
   * How much earlier than each cut the segment muxer is told to cut: it starts a chunk at the
   * first keyframe (any packet, for audio) at or after the time it is given.
   */
  cutLeadMs: number;
  /** File name prefix (default "chunk"). */
  prefix?: string;
}

/** `-output_ts_offset …` and the MPEG-TS or segment muxer for chunks `<prefix>_0.ts`, `_1.ts`, … */
export function buildChunkMuxArgs(opts: ChunkMuxOptions): string[] {
  const prefix = chunkPrefix(opts.prefix);
  const args = [
    "-output_ts_offset",
    (opts.outputOffsetMs / 1000).toFixed(3),
    // No muxer delay: the first packet's timestamp is exactly the offset.
    "-muxdelay",
    "0",
    "-muxpreload",
    "0",
  ];
  const cuts = opts.chunkCutsMs ?? [];
  if (cuts.length === 0) {
    args.push("-f", "mpegts", join(resolve(opts.outDir), `${prefix}_0.ts`));
    return args;
  }
  const times = cuts.map((c) => ((opts.outputOffsetMs + c - opts.cutLeadMs) / 1000).toFixed(3)).join(",");
  args.push(
    "-f",
    "segment",
    "-segment_times",
    times,
    "-segment_format",
    "mpegts",
    "-reset_timestamps",
    "0",
    join(resolve(opts.outDir), `${prefix}_%d.ts`),
  );
  return args;
}

/** The chunks `<prefix>_<n>.ts` in `outDir`, in order. */
export async function listChunks(outDir: string, prefix?: string): Promise<string[]> {
  const p = chunkPrefix(prefix);
  const pattern = new RegExp(`^${p}_(\\d+)\\.ts$`);
  const numbered = (await readdir(outDir)).flatMap((n) => {
    const m = pattern.exec(n);
    return m ? [{ n, i: Number(m[1]) }] : [];
  });
  return numbered.sort((a, b) => a.i - b.i).map((e) => join(outDir, e.n));
}

function chunkPrefix(prefix = "chunk"): string {
  if (!SAFE_PREFIX.test(prefix)) {
    throw new PipelineError({
      code: "INVALID_CHUNK_PREFIX",
      category: "system",
      message: `Chunk file prefix ${JSON.stringify(prefix.slice(0, 80))} is not a plain name`,
    });
  }
  return prefix;
}
