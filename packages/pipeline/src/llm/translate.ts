/*
 * Translation and shortening through an OpenAI-compatible chat endpoint.
 *
 * Wire protocol (shared with the fake server in packages/testkit/src/fake-openai.ts):
 * every request is `POST {baseURL}/chat/completions` with
 * `response_format: {"type":"json_object"}`, a system prompt (./prompts.ts) and ONE user
 * message whose content is a JSON object:
 *
 *   translate: {"task":"translate","sourceLanguage":"en"|null,"targetLanguage":"zh",
 *               "context":"<what the video is about>"|null,
 *               "before":[{"index":3,"text":"...","translation":"..."}],   // context only
 *               "sentences":[{"index":4,"text":"..."},{"index":5,"text":"..."}],
 *               "after":[{"index":6,"text":"..."}]}                          // context only
 *     answer:  {"translations":[{"index":4,"text":"..."},{"index":5,"text":"..."}]}
 *
 *   shorten:   {"task":"shorten","sourceLanguage":"en"|null,"targetLanguage":"zh",
 *               "source":"<original sentence>","text":"<current translation>",
 *               "maxChars":12,"count":3}
 *     answer:  {"variants":["...","...","..."]}
 *
 * A glossary is not part of the payload: the entries whose term occurs in a batch's sentences
 * (or in the original of a line to shorten) are listed in the system prompt.
 *
 * Answers are read with extractJson (fences, prose and small syntax slips are repaired) and
 * validated with zod. A translate answer must hold every requested index exactly once with
 * non-empty text; otherwise the batch is split in halves and each half asked again, down to
 * single sentences, so one bad line never costs the whole batch and is never dropped.
 */
import type { LlmClient } from "./client";
import { PipelineError } from "../errors";
import { entriesFor, lostTerms } from "../glossary/match";
import type { GlossaryEntry } from "../glossary/types";
import { badAnswer, isAnswerError, toLlmError } from "./errors";
import type { LlmLogger } from "./errors";
import { extractJson } from "./json";
import {
  ShortenAnswerSchema,
  TranslateAnswerSchema,
  shortenSystemPrompt,
  translateSystemPrompt,
} from "./prompts";
import type {
  ContextSentence,
  GlossaryHint,
  LlmTaskPayload,
  ShortenPayload,
  TranslatePayload,
} from "./prompts";

export interface SourceSentence {
  index: number;
  text: string;
}

export interface TranslateRequest {
  sentences: SourceSentence[];
  sourceLanguage?: string;
  targetLanguage: string;
  /** Free text about the video (title, topic, glossary); helps terms and tone. */
  context?: string;
  /** The task's glossary; each batch's prompt lists the entries whose term it contains. */
  glossary?: readonly GlossaryEntry[];
  /** These lines lost a glossary term in an earlier translation: the prompt insists on the terms. */
  emphasiseGlossary?: boolean;
  signal?: AbortSignal;
}

export interface ShortenRequest {
  /** Current (too long) translation. */
  text: string;
  /** Original sentence it translates. */
  source: string;
  sourceLanguage?: string;
  targetLanguage: string;
  maxChars: number;
  count?: number;
  /**
   * The task's glossary: the prompt asks to keep the terms of `source`, and variants that lose
   * a term the current text has are dropped unless every variant does.
   */
  glossary?: readonly GlossaryEntry[];
  signal?: AbortSignal;
}

export interface Translator {
  translate(req: TranslateRequest): Promise<SourceSentence[]>;
  /** Shorter paraphrases of `text`, shortest first. */
  shorten(req: ShortenRequest): Promise<string[]>;
}

export interface TranslatorOptions {
  batchSize?: number;
  /** Neighbouring sentences sent before and after each batch as context. */
  contextSize?: number;
  logger?: LlmLogger;
}

export interface OpenAiTranslatorOptions extends TranslatorOptions {
  client: LlmClient;
  /** Send `response_format: json_object`; turn off for servers that reject it. */
  jsonMode?: boolean;
  temperature?: number;
}

/** One request to a model: the payload, its system prompt, and which try this is (1 = first). */
export interface CompletionRequest {
  payload: LlmTaskPayload;
  system: string;
  attempt: number;
  signal?: AbortSignal | undefined;
}

/**
 * The port every translation engine implements (OpenAI-compatible chat, embedded llama.cpp):
 * one JSON value per request, parsed but not yet validated. Throwing an answer error
 * (LLM_BAD_JSON / LLM_BAD_ANSWER) makes the caller ask again in smaller pieces.
 */
export type JsonCompletion = (req: CompletionRequest) => Promise<unknown>;

/** A single sentence (or a shorten request) gets this many tries before it fails the job. */
const SINGLE_ATTEMPTS = 2;

export function createOpenAiTranslator(opts: OpenAiTranslatorOptions): Translator {
  const { client, jsonMode = true, temperature, ...rest } = opts;
  const complete: JsonCompletion = async ({ payload, system, signal }) => {
    let completion;
    try {
      completion = await client.openai.chat.completions.create(
        {
          model: client.model,
          messages: [
            { role: "system", content: system },
            { role: "user", content: JSON.stringify(payload) },
          ],
          ...(jsonMode ? { response_format: { type: "json_object" as const } } : {}),
          ...(temperature === undefined ? {} : { temperature }),
        },
        signal ? { signal } : undefined,
      );
    } catch (err) {
      throw toLlmError(err, { client, model: client.model, signal });
    }
    const choice = completion.choices[0];
    if (!choice) throw badAnswer("The LLM answered without any choice.");
    if (choice.finish_reason === "length") {
      throw badAnswer("The LLM answer was cut off (finish_reason=length).");
    }
    if (choice.finish_reason === "content_filter") {
      throw badAnswer("The LLM answer was withheld by the provider's content filter.");
    }
    const content = choice.message.content;
    if (!content) {
      const refusal = choice.message.refusal;
      throw badAnswer(refusal ? `The LLM refused: ${refusal}` : "The LLM answered with empty content.");
    }
    return extractJson(content);
  };
  return createTranslator({ ...rest, complete });
}

/** Batching, context, validation and the split-in-halves retry, over any JsonCompletion. */
export function createTranslator(opts: TranslatorOptions & { complete: JsonCompletion }): Translator {
  const { complete, batchSize = 20, contextSize = 3, logger } = opts;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw invalidOption(`batchSize must be ≥ 1, got ${batchSize}`);
  if (!Number.isInteger(contextSize) || contextSize < 0) {
    throw invalidOption(`contextSize must be ≥ 0, got ${contextSize}`);
  }

  async function translateBatch(
    payload: TranslatePayload,
    glossary: GlossaryHint,
    attempt: number,
    signal?: AbortSignal,
  ): Promise<Map<number, string>> {
    const system = translateSystemPrompt(payload, glossary);
    const json = await complete({ payload, system, attempt, signal });
    const parsed = TranslateAnswerSchema.safeParse(json);
    if (!parsed.success) {
      throw badAnswer(
        `The LLM answer does not have the form {"translations":[{"index","text"}]}: ${parsed.error.message}`,
      );
    }
    const wanted = new Set(payload.sentences.map((s) => s.index));
    const got = new Map<number, string>();
    const extra: number[] = [];
    for (const item of parsed.data.translations) {
      if (!wanted.has(item.index)) {
        extra.push(item.index);
        continue;
      }
      if (got.has(item.index)) throw badAnswer(`The LLM answered index ${item.index} twice.`);
      const text = item.text.trim();
      if (text === "") throw badAnswer(`The LLM left the translation of index ${item.index} empty.`);
      got.set(item.index, text);
    }
    const missing = [...wanted].filter((i) => !got.has(i));
    if (missing.length > 0) throw badAnswer(`The LLM left out indices ${missing.join(", ")}.`);
    // Translating a context line as well is harmless once every requested line is present.
    if (extra.length > 0) logger?.warn({ extra }, "LLM answered indices that were not asked for; ignored");
    return got;
  }

  async function translate(req: TranslateRequest): Promise<SourceSentence[]> {
    const { sentences, signal } = req;
    assertUniqueIndices(sentences);
    const done = new Map<number, string>();
    // Blank lines need no model and would only trip the non-empty check.
    const todo = sentences.filter((s) => {
      if (s.text.trim() !== "") return true;
      done.set(s.index, "");
      return false;
    });

    const contextAt = (from: number, to: number): ContextSentence[] =>
      todo.slice(Math.max(0, from), Math.max(0, to)).map((s) => {
        const translation = done.get(s.index);
        return translation === undefined ? { index: s.index, text: s.text } : { ...s, translation };
      });

    const runRange = async (lo: number, hi: number, attempt = 1): Promise<void> => {
      signal?.throwIfAborted();
      const batch = todo.slice(lo, hi);
      const payload: TranslatePayload = {
        task: "translate",
        sourceLanguage: req.sourceLanguage ?? null,
        targetLanguage: req.targetLanguage,
        context: req.context?.trim() || null,
        before: contextAt(lo - contextSize, lo),
        sentences: batch.map((s) => ({ index: s.index, text: s.text })),
        after: contextAt(hi, hi + contextSize),
      };
      try {
        const glossary: GlossaryHint = {
          entries: entriesFor(
            req.glossary ?? [],
            payload.sentences.map((s) => s.text),
          ),
          emphasise: req.emphasiseGlossary === true,
        };
        for (const [index, text] of await translateBatch(payload, glossary, attempt, signal)) {
          done.set(index, text);
        }
      } catch (err) {
        if (!isAnswerError(err)) throw err;
        const indices = batch.map((s) => s.index);
        const first = batch[0];
        if (batch.length === 1 && first) {
          if (attempt < SINGLE_ATTEMPTS) {
            logger?.warn(
              { indices, attempt, err: err.message },
              "LLM translation of one sentence failed; retrying",
            );
            return runRange(lo, hi, attempt + 1);
          }
          throw new PipelineError({
            code: "TRANSLATION_FAILED",
            category: "third_party",
            message: `Could not translate sentence ${first.index} (${JSON.stringify(preview(first.text))}) into ${req.targetLanguage}: ${err.message}`,
            cause: err,
          });
        }
        logger?.warn({ indices, err }, "LLM translation batch failed; splitting it in halves");
        const mid = lo + Math.ceil(batch.length / 2);
        await runRange(lo, mid);
        await runRange(mid, hi);
      }
    };

    // Batches run one after another so each one sees the translations before it as context.
    for (let lo = 0; lo < todo.length; lo += batchSize) {
      await runRange(lo, Math.min(lo + batchSize, todo.length));
    }
    logger?.info({ sentences: sentences.length, targetLanguage: req.targetLanguage }, "translated sentences");
    return sentences.map((s) => {
      const text = done.get(s.index);
      // Unreachable by construction; kept so a logic slip can never return a blank line silently.
      if (text === undefined) throw new Error(`translation of index ${s.index} missing`);
      return { index: s.index, text };
    });
  }

  async function shorten(req: ShortenRequest): Promise<string[]> {
    const count = req.count ?? 3;
    if (!Number.isInteger(count) || count < 1) throw invalidOption(`shorten count must be ≥ 1, got ${count}`);
    if (!Number.isFinite(req.maxChars) || req.maxChars < 1) {
      throw invalidOption(`shorten maxChars must be ≥ 1, got ${req.maxChars}`);
    }
    const payload: ShortenPayload = {
      task: "shorten",
      sourceLanguage: req.sourceLanguage ?? null,
      targetLanguage: req.targetLanguage,
      source: req.source,
      text: req.text,
      maxChars: Math.floor(req.maxChars),
      count,
    };
    const glossary: GlossaryHint = { entries: entriesFor(req.glossary ?? [], [req.source]) };
    let lastError: PipelineError | undefined;
    for (let attempt = 1; attempt <= SINGLE_ATTEMPTS; attempt++) {
      req.signal?.throwIfAborted();
      try {
        const json = await complete({
          payload,
          system: shortenSystemPrompt(payload, glossary),
          attempt,
          signal: req.signal,
        });
        const parsed = ShortenAnswerSchema.safeParse(json);
        if (!parsed.success) {
          throw badAnswer(
            `The LLM answer does not have the form {"variants":[...]}: ${parsed.error.message}`,
          );
        }
        const variants = usableVariants(parsed.data.variants, req.text);
        if (variants.length === 0) throw badAnswer("The LLM gave no usable shorter variant.");
        const keeping = keepingGlossaryTerms(variants, glossary.entries, req);
        if (keeping.length < variants.length) {
          logger?.warn(
            { dropped: variants.length - keeping.length, kept: keeping.length },
            keeping.length > 0
              ? "LLM shortening lost glossary terms in some variants; dropped them"
              : "LLM shortening lost glossary terms in every variant; kept them all",
          );
        }
        return (keeping.length > 0 ? keeping : variants).slice(0, count);
      } catch (err) {
        if (!isAnswerError(err)) throw err;
        lastError = err;
        logger?.warn({ attempt, err }, "LLM shortening answer unusable");
      }
    }
    throw new PipelineError({
      code: "SHORTEN_FAILED",
      category: "third_party",
      message: `Could not shorten ${JSON.stringify(preview(req.text))}: ${lastError?.message ?? "no answer"}`,
      cause: lastError,
    });
  }

  return { translate, shorten };
}

/**
 * Distinct, non-empty variants that differ from the input, shortest first. Variants above
 * maxChars are kept (sorted last): characters are only a proxy for spoken duration, and the
 * aligner measures the real one.
 */
function usableVariants(variants: string[], original: string): string[] {
  const seen = new Set<string>([original.trim()]);
  const out: string[] = [];
  for (const v of variants) {
    const t = v.trim();
    if (t === "" || seen.has(t)) continue;
    seen.add(t);
    out.push(t);
  }
  return out.sort((a, b) => charCount(a) - charCount(b));
}

/** The variants that keep every glossary translation the current text has. */
function keepingGlossaryTerms(
  variants: string[],
  entries: readonly GlossaryEntry[],
  req: { source: string; text: string },
): string[] {
  if (entries.length === 0) return variants;
  const alreadyLost = new Set(lostTerms(entries, req.source, req.text));
  const kept = entries.filter((e) => !alreadyLost.has(e));
  return variants.filter((v) => lostTerms(kept, req.source, v).length === 0);
}

const charCount = (s: string): number => [...s].length;

const preview = (s: string): string => (s.length > 80 ? `${s.slice(0, 80)}…` : s);

function assertUniqueIndices(sentences: SourceSentence[]): void {
  const seen = new Set<number>();
  for (const s of sentences) {
    if (seen.has(s.index))
      throw invalidOption(`sentence index ${s.index} appears twice in one translate request`);
    seen.add(s.index);
  }
}

function invalidOption(message: string): PipelineError {
  return new PipelineError({ code: "LLM_INVALID_REQUEST", category: "system", message });
}
