/** sherpa-onnx ASR (SenseVoice, Whisper): model folders, speech chunks and the transcriber. */
export {
  DEFAULT_SHERPA_ASR_MODEL,
  detectAsrKind,
  findSherpaAsrModel,
  loadSherpaAsrModel,
  recognizerConfig,
} from "./loader";
export type { SherpaAsrKind, SherpaAsrModel } from "./loader";
export { groupSpeech, splitSentences, joinTokens, normaliseAsrLanguage, dominantLanguage } from "./chunks";
export type { SpeechSpan, ChunkOptions, RecognizedChunk, SentenceSegment } from "./chunks";
export { detectSpeech, resolveSileroModel } from "./vad";
export { createSherpaTranscriber } from "./transcriber";
export type { SherpaTranscriber, SherpaTranscriberOptions } from "./transcriber";
