/** CosyVoice over gRPC: the engine and how a request is phrased for each model version. */
export {
  CosyVoiceEngine,
  createCosyVoiceEngine,
  normaliseCosyVoiceAddress,
  PROMPT_SAMPLE_RATE,
} from "./engine";
export type { CosyVoiceOptions, CosyVoiceRequest } from "./engine";
export {
  baseLanguage,
  chooseCosyVoiceMode,
  COSYVOICE_SAMPLE_RATES,
  cosyVoicePromptText,
  cosyVoiceSupports,
  cosyVoiceText,
} from "./mode";
export type { CosyVoiceMode, CosyVoiceVersion, ModeInput } from "./mode";
