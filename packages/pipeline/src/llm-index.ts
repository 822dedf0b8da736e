/** Public API of the translation engines (OpenAI-compatible, embedded llama.cpp) and transcription. */
export { createLlmClient } from "./llm/client";
export type { LlmClient, LlmClientOptions } from "./llm/client";
export { extractJson } from "./llm/json";
export { isAnswerError, toLlmError } from "./llm/errors";
export type { LlmLogger } from "./llm/errors";
export { createOpenAiTranslator, createTranslator } from "./llm/translate";
export type {
  CompletionRequest,
  JsonCompletion,
  OpenAiTranslatorOptions,
  TranslatorOptions,
  ShortenRequest,
  SourceSentence,
  TranslateRequest,
  Translator,
} from "./llm/translate";
export { answerSchema, createLlamaTranslator } from "./llm/llama-translate";
export type { LlamaTranslatorOptions } from "./llm/llama-translate";
export {
  DEFAULT_LLAMA_MODEL,
  assertGgufFile,
  disposeLlamaRuntimes,
  getLlamaRuntime,
  inspectGgufFile,
  planLlamaResources,
} from "./llm/llama-runtime";
export type { GgufFileState, LlamaGpuSetting, LlamaPlan, LlamaRuntime } from "./llm/llama-runtime";
export { languageLabel } from "./llm/prompts";
export type { ContextSentence, LlmTaskPayload, ShortenPayload, TranslatePayload } from "./llm/prompts";
export { createOpenAiTranscriber } from "./llm/transcribe";
export type {
  OpenAiTranscriberOptions,
  TranscribeRequest,
  TranscribeResult,
  TranscribedSegment,
  Transcriber,
} from "./llm/transcribe";
export { normaliseWhisperLanguage } from "./llm/whisper-languages";
