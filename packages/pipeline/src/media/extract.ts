import { resolve } from "node:path";
import { PipelineError } from "../errors";
import { FIRST_VIDEO_ONLY, H264_ARGS, NO_METADATA, PCM16_MONO_16K } from "./args";
import { probeMedia, type MediaInfo } from "./probe";
import { ffmpeg } from "./process";

export interface ExtractSegmentOptions {
  input: string;
  startMs: number;
  durationMs: number;
  /** WAV 44.1 kHz stereo s16. */
  audioOut: string;
  /** Silent H.264 MP4; only written when the input has video. */
  videoOut?: string;
  /** Which streams `input` has (the plan's probe), to skip probing it again for every segment. */
  streams?: { audio: boolean; video: boolean };
  /**
   * Copy the video stream instead of re-encoding it: only when the segment starts on a
   * keyframe and the codec plays in browsers (see media/keyframes.ts).
   */
  copyVideo?: boolean;
  signal?: AbortSignal;
}

export interface ExtractSegmentResult {
  audioPath: string;
  videoPath?: string;
}

const sec = (ms: number): string => (ms / 1000).toFixed(3);

/**
 * Pure builder of the ffmpeg arguments for one segment: one decode, two outputs.
 * Seeking before `-i` with re-encoding is frame-accurate (ffmpeg decodes from the previous
 * keyframe and drops frames before the start). Audio is padded with silence and cut to the
 * exact length, and an input without audio gets a generated silent track instead.
 */
export function buildExtractSegmentArgs(opts: {
  input: string;
  startMs: number;
  durationMs: number;
  audioOut: string;
  videoOut?: string;
  hasAudio: boolean;
  hasVideo: boolean;
  copyVideo?: boolean;
}): string[] {
  const dur = sec(opts.durationMs);
  const args = ["-ss", sec(opts.startMs), "-t", dur, "-i", resolve(opts.input)];
  if (!opts.hasAudio) args.push("-f", "lavfi", "-t", dur, "-i", "anullsrc=r=44100:cl=stereo");

  args.push(
    "-map",
    opts.hasAudio ? "0:a:0" : "1:a:0",
    "-af",
    "aresample=44100,apad",
    "-ac",
    "2",
    "-ar",
    "44100",
    "-c:a",
    "pcm_s16le",
    "-t",
    dur,
    ...NO_METADATA,
    resolve(opts.audioOut),
  );

  if (opts.videoOut && opts.hasVideo && opts.copyVideo) {
    // Input seeking lands on the keyframe the segment starts at; nothing is decoded.
    args.push(
      ...FIRST_VIDEO_ONLY,
      "-c:v",
      "copy",
      "-t",
      dur,
      "-avoid_negative_ts",
      "make_zero",
      ...NO_METADATA,
      "-movflags",
      "+faststart",
      resolve(opts.videoOut),
    );
  } else if (opts.videoOut && opts.hasVideo) {
    args.push(
      ...FIRST_VIDEO_ONLY,
      "-vf",
      "scale=trunc(iw/2)*2:trunc(ih/2)*2,setsar=1",
      ...H264_ARGS,
      "-t",
      dur,
      ...NO_METADATA,
      "-movflags",
      "+faststart",
      resolve(opts.videoOut),
    );
  }
  return args;
}

export async function extractSegment(opts: ExtractSegmentOptions): Promise<ExtractSegmentResult> {
  if (!(opts.durationMs > 0) || opts.startMs < 0) {
    throw new PipelineError({
      code: "INVALID_SEGMENT",
      category: "system",
      message: `Invalid segment range: start ${opts.startMs} ms, duration ${opts.durationMs} ms`,
    });
  }
  const streams = opts.streams ?? streamsOf(await probeMedia(opts.input, { signal: opts.signal }));
  const hasVideo = streams.video;
  const writeVideo = hasVideo && opts.videoOut !== undefined;
  await ffmpeg(
    buildExtractSegmentArgs({
      input: opts.input,
      startMs: opts.startMs,
      durationMs: opts.durationMs,
      audioOut: opts.audioOut,
      hasAudio: streams.audio,
      hasVideo,
      ...(writeVideo ? { videoOut: opts.videoOut } : {}),
      ...(opts.copyVideo ? { copyVideo: true } : {}),
    }),
    { signal: opts.signal },
  );
  return { audioPath: opts.audioOut, ...(writeVideo && opts.videoOut ? { videoPath: opts.videoOut } : {}) };
}

const streamsOf = (info: Pick<MediaInfo, "audio" | "video">) => ({
  audio: info.audio !== undefined,
  video: info.video !== undefined,
});

/**
 * Mono 16 kHz WAV, the format speech recognisers expect. Optionally only a range of the input.
 * An input without audio is a user error here: there is nothing to recognise.
 */
export async function extractWav16k(opts: {
  input: string;
  out: string;
  startMs?: number;
  durationMs?: number;
  signal?: AbortSignal;
}): Promise<void> {
  const info = await probeMedia(opts.input, { signal: opts.signal });
  if (!info.audio) {
    throw new PipelineError({
      code: "NO_AUDIO",
      category: "user",
      message: "The file has no audio track to transcribe",
    });
  }
  const range = [
    ...(opts.startMs !== undefined ? ["-ss", sec(opts.startMs)] : []),
    ...(opts.durationMs !== undefined ? ["-t", sec(opts.durationMs)] : []),
  ];
  await ffmpeg(
    [
      ...range,
      "-i",
      resolve(opts.input),
      "-map",
      "0:a:0",
      ...PCM16_MONO_16K,
      ...NO_METADATA,
      resolve(opts.out),
    ],
    { signal: opts.signal },
  );
}
