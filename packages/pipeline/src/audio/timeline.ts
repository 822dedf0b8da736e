import { resolve } from "node:path";
import { ffmpeg, isProcessError } from "../media/process";
import { NO_METADATA } from "../media/args";
import { stretchFilter, type StretchEngine } from "./stretch";

export interface TimelineClip {
  path: string;
  /** Where the clip starts on the track. */
  atMs: number;
  /** Playback rate, pitch kept (1.2 plays 20 % faster); default 1. */
  speed?: number;
}

export interface RenderTimelineOptions {
  clips: readonly TimelineClip[];
  durationMs: number;
  out: string;
  signal?: AbortSignal;
}

const SAMPLE_RATE = 44_100;

/**
 * Pure builder: a silent base track of the exact length, every clip played at its speed
 * (stretch.ts) and delayed to its place (in samples, so placement is exact), summed without
 * normalisation (amix would otherwise lower every clip's volume by the number of inputs),
 * and cut to the exact length. One ffmpeg run for the whole part, however many clips.
 */
export function buildTimelineArgs(opts: {
  clips: readonly TimelineClip[];
  durationMs: number;
  out: string;
  stretch?: StretchEngine;
}): string[] {
  const dur = (opts.durationMs / 1000).toFixed(6);
  const clips = opts.clips.filter((c) => c.atMs < opts.durationMs);
  const args = ["-f", "lavfi", "-t", dur, "-i", `anullsrc=r=${SAMPLE_RATE}:cl=mono`];
  for (const c of clips) args.push("-i", resolve(c.path));

  const chains = clips.map((c, i) => {
    const delaySamples = Math.round((Math.max(0, c.atMs) / 1000) * SAMPLE_RATE);
    const stretch = stretchFilter(c.speed ?? 1, opts.stretch ?? "rubberband");
    return `[${i + 1}:a]${stretch ? `${stretch},` : ""}aresample=${SAMPLE_RATE},aformat=sample_fmts=fltp:channel_layouts=mono,adelay=delays=${delaySamples}S:all=1[c${i}]`;
  });
  const inputs = ["[0:a]", ...clips.map((_, i) => `[c${i}]`)].join("");
  const mix =
    clips.length === 0
      ? "[0:a]anull[out]"
      : `${inputs}amix=inputs=${clips.length + 1}:duration=first:dropout_transition=0:normalize=0[out]`;
  args.push(
    "-filter_complex",
    [...chains, mix].join(";"),
    "-map",
    "[out]",
    "-t",
    dur,
    "-ac",
    "1",
    "-ar",
    String(SAMPLE_RATE),
    "-c:a",
    "pcm_s16le",
    ...NO_METADATA,
    resolve(opts.out),
  );
  return args;
}

/**
 * Places clips, each at its speed, on a silent 44.1 kHz mono track of exactly `durationMs`,
 * in one ffmpeg call. Stretches with Rubber Band; when that run fails (a build without it, a
 * rate it refuses), once more with atempo. Says which stretched the clips.
 */
export async function renderTimeline(opts: RenderTimelineOptions): Promise<{ stretch: StretchEngine }> {
  try {
    await ffmpeg(buildTimelineArgs(opts), { signal: opts.signal });
    return { stretch: "rubberband" };
  } catch (err) {
    const stretched = opts.clips.some((c) => stretchFilter(c.speed ?? 1, "atempo") !== null);
    if (!stretched || !isProcessError(err) || err.code !== "PROCESS_FAILED") throw err;
  }
  await ffmpeg(buildTimelineArgs({ ...opts, stretch: "atempo" }), { signal: opts.signal });
  return { stretch: "atempo" };
}
