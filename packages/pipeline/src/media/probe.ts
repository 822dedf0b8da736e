import { stat } from "node:fs/promises";
import { z } from "zod";
import { PipelineError } from "../errors";
import { measureDurationMs } from "./duration";
import { ffprobeJson, isProcessError } from "./process";

export interface MediaInfo {
  durationMs: number;
  formatName: string;
  sizeBytes: number;
  /** Timestamp of the first packet (MPEG-TS often starts above 0), in seconds. */
  startTimeS: number;
  /** All streams, attachments and data included. */
  streamCount: number;
  video?: { codec: string; width: number; height: number; fps: number };
  audio?: { codec: string; sampleRate: number; channels: number };
  /** Absolute index of the main video and audio streams (for `-map 0:<index>`). */
  streamIndex: { video?: number; audio?: number };
  subtitleStreams: { index: number; codec: string; language?: string }[];
}

/** ffprobe prints numbers as strings in some fields and as numbers in others. */
const numeric = z.union([z.number(), z.string()]).optional();

const streamSchema = z.object({
  index: z.number(),
  codec_type: z.string().optional(),
  codec_name: z.string().optional(),
  width: z.number().optional(),
  height: z.number().optional(),
  avg_frame_rate: z.string().optional(),
  r_frame_rate: z.string().optional(),
  sample_rate: numeric,
  channels: z.number().optional(),
  duration: numeric,
  disposition: z.object({ attached_pic: z.number().optional() }).optional(),
  tags: z.record(z.string(), z.unknown()).optional(),
});

const probeSchema = z.object({
  streams: z.array(streamSchema).default([]),
  format: z
    .object({ format_name: z.string().optional(), duration: numeric, size: numeric, start_time: numeric })
    .optional(),
});

type ProbeStream = z.infer<typeof streamSchema>;

function toNumber(v: number | string | undefined): number {
  const n = typeof v === "string" ? Number.parseFloat(v) : (v ?? Number.NaN);
  return Number.isFinite(n) ? n : Number.NaN;
}

/** "30000/1001" → 29.97; "0/0" (unknown) → NaN. */
export function parseRate(rate: string | undefined): number {
  if (!rate) return Number.NaN;
  const [num, den] = rate.split("/").map(Number);
  if (num === undefined || !Number.isFinite(num)) return Number.NaN;
  if (den === undefined) return num;
  return den > 0 ? num / den : Number.NaN;
}

function parseFps(s: ProbeStream): number {
  const avg = parseRate(s.avg_frame_rate);
  if (avg > 0) return avg;
  const r = parseRate(s.r_frame_rate);
  return r > 0 ? r : 0;
}

function languageOf(s: ProbeStream): string | undefined {
  const lang = s.tags?.language;
  return typeof lang === "string" && lang !== "und" && lang !== "" ? lang : undefined;
}

/**
 * Turns ffprobe's `-show_format -show_streams` JSON into MediaInfo. Pure, so it can be tested
 * on captured outputs. `durationMs` is 0 when neither the container nor any stream knows it
 * (e.g. WebM from a browser's MediaRecorder); probeMedia then reads it from the packets.
 */
export function parseProbe(json: unknown): MediaInfo {
  const parsed = probeSchema.safeParse(json);
  if (!parsed.success) {
    throw new PipelineError({
      code: "INVALID_MEDIA",
      category: "user",
      message: "The file could not be read as audio or video (unexpected ffprobe output)",
      cause: parsed.error,
    });
  }
  const { streams, format } = parsed.data;
  // Cover art in audio files is reported as a video stream; it is not a video.
  const videoStream = streams.find((s) => s.codec_type === "video" && s.disposition?.attached_pic !== 1);
  const audioStream = streams.find((s) => s.codec_type === "audio");

  let durationSec = toNumber(format?.duration);
  if (!(durationSec > 0)) {
    const streamDurations = streams.map((s) => toNumber(s.duration)).filter((d) => d > 0);
    durationSec = streamDurations.length > 0 ? Math.max(...streamDurations) : 0;
  }
  const size = toNumber(format?.size);
  const startTime = toNumber(format?.start_time);

  const info: MediaInfo = {
    durationMs: Math.round(durationSec * 1000),
    formatName: format?.format_name ?? "unknown",
    sizeBytes: Number.isFinite(size) ? size : 0,
    startTimeS: Number.isFinite(startTime) ? startTime : 0,
    streamCount: streams.length,
    streamIndex: {
      ...(videoStream ? { video: videoStream.index } : {}),
      ...(audioStream ? { audio: audioStream.index } : {}),
    },
    subtitleStreams: streams
      .filter((s) => s.codec_type === "subtitle")
      .map((s) => {
        const language = languageOf(s);
        return { index: s.index, codec: s.codec_name ?? "unknown", ...(language ? { language } : {}) };
      }),
  };
  if (videoStream) {
    info.video = {
      codec: videoStream.codec_name ?? "unknown",
      width: videoStream.width ?? 0,
      height: videoStream.height ?? 0,
      fps: parseFps(videoStream),
    };
  }
  if (audioStream) {
    const sampleRate = toNumber(audioStream.sample_rate);
    info.audio = {
      codec: audioStream.codec_name ?? "unknown",
      sampleRate: Number.isFinite(sampleRate) ? sampleRate : 0,
      channels: audioStream.channels ?? 0,
    };
  }
  return info;
}

export interface ProbeMediaOptions {
  signal?: AbortSignal;
  /** How to open the file (see input-policy.ts); by default the demuxer of its extension. */
  inputOptions?: readonly string[];
}

/**
 * Describes a media file we wrote or normalised (an upload goes through admission.ts
 * first). Unreadable files and files without audio or video are the user's fault
 * (category "user"), so the task fails at once with a clear message.
 */
export async function probeMedia(path: string, opts: ProbeMediaOptions = {}): Promise<MediaInfo> {
  try {
    await stat(path);
  } catch (cause) {
    throw new PipelineError({
      code: "FILE_NOT_FOUND",
      category: "system",
      message: `Media file not found: ${path}`,
      cause,
    });
  }
  let json: unknown;
  try {
    json = await ffprobeJson(path, opts);
  } catch (cause) {
    if (isProcessError(cause) && cause.code === "PROCESS_FAILED") {
      throw new PipelineError({
        code: "INVALID_MEDIA",
        category: "user",
        message:
          "The file is not a video or audio file that can be read (it may be damaged or in an unsupported format)",
        cause,
      });
    }
    throw cause;
  }
  const info = parseProbe(json);
  if (!info.video && !info.audio) {
    throw new PipelineError({
      code: "NO_MEDIA_STREAMS",
      category: "user",
      message: "The file contains neither a video nor an audio track",
    });
  }
  if (info.durationMs <= 0) info.durationMs = await measureDurationMs({ path, info, ...opts });
  if (info.durationMs <= 0) {
    throw new PipelineError({
      code: "INVALID_MEDIA",
      category: "user",
      message: "The file has no playable duration",
    });
  }
  return info;
}
