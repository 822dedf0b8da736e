export { startFakeOpenAi } from "./fake-openai";
export type { FakeOpenAi, FakeOpenAiBehaviour, FakeOpenAiOptions, RecordedRequest } from "./fake-openai";
export { answerShorten, parseTask, standInTranslation } from "./fake-openai-chat";
export type { BrokenJsonStyle, FakeShortenTask, FakeTask, FakeTranslateTask } from "./fake-openai-chat";
export { DEFAULT_TRANSCRIPT_SENTENCES, wavDurationSec } from "./fake-openai-audio";
export type { FakeTranscript, FakeTranscriptSegment } from "./fake-openai-audio";
export { makeSampleVideo } from "./sample-video";
export type { SampleLine, SampleVideo } from "./sample-video";
export * from "./sample-video";
