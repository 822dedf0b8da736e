/** Vocal/background separation: RNNoise, MDX-Net, and the signal helpers they share. */
export type { Separator, SeparateOptions, SeparatorKind } from "./types";
export { createSeparator } from "./select";
export { createRnnoiseSeparator, loadRnnoise, denoiseChannel } from "./rnnoise";
export { createMdxSeparator, runMdx, loadMdxSession, KIM_VOCAL_2 } from "./mdx";
export type { MdxConfig } from "./mdx";
export { spectralGate } from "./gate";
export { stft, istft, hannWindow } from "./stft";
export type { Spectrogram } from "./stft";
export { decodePcm, encodeWav } from "./pcm";
export type { PcmAudio } from "./pcm";
