import { resolve } from "node:path";
import { probeMedia } from "./probe";
import { ffmpeg } from "./process";

export interface Silence {
  startMs: number;
  endMs: number;
}

export interface DetectSilencesOptions {
  /** Level below which audio counts as silence, in dBFS. */
  noiseDb?: number;
  minSilenceMs?: number;
  /** Known duration of the file; probed when absent. */
  durationMs?: number;
  signal?: AbortSignal;
}

/**
 * Reads silencedetect's `silence_start` / `silence_end` lines from ffmpeg's stderr.
 * A silence still open at the end of the file is closed at `durationMs`. Progress output
 * can share a line with filter output (carriage returns), so no line anchors are used.
 */
export function parseSilencedetect(stderr: string, durationMs: number): Silence[] {
  const silences: Silence[] = [];
  let openStart: number | undefined;
  for (const m of stderr.matchAll(/silence_(start|end):\s*(-?\d+(?:\.\d+)?(?:e[-+]?\d+)?)/g)) {
    const ms = Math.min(durationMs, Math.max(0, Math.round(Number(m[2]) * 1000)));
    if (m[1] === "start") {
      openStart = ms;
    } else if (openStart !== undefined) {
      if (ms > openStart) silences.push({ startMs: openStart, endMs: ms });
      openStart = undefined;
    }
  }
  if (openStart !== undefined && durationMs > openStart)
    silences.push({ startMs: openStart, endMs: durationMs });
  return silences;
}

/** Pauses in the first audio track; a file without audio is one long silence. */
export async function detectSilences(path: string, opts: DetectSilencesOptions = {}): Promise<Silence[]> {
  const { noiseDb = -35, minSilenceMs = 300, signal } = opts;
  const input = resolve(path);
  let durationMs = opts.durationMs;
  if (durationMs === undefined) {
    const info = await probeMedia(input, { signal });
    if (!info.audio) return [{ startMs: 0, endMs: info.durationMs }];
    durationMs = info.durationMs;
  }
  const { stderr } = await ffmpeg(
    [
      "-nostats",
      "-i",
      input,
      "-map",
      "0:a:0",
      "-af",
      `silencedetect=noise=${noiseDb}dB:d=${minSilenceMs / 1000}`,
      "-f",
      "null",
      "-",
    ],
    { signal },
  );
  return parseSilencedetect(stderr, durationMs);
}
