/** Local model files: sherpa-onnx loading, model folders, the model pack and its downloader. */
export { loadSherpa } from "./native";
export { MODELS_HINT, modelMissing, resolveModelFiles, listModelDirs } from "./model-dir";
export type { ModelFileSpec } from "./model-dir";
export { encodeWav16, decodeWav16, readWav16, writeWav16 } from "./wav-pcm";
export type { MonoAudio } from "./wav-pcm";
export { DEFAULT_MODEL_PACK } from "./manifest";
export type { ModelEntry } from "./manifest";
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
} from "./download";
export type { DownloadProgress, InstallReport, ModelsLock } from "./download";
export { fetchModelPack, missingModels } from "./first-run";
export type { FetchModelPackOptions } from "./first-run";
export { firstStartModels } from "./first-start";
export type { FirstStartOptions, FirstStartOutcome } from "./first-start";
export {
  STATUS_HEARTBEAT_MS,
  modelPackStatusSchema,
  packProgressLine,
  packStatusPath,
  readModelPackProgress,
  readModelPackStatus,
  writeModelPackStatus,
} from "./pack-status";
export type { ModelPackProgress, ModelPackStatus, ModelPackView, ModelProgress } from "./pack-status";
