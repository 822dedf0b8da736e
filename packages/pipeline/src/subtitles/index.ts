/** Subtitles: SRT/VTT parsing and writing, and text tracks embedded in the source. */
export { parseSubtitles, toSrt, toVtt } from "./parse";
export type { Cue } from "./parse";
export { extractEmbeddedSubtitles, isTextSubtitleCodec } from "./embedded";
