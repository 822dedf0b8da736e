/** Stage 7: the final speech of each sentence at its fitted speed, placed on the segment's timeline. */
import { layout } from "../layout";
import type { Stage } from "../ports";
import { CONTINUE, ensureParent, requireLanguage, requireSegment, requireTask } from "./common";

export const audiogenStage: Stage = {
  name: "audiogen",
  async run(input, ctx) {
    const task = await requireTask(ctx, input.taskId);
    const language = requireLanguage(input);
    const seg = await requireSegment(ctx, task.id, input.segmentIndex, language);
    const sentences = (await ctx.store.listSentences(task.id, language, seg.index)).filter(
      (s) => s.speed !== null,
    );
    // Each sentence's draft at its fitted speed, stretched while it is placed: one ffmpeg run.
    const clips = sentences.map((s) => ({
      path: layout.draft(ctx.taskDir, seg.index, language, s.index),
      atMs: s.placedStartMs ?? Math.max(0, s.startMs - seg.startMs),
      speed: s.speed ?? 1,
    }));
    await ctx.media.renderTimeline({
      clips,
      durationMs: seg.durationMs,
      out: await ensureParent(layout.segVocals(ctx.taskDir, seg.index, language)),
      signal: ctx.signal,
    });
    await ctx.store.updateSentences(
      task.id,
      language,
      sentences.map((s) => ({ index: s.index, stage: "audiogen" })),
    );
    return CONTINUE;
  },
};
