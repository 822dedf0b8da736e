/** Speaker diarization: sherpa-onnx models in a worker thread, speaker books across parts. */
export { assignSpeakers } from "./assign";
export type { SpeakerTurn, TimedSpan } from "./assign";
export { cosine, emptyBook, matchClusters, speakerBookPath, updateSpeakerBook } from "./centroids";
export type { ClusterEmbedding, KnownSpeaker, SpeakerBook } from "./centroids";
export {
  DEFAULT_EMBEDDING_MODEL,
  DEFAULT_SEGMENTATION_MODEL,
  createSherpaDiarizer,
  diarizationConfig,
  loadDiarizationModels,
} from "./sherpa";
export type { DiarizeRequest, Diarizer, DiarizationModels, SherpaDiarizerOptions } from "./sherpa";
export { startDiarizationWorker } from "./native-worker";
export type { NativeDiarizationWorker } from "./native-worker";
