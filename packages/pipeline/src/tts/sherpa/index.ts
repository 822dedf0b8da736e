/** sherpa-onnx TTS (Kokoro, VITS, Matcha): model folders and the engine. */
export {
  DEFAULT_SHERPA_TTS_MODEL,
  detectTtsKind,
  guessTtsLanguages,
  loadSherpaTtsModel,
  ttsConfig,
} from "./loader";
export type { SherpaTtsKind, SherpaTtsModel } from "./loader";
export { createSherpaTtsEngine, sidFor } from "./engine";
export type { SherpaTtsEngine, SherpaTtsOptions } from "./engine";
