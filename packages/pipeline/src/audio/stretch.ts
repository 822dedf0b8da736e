/**
 * Time-stretching speech without changing its pitch, as an ffmpeg filter: Rubber Band sounds
 * best for speech; where the ffmpeg build lacks it (or rejects the rate), a chain of atempo.
 */

/** How a clip's speed is applied. */
export type StretchEngine = "rubberband" | "atempo";

/** Rates this close to 1 are inaudible; skipping the filter avoids needless artefacts. */
const SPEED_EPSILON = 0.001;

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
 * The filter that plays a clip at `speed` (1.2: 20 % faster, shorter), or null when the rate
 * is 1 for the ear. Throws for a speed that is not a positive number.
 */
export function stretchFilter(speed: number, engine: StretchEngine): string | null {
  if (!(speed > 0) || !Number.isFinite(speed)) throw new RangeError(`invalid speed ${speed}`);
  if (Math.abs(speed - 1) < SPEED_EPSILON) return null;
  // High-quality formant-preserving settings suited to a single voice.
  return engine === "rubberband"
    ? `rubberband=tempo=${speed.toFixed(6)}:pitchq=quality:window=standard`
    : atempoChain(speed);
}
