/** OpenAI-compatible speech (/v1/audio/speech): OpenAI, or any server speaking that API. */
import { createLlmClient, createOpenAiSpeechEngine, OPENAI_SPEAKER_VOICES } from "@vitranslator/pipeline";
import { z } from "zod";
import { spokenLanguages } from "../files";
import { defineEngine } from "../types";
import type { EngineEnv } from "../types";

const env = {
  /** Speech model, e.g. gpt-4o-mini-tts or tts-1. */
  TTS_MODEL: z.string().optional(),
  /** Default voice (sentences without a speaker). */
  TTS_VOICE: z.string().optional(),
  /** Comma-separated voices handed to speakers, and offered on the upload page. */
  TTS_VOICES: z
    .string()
    .optional()
    .transform((v) =>
      v
        ?.split(",")
        .map((x) => x.trim())
        .filter(Boolean),
    ),
  /** Its own endpoint and key; LLM_BASE_URL / LLM_API_KEY when unset. */
  TTS_BASE_URL: z.string().url().optional(),
  TTS_API_KEY: z.string().optional(),
};
type Env = EngineEnv<typeof env>;

const baseUrl = (e: Env) => e.TTS_BASE_URL ?? e.LLM_BASE_URL;
const voices = (e: Env): string[] => {
  const list: string[] = e.TTS_VOICES?.length ? [...e.TTS_VOICES] : [...OPENAI_SPEAKER_VOICES];
  return e.TTS_VOICE && !list.includes(e.TTS_VOICE) ? [e.TTS_VOICE, ...list] : list;
};

export const openaiTts = defineEngine({
  kind: "tts",
  name: "openai",
  env,
  missing: (e) => {
    const lacks = [
      e.TTS_MODEL ? null : "TTS_MODEL (e.g. gpt-4o-mini-tts, tts-1)",
      baseUrl(e) ? null : "TTS_BASE_URL or LLM_BASE_URL (the OpenAI-compatible endpoint)",
    ].filter((x): x is string => x !== null);
    return lacks.length
      ? { what: "no OpenAI-compatible speech endpoint is configured", fix: `set ${lacks.join(" and ")}` }
      : null;
  },
  create: (e) =>
    createOpenAiSpeechEngine({
      client: createLlmClient({
        baseURL: baseUrl(e) ?? "",
        apiKey: e.TTS_API_KEY ?? e.LLM_API_KEY ?? "",
        model: e.LLM_MODEL,
        timeoutMs: e.LLM_TIMEOUT_MS,
      }),
      model: e.TTS_MODEL ?? "",
      ...(e.TTS_VOICE ? { voice: e.TTS_VOICE } : {}),
      ...(e.TTS_VOICES ? { voices: e.TTS_VOICES } : {}),
    }),
  describe: (e) => `openai-compatible speech (${e.TTS_MODEL ?? "?"})`,
  capabilities: (e, engine) => ({
    languages: spokenLanguages(engine),
    voices: voices(e).map((id) => ({ id, label: id.charAt(0).toUpperCase() + id.slice(1) })),
  }),
});
