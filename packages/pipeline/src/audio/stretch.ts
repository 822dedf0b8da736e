import { resolve } from "node:path";
import { ffmpeg, isProcessError } from "../media/process";

export interface StretchAudioOptions {
  input: string;
  output: string;
  /** Playback rate: 1.2 plays 20% faster (shorter output). */
  speed: number;
  signal?: AbortSignal;
}

/** Rates this close to 1 are inaudible; skipping the filter avoids needless artefacts. */
const SPEED_EPSILON = 0.001;

const OUTPUT_ARGS = ["-ac", "1", "-ar", "44100", "-c:a", "pcm_s16le", "-map_metadata", "-1"];

/** atempo accepts 0.5–100 per instance; chaining keeps any other rate valid too. */
export function atempoChain(speed: number): string {
  const parts: string[] = [];
  let rest = speed;
  while (rest < 0.5) {
    parts.push("atempo=0.5");
    rest /= 0.5;
  }
  while (rest > 100) {
    parts.push("atempo=100");
    rest /= 100;
  }
  parts.push(`atempo=${rest.toFixed(6)}`);
  return parts.join(",");
}

/**
 * Time-stretches speech without changing its pitch. Rubber Band sounds best for speech; if
 * the ffmpeg build lacks it or it fails, atempo is used instead. Output: 44.1 kHz mono WAV.
 */
export async function stretchAudio(
  opts: StretchAudioOptions,
): Promise<{ filter: "none" | "rubberband" | "atempo" }> {
  const { speed, signal } = opts;
  if (!(speed > 0) || !Number.isFinite(speed)) throw new RangeError(`invalid speed ${speed}`);
  const io = (filter: string[]): string[] => [
    "-i",
    resolve(opts.input),
    ...filter,
    ...OUTPUT_ARGS,
    resolve(opts.output),
  ];

  if (Math.abs(speed - 1) < SPEED_EPSILON) {
    await ffmpeg(io([]), { signal });
    return { filter: "none" };
  }
  try {
    // High-quality formant-preserving settings suited to a single voice.
    await ffmpeg(io(["-af", `rubberband=tempo=${speed.toFixed(6)}:pitchq=quality:window=standard`]), {
      signal,
    });
    return { filter: "rubberband" };
  } catch (err) {
    if (!isProcessError(err) || err.code !== "PROCESS_FAILED") throw err;
  }
  await ffmpeg(io(["-af", atempoChain(speed)]), { signal });
  return { filter: "atempo" };
}
