/** Stage 8: dubbed speech over the separated background (else the ducked original sound), muxed into an HLS chunk, then published in order. */
import { rename, rm, writeFile } from "node:fs/promises";
import { layout } from "../layout";
import { mixSegment, probeDurationMs, toSrt } from "../media-index";
import type { Stage, StageContext } from "../ports";
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
      const chunk = await ensureParent(layout.hlsChunk(ctx.taskDir, seg.index));
      // A re-dub mixes beside the published chunk and swaps it in under the publish lock.
      const outTs = redub ? `${chunk}.r${revision}.tmp` : chunk;
      const stems = await separatedStems(ctx.taskDir, seg.index);
      await mixSegment({
        ...(task.hasVideo ? { video: layout.segVideo(ctx.taskDir, seg.index) } : {}),
        // A separated background has no original speech left, so it plays at full level.
        originalAudio: stems?.background ?? layout.segAudio(ctx.taskDir, seg.index),
        ...(stems ? { duckDb: 0 } : {}),
        dubbedVocals: layout.segVocals(ctx.taskDir, seg.index),
        durationMs: seg.durationMs,
        outTs,
        tsOffsetMs: seg.startMs,
        ...(burnSubtitlesPath ? { burnSubtitlesPath } : {}),
        signal: ctx.signal,
      });
      if (redub) {
        await republish(task.id, seg.index, revision, outTs, chunk, ctx);
      } else {
        await ctx.store.markSegmentMixed(task.id, seg.index, Math.round(await probeDurationMs(outTs)));
      }
    }
    await publishTask(task.id, ctx);
    return STOP;
  },
};

/**
 * Replaces a published chunk in place (same URI, same playlist entry: an EVENT playlist
 * never rewrites what it has announced), then lets publishing rebuild the final files.
 */
async function republish(
  taskId: string,
  index: number,
  revision: number,
  tmp: string,
  chunk: string,
  ctx: StageContext,
): Promise<void> {
  const { replaced } = await ctx.store.republishSegment(taskId, index, revision, () => rename(tmp, chunk));
  if (!replaced) await rm(tmp, { force: true });
  else await ctx.events.emit(taskId, { type: "redub", segmentIndex: index, revision, status: "done" });
}
