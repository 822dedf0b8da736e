/** Pure: which speaker says each sentence. */

export interface SpeakerTurn {
  startMs: number;
  endMs: number;
  speaker: string;
}

export interface TimedSpan {
  startMs: number;
  endMs: number;
}

/**
 * The speaker whose turns overlap the sentence most (summed over turns); a sentence that
 * overlaps no turn takes the nearest turn within `maxGapMs`, else null (unknown speaker).
 */
export function assignSpeakers(opts: {
  sentences: readonly TimedSpan[];
  turns: readonly SpeakerTurn[];
  maxGapMs?: number;
}): (string | null)[] {
  const maxGap = opts.maxGapMs ?? 1000;
  return opts.sentences.map((s) => {
    const overlap = new Map<string, number>();
    for (const t of opts.turns) {
      const o = Math.min(s.endMs, t.endMs) - Math.max(s.startMs, t.startMs);
      if (o > 0) overlap.set(t.speaker, (overlap.get(t.speaker) ?? 0) + o);
    }
    let best: string | null = null;
    let bestMs = 0;
    for (const [speaker, ms] of overlap) {
      if (ms > bestMs) {
        best = speaker;
        bestMs = ms;
      }
    }
    if (best) return best;
    let nearest: string | null = null;
    let nearestGap = maxGap;
    for (const t of opts.turns) {
      const gap = t.startMs >= s.endMs ? t.startMs - s.endMs : s.startMs - t.endMs;
      if (gap <= nearestGap) {
        nearest = t.speaker;
        nearestGap = gap;
      }
    }
    return nearest;
  });
}
