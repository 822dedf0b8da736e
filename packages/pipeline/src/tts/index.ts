/** TTS engines, speaker → voice mapping and reference clips. */
export { EspeakEngine, createEspeakEngine, espeakVoiceFor } from "./espeak";
export type { EspeakOptions } from "./espeak";
export type { TtsEngine, TtsRequest, TtsResult } from "./types";
export { OpenAiSpeechEngine, createOpenAiSpeechEngine, speechError } from "./openai-speech";
export type { OpenAiSpeechOptions } from "./openai-speech";
export {
  ESPEAK_SPEAKER_VARIANTS,
  OPENAI_SPEAKER_VOICES,
  espeakVoiceForSpeaker,
  speakerSlot,
  voiceForSpeaker,
} from "./voices";
export { MAX_REFERENCE_MS, cutReference, planReferences, referenceFileName, speakerKey } from "./reference";
export type { ReferencePlan, ReferenceSentence } from "./reference";
export { pcm16ToWav44k, readPcm16, toWav44k } from "./pcm";
export * from "./cosyvoice";
export * from "./sherpa";
