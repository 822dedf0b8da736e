export { startFakeOpenAi } from "./fake-openai";
export type { FakeOpenAi, FakeOpenAiBehaviour, FakeOpenAiOptions, RecordedRequest } from "./fake-openai";
export { answerShorten, parseTask, standInTranslation } from "./fake-openai-chat";
export type { BrokenJsonStyle, FakeShortenTask, FakeTask, FakeTranslateTask } from "./fake-openai-chat";
export { DEFAULT_TRANSCRIPT_SENTENCES, wavDurationSec } from "./fake-openai-audio";
export type { FakeTranscript, FakeTranscriptSegment } from "./fake-openai-audio";
export { makeSampleVideo } from "./sample-video";
export type { SampleLine, SampleVideo } from "./sample-video";
export { createInstantTts } from "./instant-tts";
export { startFakeCosyVoice } from "./fake-cosyvoice";
export type {
  FakeCosyVoice,
  FakeCosyVoiceBehaviour,
  FakeCosyVoiceMode,
  FakeCosyVoiceOptions,
  FakeCosyVoiceRequest,
} from "./fake-cosyvoice";
export { answerSpeech, speechMs, SPEECH_SAMPLE_RATE } from "./fake-openai-speech";
export { freePort } from "./net";
export { buildTinyGguf, tinyVocabulary, writeTinyGguf } from "./tiny-gguf";
export type { TinyGgufOptions } from "./tiny-gguf";
export { probeDurationMs, probeEntries, runFfmpeg, runTool } from "./tools";
export { claimMkvDuration, lyingMkv, lyingMp3 } from "./lying-media";
export { makeAudio, makeTmpDir, makeVideo } from "./media";
export type { Pulse } from "./media";
export { CHORDS, chordMusic, correlation, db, energy, espeakSpeech } from "./signals";
export { fakeSpeakerEmbeddingOnnx, oneNodeOnnx, sherpaLikeOnnx } from "./onnx";
export type { OneNodeModel } from "./onnx";
export { KOKORO_TEST_VOICES_BYTES, SHERPA_METADATA } from "./sherpa-metadata";
export { pcm16Wav, silentWav } from "./wav";
