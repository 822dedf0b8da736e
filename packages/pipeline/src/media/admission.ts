/**
 * What an upload must be before anything trusts it (DESIGN §7b): one of an allow-list of
 * containers and codecs, within caps on picture size, frame rate and streams, and as long
 * as its packets say rather than its header. The one probe that lets ffmpeg pick a demuxer
 * is here, restricted to the allow-list, with bounded probing and a decoder pixel cap, so
 * a decompression bomb fails inside ffprobe before it allocates anything large.
 */
import { stat } from "node:fs/promises";
import { PipelineError } from "../errors";
import { measureDurationMs } from "./duration";
import { parseProbe, type MediaInfo } from "./probe";
import { ffprobeJson, isProcessError } from "./process";

/**
 * Demuxers an upload may be read with (ffprobe's first `format_name`). Everything else —
 * HLS/DASH playlists, concat lists, image sequences, raw elementary video streams (h264,
 * hevc, m4v, rawvideo…) and the rest of ffmpeg's ~300 demuxers — is refused.
 */
export const ALLOWED_DEMUXERS = [
  "mov",
  "matroska",
  "avi",
  "mpegts",
  "mpeg",
  "flv",
  "ogg",
  "wav",
  "mp3",
  "flac",
  "aac",
] as const;

const VIDEO_CODECS = new Set([
  "h264",
  "hevc",
  "vp8",
  "vp9",
  "av1",
  "mpeg4",
  "mpeg2video",
  "mpeg1video",
  "mjpeg",
  "theora",
  "prores",
  "h263",
  "flv1",
  "msmpeg4v3",
]);
const AUDIO_CODECS = new Set([
  "aac",
  "mp3",
  "mp2",
  "opus",
  "vorbis",
  "flac",
  "alac",
  "ac3",
  "eac3",
  "dts",
  "amr_nb",
  "amr_wb",
]);
/** Text subtitle tracks kept by normalisation (picture-based ones are dropped, not refused). */
export const TEXT_SUBTITLE_CODECS = new Set(["subrip", "ass", "ssa", "webvtt", "mov_text", "text"]);

const isAudioCodec = (codec: string) => AUDIO_CODECS.has(codec) || /^pcm_[a-z0-9]+$/.test(codec);

export interface MediaCaps {
  /** Width × height of the picture. */
  maxPixels: number;
  maxFps: number;
  /** Streams of any kind (attachments and data included). */
  maxStreams: number;
}

/** 4096×2304 covers 4K UHD and DCI 4K, coded-size padding included. */
export const DEFAULT_MEDIA_CAPS: MediaCaps = { maxPixels: 4096 * 2304, maxFps: 120, maxStreams: 32 };

export type AdmittedMedia = MediaInfo & {
  /** The demuxer to force for every later read of the original (normalise.ts). */
  demuxer: (typeof ALLOWED_DEMUXERS)[number];
};

function refuse(code: string, message: string, cause?: unknown): PipelineError {
  return new PipelineError({ code, category: "user", message, ...(cause === undefined ? {} : { cause }) });
}

const ACCEPTED =
  "Upload a video (MP4, MOV, MKV, WebM, AVI, MPEG-TS, MPEG-PS, FLV, Ogg) or an audio file (MP3, M4A, WAV, FLAC, AAC, Ogg).";

/** The allow-listed demuxer ffprobe used, from its `format_name` ("mov,mp4,m4a,…" → "mov"). */
export function allowedDemuxer(formatName: string): AdmittedMedia["demuxer"] | undefined {
  const names = new Set(formatName.split(","));
  return ALLOWED_DEMUXERS.find((d) => names.has(d));
}

/** The container and codec allow-lists; the same check runs at upload and in the worker. */
export function checkAllowed(info: MediaInfo): AdmittedMedia["demuxer"] {
  const demuxer = allowedDemuxer(info.formatName);
  if (!demuxer) throw refuse("UNSUPPORTED_FORMAT", `The file's format is not accepted. ${ACCEPTED}`);
  if (!info.video && !info.audio)
    throw refuse("NO_MEDIA_STREAMS", "The file contains neither a video nor an audio track");
  if (info.video && !VIDEO_CODECS.has(info.video.codec))
    throw refuse("UNSUPPORTED_CODEC", `The video codec "${info.video.codec}" is not accepted.`);
  if (info.audio && !isAudioCodec(info.audio.codec))
    throw refuse("UNSUPPORTED_CODEC", `The audio codec "${info.audio.codec}" is not accepted.`);
  return demuxer;
}

/** Caps on what decoding the file would cost (the operator sets them; see MediaCaps). */
export function checkCaps(info: MediaInfo, caps: MediaCaps): void {
  if (info.streamCount > caps.maxStreams)
    throw refuse(
      "TOO_MANY_STREAMS",
      `The file has ${info.streamCount} streams; the limit is ${caps.maxStreams}.`,
    );
  const v = info.video;
  if (!v) return;
  if (!(v.width > 0 && v.height > 0))
    throw refuse("INVALID_MEDIA", "The video's picture size cannot be read.");
  if (v.width * v.height > caps.maxPixels) {
    throw refuse(
      "VIDEO_TOO_LARGE",
      `The video is ${v.width}x${v.height}; the limit is ${caps.maxPixels} pixels (e.g. 3840x2160).`,
    );
  }
  if (v.fps > caps.maxFps)
    throw refuse(
      "FRAME_RATE_TOO_HIGH",
      `The video has ${Math.round(v.fps)} frames/s; the limit is ${caps.maxFps}.`,
    );
}

/**
 * ffprobe options for the first look at an untrusted file: allow-listed demuxers only,
 * bounded probing and, with caps, a stream cap and a decoder pixel cap (a picture above it
 * fails before its buffers are allocated).
 */
export function untrustedProbeOptions(caps?: MediaCaps): string[] {
  const options = [
    "-format_whitelist",
    ALLOWED_DEMUXERS.join(","),
    "-probesize",
    String(5_000_000),
    "-analyzeduration",
    String(10_000_000),
  ];
  if (caps) options.push("-max_streams", String(caps.maxStreams), "-max_pixels", String(caps.maxPixels));
  return options;
}

/** ffprobe's refusals that are the file's fault, by what they print. */
function probeRefusal(stderr: string, cause: unknown, caps?: MediaCaps): PipelineError {
  if (/not on whitelist/i.test(stderr))
    return refuse("UNSUPPORTED_FORMAT", `The file's format is not accepted. ${ACCEPTED}`, cause);
  const size = /Picture size (\d+x\d+) exceeds specified max pixel count/.exec(stderr);
  if (size && caps)
    return refuse(
      "VIDEO_TOO_LARGE",
      `The video is ${size[1]}; the limit is ${caps.maxPixels} pixels.`,
      cause,
    );
  if (/max_streams/i.test(stderr) && caps)
    return refuse("TOO_MANY_STREAMS", `The file has more than ${caps.maxStreams} streams.`, cause);
  return refuse(
    "INVALID_MEDIA",
    "The file is not a video or audio file that can be read (it may be damaged or in an unsupported format)",
    cause,
  );
}

/**
 * Probes an untrusted file with allow-listed demuxers only (and the caps' limits, when
 * given) and checks it against the container and codec allow-lists.
 */
export async function probeUntrusted(
  path: string,
  opts: { caps?: MediaCaps; signal?: AbortSignal } = {},
): Promise<AdmittedMedia> {
  const size = await stat(path).then(
    (s) => s.size,
    () => -1,
  );
  if (size < 0)
    throw new PipelineError({
      code: "FILE_NOT_FOUND",
      category: "system",
      message: `Media file not found: ${path}`,
    });
  if (size === 0) throw refuse("INVALID_MEDIA", "The file is empty.");
  let json: unknown;
  try {
    json = await ffprobeJson(path, {
      inputOptions: untrustedProbeOptions(opts.caps),
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
  } catch (err) {
    if (isProcessError(err) && err.code === "PROCESS_FAILED")
      throw probeRefusal(err.stderrTail, err, opts.caps);
    throw err;
  }
  const info = parseProbe(json);
  return { ...info, demuxer: checkAllowed(info) };
}

/**
 * The upload check: probeUntrusted, the caps, and the header's duration replaced by the
 * real one (duration.ts). Never decodes more than the probe's first frames.
 */
export async function admitMedia(
  path: string,
  opts: { caps?: MediaCaps; signal?: AbortSignal } = {},
): Promise<AdmittedMedia> {
  const caps = opts.caps ?? DEFAULT_MEDIA_CAPS;
  const info = await probeUntrusted(path, { ...opts, caps });
  checkCaps(info, caps);
  const durationMs = await measureDurationMs({
    path,
    info,
    inputOptions: forcedDemuxer(info.demuxer),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  if (durationMs <= 0) throw refuse("INVALID_MEDIA", "The file has no playable duration.");
  return { ...info, durationMs };
}

/** Input options that read an admitted file with the demuxer it was admitted with, and no other. */
export function forcedDemuxer(demuxer: AdmittedMedia["demuxer"]): string[] {
  return ["-format_whitelist", demuxer, "-f", demuxer];
}
