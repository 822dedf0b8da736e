/**
 * Stage 6: fit every sentence into its slot (DESIGN §4). Sentences that would need more
 * than maxSpeed get shorter paraphrases from the translator, re-synthesised and re-fitted,
 * a bounded number of times; the speed never goes above maxSpeed, what is left over is
 * recorded as overrun.
 */
import { fitSentences } from "../align";
import type { FitResult } from "../align";
import { layout } from "../layout";
import type { SentenceRecord, Stage, StageContext, TaskRecord } from "../ports";
import {
  CONTINUE,
  emitSentences,
  requireLanguage,
  requireSegment,
  requireTask,
  taskGlossary,
} from "./common";
import { segmentVoices } from "./tts";
import type { VoiceFields } from "./tts";

export const alignStage: Stage = {
  name: "align",
  async run(input, ctx) {
    const task = await requireTask(ctx, input.taskId);
    const language = requireLanguage(input);
    const seg = await requireSegment(ctx, task.id, input.segmentIndex, language);
    let sentences = (await ctx.store.listSentences(task.id, language, seg.index)).filter(
      (s) => s.predictedMs !== null,
    );
    const fit = () =>
      fitSentences({
        sentences: sentences.map((s) => ({
          index: s.index,
          startMs: s.startMs - seg.startMs,
          endMs: s.endMs - seg.startMs,
          predictedMs: s.predictedMs ?? 0,
        })),
        segmentDurationMs: seg.durationMs,
        maxSpeed: ctx.config.maxSpeed,
        minSpeed: ctx.config.minSpeed,
      });
    let results = fit();
    let voices: Promise<(s: SentenceRecord) => VoiceFields> | undefined;
    for (let attempt = 0; attempt < ctx.config.maxShortenAttempts && ctx.engines.translator; attempt++) {
      const over = results.filter((r) => r.needsShortening);
      if (over.length === 0) break;
      // Re-synthesis speaks with the sentence's own voice (speaker, reference clip), as in the tts stage.
      voices ??= ctx.store
        .listSentences(task.id, language, seg.index)
        .then((all) => segmentVoices(ctx, task, seg, all));
      const voiceOf = await voices;
      const changed = await Promise.all(
        over.map((r) => shortenOne(task, language, seg.index, r, sentences, ctx, voiceOf)),
      );
      if (!changed.some(Boolean)) break;
      sentences = (await ctx.store.listSentences(task.id, language, seg.index)).filter(
        (s) => s.predictedMs !== null,
      );
      results = fit();
    }
    await ctx.store.updateSentences(
      task.id,
      language,
      results.map((r) => ({
        index: r.index,
        slotMs: Math.round(r.slotMs),
        speed: Math.round(r.speed * 1000) / 1000,
        overrunMs: Math.round(r.overrunMs),
        placedStartMs: Math.round(r.placedStartMs),
        placedMs: Math.round(r.placedDurationMs),
        stage: "align",
      })),
    );
    await emitSentences(ctx, task.id, language, seg.index);
    return CONTINUE;
  },
};

/** Asks for shorter paraphrases and keeps the longest one that fits (else the shortest). */
async function shortenOne(
  task: TaskRecord,
  language: string,
  segmentIndex: number,
  fit: FitResult,
  sentences: SentenceRecord[],
  ctx: StageContext,
  voiceOf: (s: SentenceRecord) => VoiceFields,
): Promise<boolean> {
  const sentence = sentences.find((s) => s.index === fit.index);
  const translator = ctx.engines.translator;
  if (!sentence?.spokenText || !sentence.predictedMs || !translator) return false;
  const budgetMs = fit.slotMs * ctx.config.maxSpeed;
  const ratio = budgetMs / sentence.predictedMs;
  const maxChars = Math.max(1, Math.floor(sentence.spokenText.length * ratio * 0.95));
  const candidates = await translator.shorten({
    text: sentence.spokenText,
    source: sentence.sourceText,
    targetLanguage: language,
    maxChars,
    glossary: taskGlossary(task),
    signal: ctx.signal,
  });
  const usable = candidates.filter((c) => c.trim() !== "" && c.length < sentence.spokenText!.length);
  if (usable.length === 0) return false;
  const draftPath = layout.draft(ctx.taskDir, segmentIndex, language, sentence.index);
  let chosen: { text: string; durationMs: number } | null = null;
  // Longest first: the least meaning lost among those that fit.
  for (const text of [...usable].sort((a, b) => b.length - a.length)) {
    const out = await ctx.engines.tts.synthesize({
      text,
      language,
      ...voiceOf(sentence),
      outPath: draftPath,
      signal: ctx.signal,
    });
    chosen = { text, durationMs: out.durationMs };
    if (out.durationMs <= budgetMs) break;
  }
  if (!chosen) return false;
  await ctx.store.updateSentences(task.id, language, [
    {
      index: sentence.index,
      spokenText: chosen.text,
      predictedMs: Math.round(chosen.durationMs),
      shortenAttempts: sentence.shortenAttempts + 1,
    },
  ]);
  return true;
}
