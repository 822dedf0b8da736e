/** Audio: time-stretching, the segment timeline, WAV headers. */
export { stretchAudio, atempoChain } from "./stretch";
export type { StretchAudioOptions } from "./stretch";
export { renderTimeline, buildTimelineArgs } from "./timeline";
export type { TimelineClip, RenderTimelineOptions } from "./timeline";
export { readWavFormat, wavDurationMs } from "./wav";
export type { WavFormat } from "./wav";
