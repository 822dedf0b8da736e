/**
 * Stage 8: dubbed speech over the separated background (else the ducked original sound),
 * muxed into the part's HLS chunks (≤ 6 s each, cut on keyframes), then published in order.
 */
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { chunkDurations, planChunkCuts } from "../hls/chunks";
import { layout } from "../layout";
import { toSrt } from "../subtitles";
import type { SegmentRecord, Stage, StageContext, TaskRecord } from "../ports";
import { publishTask } from "../publish";
import { separatedStems } from "../separation/stems";
import { ensureParent, requireSegment, requireTask, STOP } from "./common";

export const mixStage: Stage = {
  name: "mix",
  async run(input, ctx) {
    const task = await requireTask(ctx, input.taskId);
    const seg = await requireSegment(ctx, task.id, input.segmentIndex);
    const revision = input.revision ?? 0;
    const redub = seg.status === "published" && revision > (seg.publishedRevision ?? 0);
    if (seg.status !== "published" || redub) {
      // Mixed aside and moved into place: a reader never sees a half-written chunk, and a
      // re-dub swaps its chunks in under the publish lock.
      const workDir = path.join(
        layout.hlsDir(ctx.taskDir),
        `.mix-${seg.index}-r${revision}-${randomBytes(4).toString("hex")}`,
      );
      await mkdir(workDir, { recursive: true });
      try {
        const { files, chunkMs } = await mixChunks(task, seg, workDir, ctx);
        const moveIntoPlace = async () => {
          for (const [j, f] of files.entries()) await rename(f, layout.hlsChunk(ctx.taskDir, seg.index, j));
        };
        if (redub) {
          await republish(task.id, seg.index, revision, moveIntoPlace, ctx);
        } else {
          await moveIntoPlace();
          await ctx.store.markSegmentMixed(task.id, seg.index, chunkMs);
        }
      } finally {
        await rm(workDir, { recursive: true, force: true });
      }
    }
    await publishTask(task.id, ctx);
    return STOP;
  },
};

async function mixChunks(
  task: TaskRecord,
  seg: SegmentRecord,
  workDir: string,
  ctx: StageContext,
): Promise<{ files: string[]; chunkMs: number[] }> {
  let burnSubtitlesPath: string | undefined;
  if (task.options.burnSubtitles && task.hasVideo) {
    const sentences = await ctx.store.listSentences(task.id, seg.index);
    burnSubtitlesPath = await ensureParent(layout.segBurnSrt(ctx.taskDir, seg.index));
    const cues = sentences
      .filter((s) => s.translation)
      .map((s) => ({
        startMs: Math.max(0, s.startMs - seg.startMs),
        endMs: Math.min(seg.durationMs, s.endMs - seg.startMs),
        text: s.translation ?? "",
      }));
    await writeFile(burnSubtitlesPath, toSrt(cues));
  }
  const video = task.hasVideo ? layout.segVideo(ctx.taskDir, seg.index) : undefined;
  // Burned subtitles re-encode with a keyframe every 2 s; otherwise the part's own keyframes.
  const keyframesMs = !video
    ? null
    : burnSubtitlesPath
      ? Array.from({ length: Math.ceil(seg.durationMs / 2000) }, (_, i) => i * 2000)
      : await ctx.media.listKeyframesMs(video, { signal: ctx.signal });
  const cuts = planChunkCuts(seg.durationMs, keyframesMs);
  const stems = await separatedStems(ctx.taskDir, seg.index);
  const files = await ctx.media.mixSegment({
    ...(video ? { video } : {}),
    // A separated background has no original speech left, so it plays at full level.
    originalAudio: stems?.background ?? layout.segAudio(ctx.taskDir, seg.index),
    ...(stems ? { duckDb: 0 } : {}),
    dubbedVocals: layout.segVocals(ctx.taskDir, seg.index),
    durationMs: seg.durationMs,
    outDir: workDir,
    chunkCutsMs: cuts,
    tsOffsetMs: seg.startMs,
    ...(burnSubtitlesPath ? { burnSubtitlesPath } : {}),
    signal: ctx.signal,
  });
  const chunkMs = chunkDurations(seg.durationMs, cuts);
  if (files.length !== chunkMs.length) {
    throw new Error(`mix wrote ${files.length} chunks for part ${seg.index}, expected ${chunkMs.length}`);
  }
  return { files, chunkMs };
}

/**
 * Replaces a published part's chunks in place (same URIs, same playlist entries: an EVENT
 * playlist never rewrites what it has announced), then lets publishing rebuild the final files.
 */
async function republish(
  taskId: string,
  index: number,
  revision: number,
  replace: () => Promise<void>,
  ctx: StageContext,
): Promise<void> {
  const { replaced } = await ctx.store.republishSegment(taskId, index, revision, replace);
  if (replaced)
    await ctx.events.emit(taskId, { type: "redub", segmentIndex: index, revision, status: "done" });
}
