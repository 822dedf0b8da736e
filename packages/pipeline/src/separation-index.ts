/** Public API of vocal/background separation and voice activity detection. */
export type { Separator, SeparateOptions, SeparatorKind } from "./separation/types";
export { createSeparator } from "./separation/index";
export { createRnnoiseSeparator, loadRnnoise, denoiseChannel } from "./separation/rnnoise";
export { createMdxSeparator, runMdx, loadMdxSession, KIM_VOCAL_2 } from "./separation/mdx";
export type { MdxConfig } from "./separation/mdx";
export { spectralGate } from "./separation/gate";
export { stft, istft, hannWindow } from "./separation/stft";
export type { Spectrogram } from "./separation/stft";
export { decodePcm, encodeWav } from "./separation/pcm";
export type { PcmAudio } from "./separation/pcm";
export {
  detectSpeechRegions,
  silencesFromSpeech,
  speechRegionsFromProbabilities,
  speechProbabilities,
  loadSilero,
} from "./vad/silero";
export type { SpeechThresholds } from "./vad/silero";
