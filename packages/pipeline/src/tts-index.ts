/** TTS engines beyond eSpeak, speaker → voice mapping and reference clips (espeak is in media-index). */
export {
  CosyVoiceEngine,
  createCosyVoiceEngine,
  normaliseCosyVoiceAddress,
  PROMPT_SAMPLE_RATE,
} from "./tts/cosyvoice/engine";
export type { CosyVoiceOptions, CosyVoiceRequest } from "./tts/cosyvoice/engine";
export {
  baseLanguage,
  chooseCosyVoiceMode,
  COSYVOICE_SAMPLE_RATES,
  cosyVoicePromptText,
  cosyVoiceSupports,
  cosyVoiceText,
} from "./tts/cosyvoice/mode";
export type { CosyVoiceMode, CosyVoiceVersion, ModeInput } from "./tts/cosyvoice/mode";
export { OpenAiSpeechEngine, createOpenAiSpeechEngine, speechError } from "./tts/openai-speech";
export type { OpenAiSpeechOptions } from "./tts/openai-speech";
export {
  ESPEAK_SPEAKER_VARIANTS,
  OPENAI_SPEAKER_VOICES,
  espeakVoiceForSpeaker,
  speakerSlot,
  voiceForSpeaker,
} from "./tts/voices";
export {
  MAX_REFERENCE_MS,
  cutReference,
  planReferences,
  referenceFileName,
  speakerKey,
} from "./tts/reference";
export type { ReferencePlan, ReferenceSentence } from "./tts/reference";
export { pcm16ToWav44k, readPcm16, toWav44k } from "./tts/pcm";
