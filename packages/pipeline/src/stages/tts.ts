/** Stage 5: first-pass speech for every sentence; its length is the predicted duration. */
import { layout } from "../layout";
import type { Stage } from "../ports";
import { CONTINUE, ensureParent, mapLimit, requireSegment, requireTask } from "./common";

export const ttsStage: Stage = {
  name: "tts",
  async run(input, ctx) {
    const task = await requireTask(ctx, input.taskId);
    const seg = await requireSegment(ctx, task.id, input.segmentIndex);
    const sentences = (await ctx.store.listSentences(task.id, seg.index)).filter((s) => s.spokenText);
    const drafts = await mapLimit(sentences, ctx.config.ttsConcurrency, async (s) => {
      const out = await ctx.engines.tts.synthesize({
        text: s.spokenText ?? "",
        language: task.targetLanguage,
        ...(task.options.voice ? { voice: task.options.voice } : {}),
        outPath: await ensureParent(layout.draft(ctx.taskDir, seg.index, s.index)),
        signal: ctx.signal,
      });
      return { index: s.index, predictedMs: Math.round(out.durationMs), stage: "tts" };
    });
    await ctx.store.updateSentences(task.id, drafts);
    return CONTINUE;
  },
};
