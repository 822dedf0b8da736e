/** Translation and shortening through an OpenAI-compatible chat endpoint (DeepSeek, OpenAI, Ollama…). */
import { createLlmClient, createOpenAiTranslator } from "@vitranslator/pipeline";
import { defineEngine } from "../types";

export const openaiTranslation = defineEngine({
  kind: "translation",
  name: "openai",
  env: {},
  missing: (env) =>
    env.LLM_BASE_URL
      ? null
      : {
          what: "no OpenAI-compatible chat endpoint is configured",
          fix: "set LLM_BASE_URL (and LLM_API_KEY, LLM_MODEL), e.g. LLM_BASE_URL=https://api.deepseek.com/v1",
        },
  create: (env, { log }) =>
    createOpenAiTranslator({
      client: createLlmClient({
        baseURL: env.LLM_BASE_URL ?? "",
        apiKey: env.LLM_API_KEY ?? "",
        model: env.LLM_MODEL,
        timeoutMs: env.LLM_TIMEOUT_MS,
      }),
      logger: log,
    }),
  describe: (env) => `openai-compatible (${env.LLM_MODEL})`,
});
