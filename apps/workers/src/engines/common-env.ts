/**
 * Variables read by engines of several kinds (the OpenAI-compatible endpoint serves
 * translation, transcription and speech; MODELS_DIR holds every local model). An engine's
 * own variables live in its declaration's `env`.
 */
import { z } from "zod";

export const commonEngineEnvShape = {
  /** Local models (`npm run models`). */
  MODELS_DIR: z.string().min(1).default("./models"),
  /** OpenAI-compatible API root (DeepSeek, OpenAI, Gemini, Ollama, vLLM…), usually ending in /v1. */
  LLM_BASE_URL: z.string().url().optional(),
  LLM_API_KEY: z.string().optional(),
  LLM_MODEL: z.string().default("gpt-4o-mini"),
  LLM_TIMEOUT_MS: z.coerce.number().positive().default(60_000),
};

export type CommonEngineEnv = z.infer<z.ZodObject<typeof commonEngineEnvShape>>;
