/** Public API of the OpenAI-compatible engines (translation, shortening, transcription). */
export { createLlmClient } from "./llm/client";
export type { LlmClient, LlmClientOptions } from "./llm/client";
export { extractJson } from "./llm/json";
export { isAnswerError, toLlmError } from "./llm/errors";
export type { LlmLogger } from "./llm/errors";
export { createOpenAiTranslator } from "./llm/translate";
export type {
  OpenAiTranslatorOptions,
  ShortenRequest,
  SourceSentence,
  TranslateRequest,
  Translator,
} from "./llm/translate";
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
