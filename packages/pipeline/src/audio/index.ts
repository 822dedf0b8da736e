/** Audio: time-stretching, the segment timeline, WAV headers. */
export { stretchFilter, atempoChain } from "./stretch";
export type { StretchEngine } from "./stretch";
export { renderTimeline, buildTimelineArgs } from "./timeline";
export type { TimelineClip, RenderTimelineOptions } from "./timeline";
export { readWavFormat, wavDurationMs } from "./wav";
export type { WavFormat } from "./wav";
