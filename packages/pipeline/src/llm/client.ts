import OpenAI from "openai";
import { PipelineError } from "../errors";

/** One configured OpenAI-compatible endpoint (DeepSeek, OpenAI, Gemini, Ollama, vLLM, ...). */
export interface LlmClient {
  readonly openai: OpenAI;
  /** Normalised base URL (no trailing slash), used in error messages. */
  readonly baseURL: string;
  /** Chat model used for translation and shortening. */
  readonly model: string;
  /** Model for `/audio/transcriptions`, when this endpoint offers one. */
  readonly transcriptionModel?: string;
}

export interface LlmClientOptions {
  baseURL: string;
  apiKey: string;
  model: string;
  timeoutMs?: number;
  maxRetries?: number;
  transcriptionModel?: string;
}

/**
 * Local servers (Ollama, vLLM) ignore the key, but the SDK refuses to start without one,
 * so an empty key is replaced by this placeholder.
 */
const PLACEHOLDER_API_KEY = "not-needed";

export function createLlmClient(opts: LlmClientOptions): LlmClient {
  const { apiKey, model, timeoutMs = 60_000, maxRetries = 2, transcriptionModel } = opts;
  const baseURL = normaliseBaseUrl(opts.baseURL);
  if (model.trim() === "") {
    throw new PipelineError({
      code: "LLM_CONFIG",
      category: "user",
      message: "No LLM model configured: set LLM_MODEL (e.g. deepseek-chat, gpt-4o-mini, qwen2.5:7b).",
    });
  }
  const openai = new OpenAI({
    baseURL,
    apiKey: apiKey.trim() === "" ? PLACEHOLDER_API_KEY : apiKey,
    timeout: timeoutMs,
    maxRetries,
  });
  return {
    openai,
    baseURL,
    model,
    ...(transcriptionModel ? { transcriptionModel } : {}),
  };
}

function normaliseBaseUrl(raw: string): string {
  const trimmed = raw.trim().replace(/\/+$/, "");
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch (cause) {
    throw new PipelineError({
      code: "LLM_CONFIG",
      category: "user",
      message: `LLM_BASE_URL is not a valid URL: ${JSON.stringify(raw)} (expected e.g. https://api.deepseek.com/v1).`,
      cause,
    });
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new PipelineError({
      code: "LLM_CONFIG",
      category: "user",
      message: `LLM_BASE_URL must be an http(s) URL, got ${JSON.stringify(raw)}.`,
    });
  }
  return trimmed;
}
