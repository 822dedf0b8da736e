/** Speech recognition through an OpenAI-compatible `audio.transcriptions` endpoint (verbose_json). */
import { createLlmClient, createOpenAiTranscriber } from "@vitranslator/pipeline";
import { z } from "zod";
import { defineEngine } from "../types";
import type { EngineEnv } from "../types";

const env = {
  /** Transcription model (e.g. whisper-1); enables this engine. */
  ASR_MODEL: z.string().optional(),
  /** Its own endpoint and key; LLM_BASE_URL / LLM_API_KEY when unset. */
  ASR_BASE_URL: z.string().url().optional(),
  ASR_API_KEY: z.string().optional(),
};
const baseUrl = (e: EngineEnv<typeof env>) => e.ASR_BASE_URL ?? e.LLM_BASE_URL;

export const openaiAsr = defineEngine({
  kind: "asr",
  name: "openai",
  env,
  missing: (e) => {
    const lacks = [
      e.ASR_MODEL ? null : "ASR_MODEL (e.g. whisper-1)",
      baseUrl(e) ? null : "ASR_BASE_URL or LLM_BASE_URL (the OpenAI-compatible endpoint)",
    ].filter((x): x is string => x !== null);
    return lacks.length
      ? {
          what: "no OpenAI-compatible transcription endpoint is configured",
          fix: `set ${lacks.join(" and ")}`,
        }
      : null;
  },
  create: (e) =>
    createOpenAiTranscriber({
      client: createLlmClient({
        baseURL: baseUrl(e) ?? "",
        apiKey: e.ASR_API_KEY ?? e.LLM_API_KEY ?? "",
        model: e.LLM_MODEL,
        transcriptionModel: e.ASR_MODEL ?? "",
        timeoutMs: e.LLM_TIMEOUT_MS,
      }),
    }),
  describe: (e) => `openai-compatible transcription (${e.ASR_MODEL ?? "?"})`,
});
