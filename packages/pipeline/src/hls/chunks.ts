/**
 * HLS chunks are independent of pipeline parts: a part is the unit a job works on, a chunk
 * is what the player fetches. Chunks are short (≤ HLS_TARGET_DURATION_S), so the player's
 * playlist target duration stays small whatever the part length, and each starts on a
 * video keyframe.
 */

/** EXT-X-TARGETDURATION of every playlist: no chunk is longer. */
export const HLS_TARGET_DURATION_S = 6;
const MAX_MS = HLS_TARGET_DURATION_S * 1000;
/** Preferred chunk length; a chunk under MIN_MS is merged with its neighbour. */
const PREFERRED_MS = 4000;
const MIN_MS = 1000;

/**
 * Cut points (ms from the part's start, ascending, excluding 0 and the end) that split a
 * part of `durationMs` into chunks of at most HLS_TARGET_DURATION_S. With video, cuts only
 * fall on `keyframesMs` (relative to the part's start); audio-only parts can cut anywhere.
 * Where the keyframes are further apart than the maximum, the chunk between them is longer:
 * the segment stage re-encodes such parts (see maxKeyframeGapMs), so this does not happen
 * for parts it prepared.
 */
export function planChunkCuts(durationMs: number, keyframesMs: readonly number[] | null): number[] {
  if (!(durationMs > MAX_MS)) return [];
  const candidates =
    keyframesMs === null
      ? null
      : [...new Set(keyframesMs.map(Math.round))]
          .filter((k) => k > 0 && k < durationMs)
          .sort((a, b) => a - b);
  const cuts: number[] = [];
  let last = 0;
  while (durationMs - last > MAX_MS) {
    let cut: number | undefined;
    if (candidates === null) {
      cut = Math.min(last + PREFERRED_MS, durationMs - MIN_MS);
    } else {
      const fits = candidates.filter(
        (k) => k - last >= MIN_MS && k - last <= MAX_MS && durationMs - k >= MIN_MS,
      );
      // Nearest to the preferred length among those that fit; else the first keyframe after.
      cut =
        fits.sort((a, b) => Math.abs(a - last - PREFERRED_MS) - Math.abs(b - last - PREFERRED_MS))[0] ??
        candidates.find((k) => k - last >= MIN_MS && durationMs - k >= MIN_MS);
    }
    if (cut === undefined || cut <= last) break;
    cuts.push(cut);
    last = cut;
  }
  return cuts;
}

/** Chunk durations (ms) of a part cut at `cuts`. */
export function chunkDurations(durationMs: number, cuts: readonly number[]): number[] {
  const edges = [0, ...cuts, durationMs];
  return edges.slice(1).map((e, i) => e - (edges[i] as number));
}

/** Longest distance between consecutive keyframes over [0, durationMs] (the start counts as one). */
export function maxKeyframeGapMs(keyframesMs: readonly number[], durationMs: number): number {
  const inside = keyframesMs.filter((k) => k > 0 && k < durationMs).sort((a, b) => a - b);
  const edges = [0, ...inside, durationMs];
  return Math.max(0, ...edges.slice(1).map((e, i) => e - (edges[i] as number)));
}
