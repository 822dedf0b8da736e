/** Public API of the local model engines (sherpa-onnx ASR, TTS, diarization) and the model downloader. */
export { loadSherpa } from "./models/native";
export { MODELS_HINT, modelMissing, resolveModelFiles, listModelDirs } from "./models/model-dir";
export type { ModelFileSpec } from "./models/model-dir";
export { encodeWav16, decodeWav16, readWav16, writeWav16 } from "./models/wav-pcm";
export type { MonoAudio } from "./models/wav-pcm";
export { DEFAULT_MODEL_PACK } from "./models/manifest";
export type { ModelEntry } from "./models/manifest";
export {
  installModel,
  installModels,
  isInstalled,
  readLock,
  lockPath,
  sha256File,
  describeMissing,
  manualInstallLine,
  renderProgressBar,
} from "./models/download";
export { fetchModelPack, missingModels } from "./models/first-run";
export type { FetchModelPackOptions } from "./models/first-run";
export { firstStartModels } from "./models/first-start";
export type { FirstStartOptions, FirstStartOutcome } from "./models/first-start";
export {
  STATUS_HEARTBEAT_MS,
  modelPackStatusSchema,
  packProgressLine,
  packStatusPath,
  readModelPackProgress,
  readModelPackStatus,
  writeModelPackStatus,
} from "./models/pack-status";
export type { ModelPackProgress, ModelPackStatus, ModelPackView, ModelProgress } from "./models/pack-status";
export type { DownloadProgress, InstallReport, ModelsLock } from "./models/download";

export {
  DEFAULT_SHERPA_ASR_MODEL,
  detectAsrKind,
  findSherpaAsrModel,
  loadSherpaAsrModel,
  recognizerConfig,
} from "./asr/sherpa/loader";
export type { SherpaAsrKind, SherpaAsrModel } from "./asr/sherpa/loader";
export {
  groupSpeech,
  splitSentences,
  joinTokens,
  normaliseAsrLanguage,
  dominantLanguage,
} from "./asr/sherpa/chunks";
export type { SpeechSpan, ChunkOptions, RecognizedChunk, SentenceSegment } from "./asr/sherpa/chunks";
export { detectSpeech, resolveSileroModel } from "./asr/sherpa/vad";
export { createSherpaTranscriber } from "./asr/sherpa/transcriber";
export type { SherpaTranscriber, SherpaTranscriberOptions } from "./asr/sherpa/transcriber";

export {
  DEFAULT_SHERPA_TTS_MODEL,
  detectTtsKind,
  guessTtsLanguages,
  loadSherpaTtsModel,
  ttsConfig,
} from "./tts/sherpa/loader";
export type { SherpaTtsKind, SherpaTtsModel } from "./tts/sherpa/loader";
export { createSherpaTtsEngine, sidFor } from "./tts/sherpa/engine";
export type { SherpaTtsEngine, SherpaTtsOptions } from "./tts/sherpa/engine";

export { assignSpeakers } from "./diarization/assign";
export type { SpeakerTurn, TimedSpan } from "./diarization/assign";
export {
  cosine,
  emptyBook,
  matchClusters,
  speakerBookPath,
  updateSpeakerBook,
} from "./diarization/centroids";
export type { ClusterEmbedding, KnownSpeaker, SpeakerBook } from "./diarization/centroids";
export {
  DEFAULT_EMBEDDING_MODEL,
  DEFAULT_SEGMENTATION_MODEL,
  createSherpaDiarizer,
  diarizationConfig,
  loadDiarizationModels,
} from "./diarization/sherpa";
export type {
  DiarizeRequest,
  Diarizer,
  DiarizationModels,
  SherpaDiarizerOptions,
} from "./diarization/sherpa";
export { startDiarizationWorker } from "./diarization/native-worker";
export type { NativeDiarizationWorker } from "./diarization/native-worker";
