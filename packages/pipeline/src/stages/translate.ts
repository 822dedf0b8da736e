/** Stage 3: translate a segment's sentences, with the previous segment's lines as context. */
import { PipelineError } from "../errors";
import type { Stage } from "../ports";
import { CONTINUE, requireSegment, requireTask } from "./common";

export const translateStage: Stage = {
  name: "translate",
  async run(input, ctx) {
    const task = await requireTask(ctx, input.taskId);
    const seg = await requireSegment(ctx, task.id, input.segmentIndex);
    // Only lines without a translation: after an owner's edit of one source line, the
    // others keep theirs (the first run has none translated yet).
    const sentences = (await ctx.store.listSentences(task.id, seg.index)).filter(
      (s) => s.translation === null,
    );
    if (sentences.length === 0) return CONTINUE;
    let translations: { index: number; text: string }[];
    if (task.sourceLanguage && task.sourceLanguage === task.targetLanguage) {
      translations = sentences.map((s) => ({ index: s.index, text: s.sourceText }));
    } else {
      const translator = ctx.engines.translator;
      if (!translator) {
        throw new PipelineError({
          code: "NO_TRANSLATOR",
          category: "user",
          message:
            "No translation engine is configured: set LLM_BASE_URL, LLM_API_KEY and LLM_MODEL to an OpenAI-compatible chat endpoint.",
        });
      }
      const previous = seg.index > 0 ? await ctx.store.listSentences(task.id, seg.index - 1) : [];
      translations = await translator.translate({
        sentences: sentences.map((s) => ({ index: s.index, text: s.sourceText })),
        targetLanguage: task.targetLanguage,
        ...(task.sourceLanguage ? { sourceLanguage: task.sourceLanguage } : {}),
        context: previous
          .slice(-3)
          .map((s) => s.sourceText)
          .join("\n"),
        signal: ctx.signal,
      });
    }
    await ctx.store.updateSentences(
      task.id,
      translations.map((t) => ({ index: t.index, translation: t.text, stage: "translate" })),
    );
    await ctx.events.emit(task.id, {
      type: "sentences",
      segmentIndex: seg.index,
      sentences: await ctx.store.listSentences(task.id, seg.index),
    });
    return CONTINUE;
  },
};
