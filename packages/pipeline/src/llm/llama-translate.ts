/**
 * Translation and shortening with the embedded llama.cpp model: the same prompts, batching,
 * validation and split-in-halves retry as the OpenAI-compatible engine (createTranslator),
 * with each answer constrained by a grammar built from a JSON schema of exactly the answer
 * wanted — one object per requested sentence, its `index` fixed, its `text` non-empty and
 * bounded — so whatever the model samples parses and no line can be skipped or invented.
 */
import type { GbnfJsonObjectSchema } from "node-llama-cpp";
import { badAnswer } from "./errors";
import { extractJson } from "./json";
import { getLlamaRuntime } from "./llama-runtime";
import type { LlamaGpuSetting } from "./llama-runtime";
import type { LlmTaskPayload } from "./prompts";
import { createTranslator } from "./translate";
import type { JsonCompletion, Translator, TranslatorOptions } from "./translate";

export interface LlamaTranslatorOptions extends TranslatorOptions {
  /** Absolute path of the .gguf model. Loaded on the first request, shared per process. */
  modelPath: string;
  gpu?: LlamaGpuSetting;
  contextSize?: number;
  sequences?: number;
  /** Sampling temperature of the first try (0 = greedy); retries sample at 0.7. */
  temperature?: number;
}

/** Tokens kept free for the chat template around the system and user messages. */
const TEMPLATE_TOKENS = 48;
/** The smallest answer budget worth trying; a prompt leaving less is split instead. */
const MIN_ANSWER_TOKENS = 64;

const chars = (s: string): number => [...s].length;

/** Upper bound of a translation's length: generous (scripts differ), but finite. */
export const maxTranslationChars = (source: string): number => Math.min(2000, 4 * chars(source) + 32);

/** The JSON schema of the only answer accepted for `payload`. */
export function answerSchema(payload: LlmTaskPayload): GbnfJsonObjectSchema {
  if (payload.task === "translate") {
    const n = payload.sentences.length;
    return {
      type: "object",
      properties: {
        translations: {
          type: "array",
          prefixItems: payload.sentences.map((s) => ({
            type: "object",
            properties: {
              index: { const: s.index },
              text: { type: "string", minLength: 1, maxLength: maxTranslationChars(s.text) },
            },
          })),
          minItems: n,
          maxItems: n,
        },
      },
    };
  }
  return {
    type: "object",
    properties: {
      variants: {
        type: "array",
        items: { type: "string", minLength: 1, maxLength: Math.max(1, chars(payload.text)) },
        minItems: payload.count,
        maxItems: payload.count,
      },
    },
  };
}

export function createLlamaTranslator(opts: LlamaTranslatorOptions): Translator {
  const { modelPath, gpu, contextSize, sequences, temperature = 0, logger, ...rest } = opts;
  const runtime = () =>
    getLlamaRuntime({
      modelPath,
      ...(gpu ? { gpu } : {}),
      ...(contextSize ? { contextSize } : {}),
      ...(sequences ? { sequences } : {}),
      ...(logger ? { logger } : {}),
    });

  const complete: JsonCompletion = async ({ payload, system, attempt, signal }) => {
    const rt = await runtime();
    const user = JSON.stringify(payload);
    const promptTokens = rt.model.tokenize(system).length + rt.model.tokenize(user).length + TEMPLATE_TOKENS;
    const maxTokens = rt.contextSize - promptTokens;
    if (maxTokens < MIN_ANSWER_TOKENS) {
      throw badAnswer(
        `The request needs ${promptTokens} tokens, too many for the ${rt.contextSize}-token context (LLAMA_CONTEXT_SIZE).`,
      );
    }
    const grammar = await rt.llama.createGrammarForJsonSchema<GbnfJsonObjectSchema>(answerSchema(payload));
    const { LlamaChatSession } = await import("node-llama-cpp");
    const answer = await rt.withSequence(async (contextSequence) => {
      const session = new LlamaChatSession({ contextSequence, systemPrompt: system });
      try {
        // A retry of the same request must not sample the same answer again.
        const sampling = attempt > 1 ? { temperature: 0.7, seed: attempt } : { temperature };
        return await session.promptWithMeta(user, {
          grammar,
          maxTokens,
          ...sampling,
          ...(signal ? { signal } : {}),
        });
      } finally {
        session.dispose({ disposeSequence: false });
      }
    }, signal);
    if (answer.stopReason === "maxTokens") {
      throw badAnswer(`The llama.cpp answer was cut off after ${maxTokens} tokens.`);
    }
    return extractJson(answer.responseText);
  };

  // Small models keep every line of a smaller batch better; the answer budget stays small too.
  return createTranslator({ batchSize: 8, ...rest, ...(logger ? { logger } : {}), complete });
}
