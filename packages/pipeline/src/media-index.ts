/** Public API of the media and engine layer (media, subtitles, segment, tts, align, audio, hls). */
export { runProcess, ffmpeg, ffprobe, ffprobeJson, ProcessError, isProcessError } from "./media/process";
export type { RunProcessOptions, ProcessResult, ToolOptions, FfprobeOptions } from "./media/process";
export { applyInputPolicy, demuxerForPath } from "./media/input-policy";
export { probeMedia, parseProbe, parseRate } from "./media/probe";
export type { MediaInfo, ProbeMediaOptions } from "./media/probe";
export {
  admitMedia,
  probeUntrusted,
  checkAllowed,
  checkCaps,
  ALLOWED_DEMUXERS,
  DEFAULT_MEDIA_CAPS,
} from "./media/admission";
export type { AdmittedMedia, MediaCaps } from "./media/admission";
export { measureDurationMs, parseLastPacketEndS } from "./media/duration";
export { normaliseSource, buildNormaliseArgs } from "./media/normalise";
export { detectSilences, parseSilencedetect } from "./media/silence";
export type { Silence, DetectSilencesOptions } from "./media/silence";
export { extractSegment, extractWav16k, buildExtractSegmentArgs } from "./media/extract";
export type { ExtractSegmentOptions, ExtractSegmentResult } from "./media/extract";
export { listKeyframesMs, parseKeyframePackets, COPYABLE_VIDEO_CODECS } from "./media/keyframes";
export { mixSegment, buildMixArgs, escapeFilterValue } from "./media/mix";
export type { MixSegmentOptions } from "./media/mix";

export { parseSubtitles, toSrt, toVtt } from "./subtitles/parse";
export type { Cue } from "./subtitles/parse";
export { extractEmbeddedSubtitles, isTextSubtitleCodec } from "./subtitles/embedded";

export { planSegments } from "./segment/plan";
export type { PlannedSegment, PlanSegmentsOptions, TimeRange } from "./segment/plan";

export { EspeakEngine, createEspeakEngine, espeakVoiceFor } from "./tts/espeak";
export type { EspeakOptions } from "./tts/espeak";
export type { TtsEngine, TtsRequest, TtsResult } from "./tts/types";

export { fitSentences, summarizeFit, ALIGN_DEFAULTS } from "./align/fit";
export type { FitSentence, FitOptions, FitResult, FitSummary } from "./align/fit";

export { stretchAudio, atempoChain } from "./audio/stretch";
export type { StretchAudioOptions } from "./audio/stretch";
export { renderTimeline, buildTimelineArgs } from "./audio/timeline";
export type { TimelineClip, RenderTimelineOptions } from "./audio/timeline";
export { readWavFormat, wavDurationMs } from "./audio/wav";
export type { WavFormat } from "./audio/wav";

export { buildPlaylist, writeFileAtomic } from "./hls/playlist";
export type { PlaylistSegment, BuildPlaylistOptions } from "./hls/playlist";
export { concatToMp4, concatListLine, probeDurationMs } from "./hls/final";
