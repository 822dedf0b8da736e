import { PipelineError } from "../errors";

export interface TimeRange {
  startMs: number;
  endMs: number;
}

export interface PlannedSegment {
  index: number;
  startMs: number;
  durationMs: number;
}

export interface PlanSegmentsOptions {
  durationMs: number;
  /** Pauses in the audio (from detectSilences). */
  silences: readonly TimeRange[];
  /** Subtitle cues or ASR sentences; when given, a cut never falls inside one. */
  cues?: readonly TimeRange[];
  firstMinMs?: number;
  firstMaxMs?: number;
  /** Longest part; parts grow from the first one towards this (see `growth`). */
  laterMinMs?: number;
  laterMaxMs?: number;
  /**
   * Each part may be this many times longer than the one before, up to laterMaxMs: short
   * parts first so the viewer starts at once, longer ones later (less overhead per second).
   */
  growth?: number;
  /** A remainder shorter than this is merged into the segment before it. */
  minTailMs?: number;
  /**
   * Video keyframe times. A cut inside a pause moves onto a keyframe there when one
   * exists, so the next segment's video can be copied instead of re-encoded.
   */
  keyframesMs?: readonly number[];
}

/** A stretch of time where a cut is acceptable, with the point inside it we like best. */
interface Pause {
  startMs: number;
  endMs: number;
  preferMs: number;
  /** Longer pauses are more natural breaks. */
  lengthMs: number;
}

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

function pausesFromSilences(silences: readonly TimeRange[], durationMs: number): Pause[] {
  return silences
    .map((s) => ({ startMs: Math.max(0, s.startMs), endMs: Math.min(durationMs, s.endMs) }))
    .filter((s) => s.endMs > s.startMs)
    .map((s) => ({ ...s, preferMs: (s.startMs + s.endMs) / 2, lengthMs: s.endMs - s.startMs }));
}

/** Cue intervals sorted and merged where they overlap; touching cues stay apart (a valid cut point). */
function mergeCues(cues: readonly TimeRange[], durationMs: number): TimeRange[] {
  const sorted = cues
    .map((c) => ({ startMs: Math.max(0, c.startMs), endMs: Math.min(durationMs, c.endMs) }))
    .filter((c) => c.endMs > c.startMs)
    .sort((a, b) => a.startMs - b.startMs);
  const merged: TimeRange[] = [];
  for (const c of sorted) {
    const last = merged.at(-1);
    if (last && c.startMs < last.endMs) last.endMs = Math.max(last.endMs, c.endMs);
    else merged.push({ ...c });
  }
  return merged;
}

/**
 * Gaps between cues are the only places a cut may go. Inside a gap we prefer the middle of
 * the longest detected silence (the gap's timing comes from a subtitle file and may be loose),
 * else the middle of the gap.
 */
function pausesFromCues(cues: TimeRange[], silences: readonly TimeRange[], durationMs: number): Pause[] {
  const gaps: TimeRange[] = [];
  let prevEnd = 0;
  for (const [i, c] of cues.entries()) {
    if (i > 0 || c.startMs > 0) gaps.push({ startMs: prevEnd, endMs: c.startMs });
    prevEnd = c.endMs;
  }
  if (prevEnd < durationMs) gaps.push({ startMs: prevEnd, endMs: durationMs });

  return gaps.map((gap) => {
    let preferMs = (gap.startMs + gap.endMs) / 2;
    let best = 0;
    for (const s of silences) {
      const lo = Math.max(gap.startMs, s.startMs);
      const hi = Math.min(gap.endMs, s.endMs);
      if (hi - lo > best) {
        best = hi - lo;
        preferMs = (lo + hi) / 2;
      }
    }
    return { ...gap, preferMs, lengthMs: gap.endMs - gap.startMs };
  });
}

/** The acceptable point of `p` nearest its preferred point within [lo, hi], if any. */
function preferKeyframes(pauses: Pause[], keyframesMs: readonly number[] | undefined): Pause[] {
  if (!keyframesMs || keyframesMs.length === 0) return pauses;
  return pauses.map((p) => {
    let best: number | undefined;
    for (const k of keyframesMs) {
      if (k <= p.startMs || k >= p.endMs) continue;
      if (best === undefined || Math.abs(k - p.preferMs) < Math.abs(best - p.preferMs)) best = k;
    }
    return best === undefined ? p : { ...p, preferMs: best };
  });
}

function pointIn(p: Pause, lo: number, hi: number): number | undefined {
  const from = Math.max(lo, p.startMs);
  const to = Math.min(hi, p.endMs);
  return from <= to ? Math.round(clamp(p.preferMs, from, to)) : undefined;
}

/** [min, max] length of part `k`: the first part's window, grown by `growth` per part up to the later window. */
export function partWindow(
  k: number,
  o: Pick<Required<PlanSegmentsOptions>, "firstMinMs" | "firstMaxMs" | "laterMinMs" | "laterMaxMs" | "growth">,
): { minMs: number; maxMs: number } {
  if (k === 0) return { minMs: o.firstMinMs, maxMs: o.firstMaxMs };
  const scale = Math.pow(o.growth, Math.min(k, 64));
  return {
    minMs: Math.min(o.laterMinMs, o.firstMinMs * scale),
    maxMs: Math.min(o.laterMaxMs, o.firstMaxMs * scale),
  };
}

function validate(o: Required<Omit<PlanSegmentsOptions, "cues" | "keyframesMs">>): void {
  const bad = !(Number.isFinite(o.durationMs) && o.durationMs > 0)
    ? "durationMs must be a positive number"
    : !(o.firstMinMs > 0 && o.firstMinMs <= o.firstMaxMs)
      ? "firstMinMs must be positive and not above firstMaxMs"
      : !(o.laterMinMs > 0 && o.laterMinMs <= o.laterMaxMs)
        ? "laterMinMs must be positive and not above laterMaxMs"
        : undefined;
  if (bad)
    throw new PipelineError({
      code: "INVALID_SEGMENT_PLAN",
      category: "user",
      message: `Cannot plan segments: ${bad}`,
    });
}

/**
 * Splits [0, durationMs] into parts cut at pauses. The first part is short so the first
 * dubbed chunk is ready quickly; each later one may grow by `growth` up to the later window
 * (see partWindow). Order of preference for each cut: the longest pause inside [min, max];
 * else the first pause after max up to 1.5 × max; else the last pause before min (at least
 * minTailMs in); else a hard cut at max, moved to the edge of a cue when cues are given so
 * that a sentence is not split — unless that cue alone would make the part longer than
 * 1.5 × max, in which case the cue is cut (a subtitle spanning the whole video must not
 * make one part as long as the video). A remainder shorter than minTailMs joins the
 * previous part. The result tiles [0, durationMs] exactly and no part is longer than
 * 1.5 × laterMaxMs + minTailMs.
 */
export function planSegments(opts: PlanSegmentsOptions): PlannedSegment[] {
  const o = {
    firstMinMs: 2500,
    firstMaxMs: 5000,
    laterMinMs: 15_000,
    laterMaxMs: 30_000,
    growth: 1.5,
    minTailMs: 2000,
    ...opts,
  };
  validate(o);
  const durationMs = Math.round(o.durationMs);
  const cues = mergeCues(o.cues ?? [], durationMs);
  const pauses = preferKeyframes(
    cues.length > 0
      ? pausesFromCues(cues, o.silences, durationMs)
      : pausesFromSilences(o.silences, durationMs),
    o.keyframesMs,
  );
  const lastCutMs = durationMs - o.minTailMs;

  const segments: PlannedSegment[] = [];
  let cursor = 0;
  while (cursor < durationMs) {
    const { minMs: minLen, maxMs: maxLen } = partWindow(segments.length, o);
    let cut: number;
    if (durationMs - cursor <= maxLen) {
      cut = durationMs;
    } else {
      cut =
        bestInWindow(pauses, cursor + minLen, Math.min(cursor + maxLen, lastCutMs)) ??
        firstAfter(pauses, cursor + maxLen, Math.min(cursor + maxLen * 1.5, lastCutMs)) ??
        lastBefore(pauses, cursor + o.minTailMs, Math.min(cursor + minLen, lastCutMs)) ??
        hardCut(cues, cursor, cursor + maxLen, o.minTailMs, maxLen * 1.5);
      // The tail joins this part unless that would make it too long: then it stands alone.
      if (durationMs - cut < o.minTailMs && durationMs - cursor <= maxLen * 1.5 + o.minTailMs) cut = durationMs;
    }
    segments.push({ index: segments.length, startMs: cursor, durationMs: cut - cursor });
    cursor = cut;
  }
  return segments;
}

function bestInWindow(pauses: Pause[], lo: number, hi: number): number | undefined {
  let best: { point: number; lengthMs: number } | undefined;
  for (const p of pauses) {
    const point = pointIn(p, lo, hi);
    if (point !== undefined && (!best || p.lengthMs > best.lengthMs)) best = { point, lengthMs: p.lengthMs };
  }
  return best?.point;
}

function firstAfter(pauses: Pause[], lo: number, hi: number): number | undefined {
  const points = pauses.map((p) => pointIn(p, lo, hi)).filter((x): x is number => x !== undefined);
  return points.length > 0 ? Math.min(...points) : undefined;
}

function lastBefore(pauses: Pause[], lo: number, hi: number): number | undefined {
  const points = pauses.map((p) => pointIn(p, lo, hi)).filter((x): x is number => x !== undefined);
  return points.length > 0 ? Math.max(...points) : undefined;
}

/**
 * Cut at `at`, unless that is inside a cue: then before the cue if that leaves a real part,
 * else after it — but never past `cursor + longestMs` (a cue that long is cut inside).
 */
function hardCut(
  cues: TimeRange[],
  cursor: number,
  at: number,
  minLenMs: number,
  longestMs: number,
): number {
  const inside = cues.find((c) => c.startMs < at && at < c.endMs);
  if (!inside) return Math.round(at);
  if (inside.startMs - cursor >= minLenMs) return inside.startMs;
  return inside.endMs - cursor <= longestMs ? inside.endMs : Math.round(at);
}
