/**
 * Duration alignment: decides, per sentence, how fast its dubbed speech is played and where it
 * is placed on the segment timeline (DESIGN.md §4).
 *
 * Definitions (all times in ms, relative to the segment start):
 * - The source sentence speaks during [startMs, endMs]; the pause after it runs to the next
 *   sentence's start (the last sentence's pause runs to the segment end).
 * - Its **slot** is its speech plus the pause it may borrow: [startMs, slotEnd) with
 *   slotEnd = min(nextStart, endMs + borrowPauseMs). By default the whole pause is borrowed,
 *   so the slot runs from its start to the next sentence's start.
 * - **Room** is the time it actually has: from its placed start to slotEnd. The placed start is
 *   its own start, or later when the previous sentence overran (speech is never cut, and
 *   placements never overlap).
 * - Speech that fits the room is slowed by at most 1/minSpeed to fill it (the rest is silence);
 *   speech that does not is sped up to at most maxSpeed. Above that the sentence is flagged
 *   `needsShortening` and plays at maxSpeed, spilling `overrunMs` past its slot end.
 */

export const ALIGN_DEFAULTS = {
  /** Hard cap: faster speech sounds rushed. The original re-capped nothing; we never exceed this. */
  maxSpeed: 1.2,
  /** At most 7% slower than the engine's natural pace. */
  minSpeed: 0.93,
  /** Rounds of LLM shortening before accepting an overrun. */
  maxShorteningAttempts: 2,
} as const;

export interface FitSentence {
  index: number;
  startMs: number;
  endMs: number;
  /** Length of the synthesized speech at speed 1. */
  predictedMs: number;
}

export interface FitOptions {
  sentences: readonly FitSentence[];
  segmentDurationMs: number;
  maxSpeed?: number;
  minSpeed?: number;
  /** How much of the pause after a sentence its dubbed speech may use; unlimited when absent. */
  borrowPauseMs?: number;
}

export interface FitResult {
  index: number;
  /** Nominal slot: start to slot end (see above). */
  slotMs: number;
  /** Playback rate: >1 faster, <1 slower. */
  speed: number;
  /** Rate that would have made the speech fit its room exactly (uncapped); a target for shortening. */
  neededSpeed: number;
  placedStartMs: number;
  placedDurationMs: number;
  /** How far the placed speech runs past its slot end (0 when it fits). */
  overrunMs: number;
  needsShortening: boolean;
}

/** Small tolerance so float noise (e.g. 1.2000000001) does not flag a sentence for shortening. */
const EPSILON = 1e-9;

export function fitSentences(opts: FitOptions): FitResult[] {
  const maxSpeed = opts.maxSpeed ?? ALIGN_DEFAULTS.maxSpeed;
  const minSpeed = opts.minSpeed ?? ALIGN_DEFAULTS.minSpeed;
  const borrow = Math.max(0, opts.borrowPauseMs ?? Number.POSITIVE_INFINITY);
  if (!(maxSpeed >= 1 && minSpeed > 0 && minSpeed <= 1)) {
    throw new RangeError(`invalid speed bounds: minSpeed=${minSpeed} maxSpeed=${maxSpeed}`);
  }
  const sorted = [...opts.sentences].sort((a, b) => a.startMs - b.startMs || a.index - b.index);
  const segmentEnd = opts.segmentDurationMs;

  const results: FitResult[] = [];
  let prevEnd = 0;
  for (const [i, s] of sorted.entries()) {
    const start = Math.max(0, s.startMs);
    const nextStart = Math.max(start, sorted[i + 1]?.startMs ?? segmentEnd);
    const slotEnd = Math.min(nextStart, Math.max(start, s.endMs) + borrow);
    const placedStartMs = Math.max(start, prevEnd);
    const room = slotEnd - placedStartMs;
    const predicted = Math.max(0, s.predictedMs);

    let neededSpeed: number;
    let speed: number;
    if (predicted === 0) {
      neededSpeed = 1;
      speed = 1;
    } else if (room <= 0) {
      neededSpeed = Number.POSITIVE_INFINITY;
      speed = maxSpeed;
    } else {
      neededSpeed = predicted / room;
      speed = neededSpeed > 1 ? Math.min(neededSpeed, maxSpeed) : Math.max(neededSpeed, minSpeed);
    }
    const needsShortening = neededSpeed > maxSpeed + EPSILON;
    const placedDurationMs = Math.round(predicted / speed);
    const placedEnd = placedStartMs + placedDurationMs;
    results.push({
      index: s.index,
      slotMs: slotEnd - start,
      speed,
      neededSpeed,
      placedStartMs,
      placedDurationMs,
      overrunMs: Math.max(0, placedEnd - slotEnd),
      needsShortening,
    });
    prevEnd = placedEnd;
  }
  return results;
}

export interface FitSummary {
  sentences: number;
  needsShortening: number;
  totalOverrunMs: number;
  maxSpeed: number;
  /** Largest delay of a placed start behind its source start: the drift a viewer notices. */
  maxDriftMs: number;
  meanAbsSpeedChange: number;
}

/** One line of sync-quality numbers for a segment, so alignment can be measured over time. */
export function summarizeFit(results: readonly FitResult[], sentences: readonly FitSentence[]): FitSummary {
  const startOf = new Map(sentences.map((s) => [s.index, s.startMs]));
  let maxDriftMs = 0;
  for (const r of results)
    maxDriftMs = Math.max(maxDriftMs, r.placedStartMs - Math.max(0, startOf.get(r.index) ?? r.placedStartMs));
  return {
    sentences: results.length,
    needsShortening: results.filter((r) => r.needsShortening).length,
    totalOverrunMs: results.reduce((sum, r) => sum + r.overrunMs, 0),
    maxSpeed: results.reduce((m, r) => Math.max(m, r.speed), 0),
    maxDriftMs,
    meanAbsSpeedChange:
      results.length === 0 ? 0 : results.reduce((sum, r) => sum + Math.abs(r.speed - 1), 0) / results.length,
  };
}
