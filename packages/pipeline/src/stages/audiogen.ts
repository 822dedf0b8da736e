/** Stage 7: the final speech of each sentence at its fitted speed, placed on the segment's timeline. */
import { layout } from "../layout";
import type { Stage } from "../ports";
import { CONTINUE, ensureParent, mapLimit, requireLanguage, requireSegment, requireTask } from "./common";

export const audiogenStage: Stage = {
  name: "audiogen",
  async run(input, ctx) {
    const task = await requireTask(ctx, input.taskId);
    const language = requireLanguage(input);
    const seg = await requireSegment(ctx, task.id, input.segmentIndex, language);
    const sentences = (await ctx.store.listSentences(task.id, language, seg.index)).filter(
      (s) => s.speed !== null,
    );
    const clips = await mapLimit(sentences, ctx.config.ttsConcurrency, async (s) => {
      const output = await ensureParent(layout.finalClip(ctx.taskDir, seg.index, language, s.index));
      await ctx.media.stretchAudio({
        input: layout.draft(ctx.taskDir, seg.index, language, s.index),
        output,
        speed: s.speed ?? 1,
        signal: ctx.signal,
      });
      return { path: output, atMs: s.placedStartMs ?? Math.max(0, s.startMs - seg.startMs) };
    });
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
