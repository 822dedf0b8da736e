/** Media: ffmpeg/ffprobe wrappers, probing and admission of uploads, extraction and mixing. */
export { runProcess, ffmpeg, ffprobe, ffprobeJson, ProcessError, isProcessError } from "./process";
export type { RunProcessOptions, ProcessResult, ToolOptions, FfprobeOptions } from "./process";
export { applyInputPolicy, demuxerForPath } from "./input-policy";
export { probeMedia, parseProbe, parseRate } from "./probe";
export type { MediaInfo, ProbeMediaOptions } from "./probe";
export {
  admitMedia,
  probeUntrusted,
  checkAllowed,
  checkCaps,
  ALLOWED_DEMUXERS,
  DEFAULT_MEDIA_CAPS,
} from "./admission";
export type { AdmittedMedia, MediaCaps } from "./admission";
export { measureDurationMs, parseLastPacketEndS } from "./duration";
export { normaliseSource, buildNormaliseArgs, recordAdmission } from "./normalise";
export { detectSilences, parseSilencedetect } from "./silence";
export type { Silence, DetectSilencesOptions } from "./silence";
export { extractSegment, extractWav16k, buildExtractSegmentArgs } from "./extract";
export type { ExtractSegmentOptions, ExtractSegmentResult } from "./extract";
export { listKeyframesMs, parseKeyframePackets, COPYABLE_VIDEO_CODECS } from "./keyframes";
export { buildMixAudioGraph, escapeFilterValue, KEYFRAME_CUT_LEAD_MS } from "./mix";
export { buildChunkMuxArgs, listChunks } from "./chunk-mux";
export type { ChunkMuxOptions } from "./chunk-mux";
export {
  buildPartChunksArgs,
  writePartChunks,
  RENDITION_PTS_BASE_MS,
} from "./renditions";
export type {
  RenditionChunkOptions,
  RenditionSource,
  PartTiming,
  RenditionOutput,
} from "./renditions";
