/**
 * How each part gets its video, decided once when the task is planned: whether the part
 * copies the source video or re-encodes it, and where its HLS chunks are cut. Both follow
 * from the source's keyframes, which planning has already read, so no later stage probes a
 * part's video to find its keyframes again.
 */
import { readFile, writeFile } from "node:fs/promises";
import { maxKeyframeGapMs, planChunkCuts } from "../hls/chunks";
import { layout } from "../layout";
import { GOP_SECONDS } from "../media/args";
import { ensureParent } from "./common";

export interface VideoPlan {
  /** Parts that copy the source video (the others are re-encoded, keyframe every GOP). */
  copyVideo: number[];
  /**
   * Each part's chunk cuts (ms from its start; hls/chunks.ts planChunkCuts), by part index.
   * Absent in plans written before it was kept here: the mix then reads the part's keyframes.
   */
  chunkCutsMs?: number[][];
}

/** Keyframes this far apart still give chunks within the target (planChunkCuts keeps ≥ 1 s tails). */
const MAX_COPIED_KEYFRAME_GAP_MS = 5000;

/** Keyframes of a video we encode (H264_ARGS): one every GOP_SECONDS from the start. */
export function gopKeyframesMs(durationMs: number): number[] {
  const gop = GOP_SECONDS * 1000;
  return Array.from({ length: Math.ceil(durationMs / gop) }, (_, i) => i * gop);
}

/**
 * The plan's video decisions for `parts`, given the source's keyframes (empty when the
 * video cannot be copied). A part copies the source when it starts on a keyframe and the
 * keyframes inside it are close enough for chunks of at most the target duration; its chunks
 * are cut on those keyframes. A re-encoded part, or one whose subtitles are burned in (the
 * mix re-encodes it), is cut on our GOP grid; audio-only parts anywhere.
 */
export function planVideo(opts: {
  parts: readonly { index: number; startMs: number; durationMs: number }[];
  keyframesMs: readonly number[];
  hasVideo: boolean;
  burnSubtitles: boolean;
}): VideoPlan {
  const copyVideo: number[] = [];
  const chunkCutsMs = opts.parts.map((part) => {
    if (!opts.hasVideo) return planChunkCuts(part.durationMs, null);
    const inside = opts.keyframesMs
      .filter((k) => k >= part.startMs && k < part.startMs + part.durationMs)
      .map((k) => k - part.startMs);
    const copy =
      opts.keyframesMs.includes(part.startMs) &&
      maxKeyframeGapMs(inside, part.durationMs) <= MAX_COPIED_KEYFRAME_GAP_MS;
    if (copy) copyVideo.push(part.index);
    return planChunkCuts(
      part.durationMs,
      copy && !opts.burnSubtitles ? inside : gopKeyframesMs(part.durationMs),
    );
  });
  return { copyVideo, chunkCutsMs };
}

export async function writeVideoPlan(taskDir: string, plan: VideoPlan): Promise<void> {
  await writeFile(await ensureParent(layout.videoPlan(taskDir)), JSON.stringify(plan));
}

export async function readVideoPlan(taskDir: string): Promise<VideoPlan> {
  try {
    return JSON.parse(await readFile(layout.videoPlan(taskDir), "utf8")) as VideoPlan;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return { copyVideo: [] };
    throw e;
  }
}
