/**
 * Translation that keeps the user's glossary: the lines whose translation lost a glossary
 * term are asked once more, alone and with the glossary emphasised; a line that still lacks
 * a term keeps the better of its two translations and is marked, so the watch page can say
 * so. One retry, never a loop: a model that will not use a term costs one extra request.
 */
import { isPipelineError } from "../errors";
import type { SourceSentence, TranslateRequest, Translator } from "../llm/translate";
import { lostTerms } from "./match";

export interface GlossaryTranslation {
  /** One per requested sentence, in request order. */
  translations: string[];
  /** True where the kept translation still lacks a glossary term of its source line. */
  glossaryMissed: boolean[];
  /** How many lines were asked again (for the stage's log). */
  retried: number;
}

export async function translateWithGlossary(
  translator: Translator,
  request: TranslateRequest,
): Promise<GlossaryTranslation> {
  const glossary = request.glossary ?? [];
  const first = byIndex(await translator.translate(request));
  const translations = request.sentences.map((s) => first.get(s.index) ?? "");
  const lost = request.sentences.map((s, i) => lostTerms(glossary, s.text, translations[i] ?? "").length);
  const retry = request.sentences.filter((_, i) => (lost[i] ?? 0) > 0);
  if (retry.length === 0) {
    return { translations, glossaryMissed: translations.map(() => false), retried: 0 };
  }

  let second: Map<number, string>;
  try {
    second = byIndex(await translator.translate({ ...request, sentences: retry, emphasiseGlossary: true }));
  } catch (err) {
    // The first translation is usable; only a line the model cannot translate at all is
    // given up here. Outages, auth errors and cancellation still end the job as usual.
    if (!isPipelineError(err) || err.code !== "TRANSLATION_FAILED") throw err;
    second = new Map();
  }

  const glossaryMissed = request.sentences.map((s, i) => {
    const before = lost[i] ?? 0;
    const again = second.get(s.index);
    if (before === 0) return false;
    if (again === undefined) return true;
    const after = lostTerms(glossary, s.text, again).length;
    // Ties keep the first answer: it was translated with its neighbours as context.
    if (after < before) translations[i] = again;
    return after > 0;
  });
  return { translations, glossaryMissed, retried: retry.length };
}

const byIndex = (sentences: SourceSentence[]): Map<number, string> =>
  new Map(sentences.map((s) => [s.index, s.text]));
