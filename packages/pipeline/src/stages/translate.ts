/** Stage 3: translate a segment's sentences, with the previous segment's lines as context. */
import { PipelineError } from "../errors";
import { translateWithGlossary } from "../glossary";
import type { Stage } from "../ports";
import {
  CONTINUE,
  emitSentences,
  requireLanguage,
  requireSegment,
  requireTask,
  taskGlossary,
} from "./common";

export const translateStage: Stage = {
  name: "translate",
  async run(input, ctx) {
    const task = await requireTask(ctx, input.taskId);
    const language = requireLanguage(input);
    const seg = await requireSegment(ctx, task.id, input.segmentIndex, language);
    // Only lines without a translation: after an owner's edit of one source line, the
    // others keep theirs (the first run has none translated yet).
    const sentences = (await ctx.store.listSentences(task.id, language, seg.index)).filter(
      (s) => s.translation === null,
    );
    if (sentences.length === 0) return CONTINUE;
    let translations: { index: number; text: string; glossaryMissed?: boolean }[];
    if (task.sourceLanguage && task.sourceLanguage === language) {
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
      const previous = seg.index > 0 ? await ctx.store.listSentences(task.id, language, seg.index - 1) : [];
      // A line that loses a glossary term is asked once more, then kept with a mark.
      const result = await translateWithGlossary(translator, {
        sentences: sentences.map((s) => ({ index: s.index, text: s.sourceText })),
        targetLanguage: language,
        ...(task.sourceLanguage ? { sourceLanguage: task.sourceLanguage } : {}),
        context: previous
          .slice(-3)
          .map((s) => s.sourceText)
          .join("\n"),
        glossary: taskGlossary(task),
        signal: ctx.signal,
      });
      translations = sentences.map((s, i) => ({
        index: s.index,
        text: result.translations[i] ?? "",
        glossaryMissed: result.glossaryMissed[i] ?? false,
      }));
    }
    await ctx.store.updateSentences(
      task.id,
      language,
      translations.map((t) => ({
        index: t.index,
        translation: t.text,
        glossaryMissed: t.glossaryMissed ?? false,
        stage: "translate",
      })),
    );
    await emitSentences(ctx, task.id, language, seg.index);
    return CONTINUE;
  },
};
