/** Stage 8: dubbed speech over the original sound, muxed into an HLS chunk, then published in order. */
import { writeFile } from "node:fs/promises";
import { layout } from "../layout";
import { mixSegment, probeDurationMs, toSrt } from "../media-index";
import type { Stage } from "../ports";
import { publishTask } from "../publish";
import { ensureParent, requireSegment, requireTask, STOP } from "./common";

export const mixStage: Stage = {
  name: "mix",
  async run(input, ctx) {
    const task = await requireTask(ctx, input.taskId);
    const seg = await requireSegment(ctx, task.id, input.segmentIndex);
    if (seg.status !== "published") {
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
      const outTs = await ensureParent(layout.hlsChunk(ctx.taskDir, seg.index));
      await mixSegment({
        ...(task.hasVideo ? { video: layout.segVideo(ctx.taskDir, seg.index) } : {}),
        originalAudio: layout.segAudio(ctx.taskDir, seg.index),
        dubbedVocals: layout.segVocals(ctx.taskDir, seg.index),
        durationMs: seg.durationMs,
        outTs,
        tsOffsetMs: seg.startMs,
        ...(burnSubtitlesPath ? { burnSubtitlesPath } : {}),
        signal: ctx.signal,
      });
      await ctx.store.markSegmentMixed(task.id, seg.index, Math.round(await probeDurationMs(outTs)));
    }
    await publishTask(task.id, ctx);
    return STOP;
  },
};
