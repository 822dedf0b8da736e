/** Translation engines (OpenAI-compatible, embedded llama.cpp) and OpenAI-compatible transcription. */
export { createLlmClient } from "./client";
export type { LlmClient, LlmClientOptions } from "./client";
export { extractJson } from "./json";
export { isAnswerError, toLlmError } from "./errors";
export type { LlmLogger } from "./errors";
export { createOpenAiTranslator, createTranslator } from "./translate";
export type {
  CompletionRequest,
  JsonCompletion,
  OpenAiTranslatorOptions,
  TranslatorOptions,
  ShortenRequest,
  SourceSentence,
  TranslateRequest,
  Translator,
} from "./translate";
export { answerSchema, createLlamaTranslator } from "./llama-translate";
export type { LlamaTranslatorOptions } from "./llama-translate";
export {
  DEFAULT_LLAMA_MODEL,
  assertGgufFile,
  disposeLlamaRuntimes,
  getLlamaRuntime,
  inspectGgufFile,
  planLlamaResources,
} from "./llama-runtime";
export type { GgufFileState, LlamaGpuSetting, LlamaPlan, LlamaRuntime } from "./llama-runtime";
export { languageLabel } from "./prompts";
export type {
  ContextSentence,
  GlossaryHint,
  LlmTaskPayload,
  ShortenPayload,
  TranslatePayload,
} from "./prompts";
export { createOpenAiTranscriber } from "./transcribe";
export type {
  OpenAiTranscriberOptions,
  TranscribeRequest,
  TranscribeResult,
  TranscribedSegment,
  Transcriber,
} from "./transcribe";
export { normaliseWhisperLanguage } from "./whisper-languages";
