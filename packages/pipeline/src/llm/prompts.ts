import { z } from "zod";
import type { GlossaryEntry } from "../glossary/types";

/*
 * The wire payloads of the translate engine. The user message of every chat request is
 * exactly one of these objects, JSON-encoded, so that any model (and the fake server in
 * packages/testkit) can tell the task apart without parsing prose. The full format is
 * documented at the top of ./translate.ts; keep both in step.
 */

export interface ContextSentence {
  index: number;
  text: string;
  /** Already produced translation of a preceding sentence, for consistent terms and tone. */
  translation?: string;
}

export interface TranslatePayload {
  task: "translate";
  sourceLanguage: string | null;
  targetLanguage: string;
  context: string | null;
  before: ContextSentence[];
  sentences: { index: number; text: string }[];
  after: ContextSentence[];
}

export interface ShortenPayload {
  task: "shorten";
  sourceLanguage: string | null;
  targetLanguage: string;
  source: string;
  text: string;
  maxChars: number;
  count: number;
}

export type LlmTaskPayload = TranslatePayload | ShortenPayload;

export function languageLabel(code: string): string {
  try {
    const name = new Intl.DisplayNames(["en"], { type: "language" }).of(code);
    return name && name !== code ? `${name} (${code})` : code;
  } catch {
    // Not a BCP 47 tag (e.g. "Chinese"): the model understands the name as given.
    return code;
  }
}

/** The glossary entries a request should follow, and whether an earlier answer ignored them. */
export interface GlossaryHint {
  /** Only the entries whose term occurs in the lines of this request. */
  entries: readonly GlossaryEntry[];
  /** These lines were translated once already and lost a term: insist. */
  emphasise?: boolean;
}

/** One entry per line, JSON-quoted so that a term can never read as an instruction. */
const glossaryLines = (entries: readonly GlossaryEntry[]): string[] =>
  entries.map((e) => `${JSON.stringify(e.term)} => ${JSON.stringify(e.translation)}`);

function translateGlossaryRules(glossary: GlossaryHint | undefined): string[] {
  if (!glossary || glossary.entries.length === 0) return [];
  return [
    "Use these translations for these terms (the user's glossary), wherever the term occurs in a sentence:",
    ...glossaryLines(glossary.entries),
    ...(glossary.emphasise
      ? [
          "IMPORTANT: an earlier translation of these sentences left out glossary terms. Every translation",
          "MUST contain the glossary translation, exactly as written above, of each term its sentence contains.",
        ]
      : []),
  ];
}

export function translateSystemPrompt(payload: TranslatePayload, glossary?: GlossaryHint): string {
  const from = payload.sourceLanguage ? ` from ${languageLabel(payload.sourceLanguage)}` : "";
  return [
    `You translate the spoken lines of a video${from} into ${languageLabel(payload.targetLanguage)} for dubbing.`,
    'The user sends one JSON object with "task":"translate". Translate every item of "sentences":',
    "naturally, as people speak, about as long as the original, keeping names, numbers and meaning.",
    'Items in "before" and "after" are neighbouring lines given only as context: do NOT translate them',
    'and do NOT include them in your answer. "context", when present, is background (earlier lines,',
    "what the video is about, preferred terms): use it, never translate it.",
    "Answer with strict JSON only, no markdown and no commentary, exactly in this form:",
    '{"translations":[{"index":<index of the sentence>,"text":"<translation>"}]}',
    'with exactly one entry for each item of "sentences", using the same "index" values, in the same order.',
    "Never merge, split or skip sentences, and never leave a translation empty.",
    ...translateGlossaryRules(glossary),
  ].join("\n");
}

export function shortenSystemPrompt(payload: ShortenPayload, glossary?: GlossaryHint): string {
  const terms = glossary?.entries ?? [];
  return [
    `You shorten ${languageLabel(payload.targetLanguage)} dubbing lines so they fit the time of the original speech.`,
    'The user sends one JSON object with "task":"shorten": "text" is the current line, "source" the original',
    `it translates. Write ${payload.count} different shorter paraphrases of "text" in ${languageLabel(payload.targetLanguage)},`,
    `each at most ${payload.maxChars} characters, keeping the essential meaning and sounding natural when spoken.`,
    ...(terms.length > 0
      ? [
          "Use these translations for these terms (the user's glossary); every paraphrase MUST keep the",
          "translation of each term below exactly as written, even where dropping it would be shorter:",
          ...glossaryLines(terms),
        ]
      : []),
    "Answer with strict JSON only, no markdown and no commentary, exactly in this form:",
    '{"variants":["<shorter line>", "..."]}',
  ].join("\n");
}

const IndexSchema = z.union([
  z.number().int(),
  // Some models quote numbers; a numeric string is still an unambiguous index.
  z
    .string()
    .regex(/^\s*-?\d+\s*$/)
    .transform((s) => Number(s)),
]);

const TranslationItemSchema = z.object({ index: IndexSchema, text: z.string() });

/** Also accepts a bare array: a frequent deviation that is still unambiguous. */
export const TranslateAnswerSchema = z.union([
  z.object({ translations: z.array(TranslationItemSchema) }),
  z.array(TranslationItemSchema).transform((translations) => ({ translations })),
]);

export const ShortenAnswerSchema = z.union([
  z.object({ variants: z.array(z.string()) }),
  z.array(z.string()).transform((variants) => ({ variants })),
]);
