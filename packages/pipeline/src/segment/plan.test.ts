import { describe, expect, it } from "vitest";
import { isPipelineError } from "../errors";
import { partWindow, planSegments, type PlannedSegment, type PlanSegmentsOptions, type TimeRange } from "./plan";

/**
 * The first version's windows (first part 6–12 s, every later one 20–40 s, tails under 3 s
 * merged): the mechanics below are checked with them; the growing defaults have their own tests.
 */
const FIXED = {
  firstMinMs: 6000,
  firstMaxMs: 12_000,
  laterMinMs: 20_000,
  laterMaxMs: 40_000,
  growth: 10,
  minTailMs: 3000,
} as const;
const plan = (o: PlanSegmentsOptions): PlannedSegment[] => planSegments({ ...FIXED, ...o });

const sil = (startS: number, endS: number): TimeRange => ({ startMs: startS * 1000, endMs: endS * 1000 });
const cuts = (segs: PlannedSegment[]): number[] => segs.slice(1).map((s) => s.startMs);

function expectTiling(segs: PlannedSegment[], durationMs: number): void {
  expect(segs.length).toBeGreaterThan(0);
  let cursor = 0;
  for (const [i, s] of segs.entries()) {
    expect(s.index).toBe(i);
    expect(s.startMs).toBe(cursor);
    expect(s.durationMs).toBeGreaterThan(0);
    expect(Number.isInteger(s.startMs) && Number.isInteger(s.durationMs)).toBe(true);
    cursor += s.durationMs;
  }
  expect(cursor).toBe(durationMs);
}

/** Deterministic PRNG so the property checks are reproducible. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe("planSegments", () => {
  it("returns one segment when the media is shorter than the first maximum", () => {
    expect(plan({ durationMs: 9000, silences: [] })).toEqual([
      { index: 0, startMs: 0, durationMs: 9000 },
    ]);
  });

  it("cuts the first segment at the midpoint of a silence inside [firstMin, firstMax]", () => {
    const segs = plan({ durationMs: 30_000, silences: [sil(2, 2.5), sil(8, 9)] });
    expect(segs[0]).toEqual({ index: 0, startMs: 0, durationMs: 8500 });
    expectTiling(segs, 30_000);
  });

  it("prefers the longest pause in the window", () => {
    const segs = plan({
      durationMs: 30_000,
      silences: [sil(7, 7.4), sil(10, 11.5), sil(11.6, 11.9)],
    });
    expect(segs[0]?.durationMs).toBe(10_750);
  });

  it("grows later segments within [laterMin, laterMax]", () => {
    const silences = [sil(9, 10), sil(25, 25.5), sil(38, 39), sil(60, 61), sil(75, 76)];
    const segs = plan({ durationMs: 100_000, silences });
    expectTiling(segs, 100_000);
    expect(cuts(segs)).toEqual([9500, 38_500, 60_500]);
    for (const s of segs.slice(1, -1)) {
      expect(s.durationMs).toBeGreaterThanOrEqual(20_000);
      expect(s.durationMs).toBeLessThanOrEqual(40_000);
    }
  });

  it("clamps the cut into the window when a long silence only overlaps it", () => {
    const segs = plan({ durationMs: 60_000, silences: [sil(11, 20)] });
    expect(segs[0]?.durationMs).toBe(12_000);
  });

  it("takes the first pause after the maximum (up to 1.5 × max) when the window has none", () => {
    const segs = plan({ durationMs: 60_000, silences: [sil(14, 15), sil(16, 17)] });
    expect(segs[0]?.durationMs).toBe(14_500);
  });

  it("uses the last pause before the minimum when nothing lies in or after the window", () => {
    const segs = plan({ durationMs: 60_000, silences: [sil(4, 4.4), sil(30, 31)] });
    expect(segs[0]?.durationMs).toBe(4200);
  });

  it("cuts hard at the maximum when there is no pause at all", () => {
    const segs = plan({ durationMs: 100_000, silences: [] });
    expectTiling(segs, 100_000);
    expect(cuts(segs)).toEqual([12_000, 52_000, 92_000]);
  });

  it("merges a tail shorter than 3 s into the previous segment", () => {
    const segs = plan({ durationMs: 14_000, silences: [] });
    expect(segs).toEqual([{ index: 0, startMs: 0, durationMs: 14_000 }]);
  });

  it("does not pick a pause that would leave a tiny tail when another pause fits", () => {
    const segs = plan({ durationMs: 14_000, silences: [sil(7, 7.5), sil(11.5, 12.5)] });
    expect(cuts(segs)).toEqual([7250]);
  });

  it("keeps a tail of 3 s or more as its own segment", () => {
    const segs = plan({ durationMs: 15_000, silences: [] });
    expect(segs.map((s) => s.durationMs)).toEqual([12_000, 3000]);
  });

  it("ignores silences outside the media and out of order", () => {
    const segs = plan({ durationMs: 30_000, silences: [sil(40, 50), sil(9, 10), sil(-2, 0.5)] });
    expect(segs[0]?.durationMs).toBe(9500);
    expectTiling(segs, 30_000);
  });

  describe("with cues", () => {
    it("cuts in the gap between cues, at the middle of the silence inside the gap", () => {
      const cues = [sil(0.5, 4), sil(4.5, 9), sil(10, 14), sil(15, 29)];
      const segs = plan({ durationMs: 30_000, silences: [sil(9.2, 9.6)], cues });
      expect(segs[0]?.durationMs).toBe(9400);
    });

    it("never cuts inside a cue even if a silence lies there", () => {
      const cues = [sil(0, 11), sil(11.5, 29)];
      const segs = plan({ durationMs: 30_000, silences: [sil(7, 8)], cues });
      expect(cuts(segs)).toEqual([11_250]);
    });

    it("accepts touching cues as a cut point", () => {
      const cues = [sil(0, 8), sil(8, 18), sil(18, 25)];
      const segs = plan({ durationMs: 25_000, silences: [], cues });
      expect(cuts(segs)).toEqual([8000]);
    });

    it("treats overlapping cues as one block", () => {
      const cues = [sil(0, 5), sil(4, 9), sil(8, 13), sil(13.5, 30)];
      const segs = plan({ durationMs: 30_000, silences: [], cues });
      expect(cuts(segs)).toEqual([13_250]);
    });

    it("moves a hard cut out of a long cue: before it when that leaves a real segment", () => {
      const cues = [sil(0, 5), sil(5, 60)];
      const segs = plan({ durationMs: 60_000, silences: [], cues });
      expect(cuts(segs)).toEqual([5000]);
    });

    it("cuts in the pause after a cue that covers the whole window", () => {
      const cues = [sil(1, 17)];
      const segs = plan({ durationMs: 80_000, silences: [], cues });
      expect(segs[0]?.durationMs).toBe(18_000);
      expectTiling(segs, 80_000);
    });

    it("cuts inside a cue that would make the part longer than 1.5 × max (issue 11.5)", () => {
      // Before: a cue from 1 s to 50 s made a 50 s first part (a whole-video cue, a whole-video part).
      const cues = [sil(1, 50)];
      const segs = plan({ durationMs: 80_000, silences: [], cues });
      expect(segs[0]?.durationMs).toBe(12_000);
      expectTiling(segs, 80_000);
    });

    it("can cut in the stretch before the first cue", () => {
      const cues = [sil(20, 40), sil(41, 59)];
      const segs = plan({ durationMs: 60_000, silences: [], cues });
      expect(segs[0]?.durationMs).toBe(10_000);
    });

    it("falls back to silences when the cue list is empty", () => {
      const segs = plan({ durationMs: 30_000, silences: [sil(8, 9)], cues: [] });
      expect(segs[0]?.durationMs).toBe(8500);
    });
  });

  it("rejects a non-positive duration and inverted bounds", () => {
    for (const bad of [
      { durationMs: 0, silences: [] },
      { durationMs: Number.NaN, silences: [] },
      { durationMs: 1000, silences: [], firstMinMs: 9000, firstMaxMs: 8000 },
    ]) {
      try {
        plan(bad);
        expect.unreachable();
      } catch (e) {
        expect(isPipelineError(e) && e.code).toBe("INVALID_SEGMENT_PLAN");
      }
    }
  });

  it("property: random inputs always tile exactly, respect cues and the length bounds", () => {
    const rand = rng(42);
    for (let run = 0; run < 150; run++) {
      const durationMs = Math.round(1000 + rand() * 600_000);
      const silences: TimeRange[] = [];
      const cues: TimeRange[] = [];
      let t = 0;
      while (t < durationMs) {
        const speech = 500 + rand() * 15_000;
        const pause = rand() * 2500;
        cues.push({ startMs: Math.round(t), endMs: Math.round(Math.min(durationMs, t + speech)) });
        if (pause >= 300)
          silences.push({ startMs: Math.round(t + speech), endMs: Math.round(t + speech + pause) });
        t += speech + pause;
      }
      const useCues = rand() < 0.5;
      const segs = plan({ durationMs, silences, ...(useCues ? { cues } : {}) });
      expectTiling(segs, durationMs);
      if (segs.length > 1) expect(segs.at(-1)?.durationMs).toBeGreaterThanOrEqual(3000);
      for (const s of segs.slice(1)) {
        if (useCues) {
          for (const c of cues) expect(s.startMs <= c.startMs || s.startMs >= c.endMs).toBe(true);
        } else {
          expect(s.startMs).toBeGreaterThan(0);
        }
      }
      if (!useCues) {
        // Without cues a cut never exceeds 1.5 × max, plus a merged tail.
        for (const [i, s] of segs.entries()) {
          expect(s.durationMs).toBeLessThanOrEqual((i === 0 ? 12_000 : 40_000) * 1.5 + 3000);
        }
      }
    }
  });
});

describe("planSegments with keyframes", () => {
  it("moves a cut onto a keyframe inside the chosen pause, and leaves pauses without one alone", () => {
    const silences = [
      { startMs: 7000, endMs: 8000 },
      { startMs: 29_000, endMs: 30_000 },
    ];
    const segs = plan({ durationMs: 50_000, silences, keyframesMs: [0, 6000, 7900, 12_000, 31_000] });
    expect(segs.map((s) => s.startMs)).toEqual([0, 7900, 29_500]);
  });
});

describe("planSegments defaults: parts that grow", () => {
  const DEFAULTS = { firstMinMs: 2500, firstMaxMs: 5000, laterMinMs: 15_000, laterMaxMs: 30_000, growth: 1.5 };

  it("windows grow by 1.5 per part from the first one up to the later window", () => {
    expect([0, 1, 2, 3, 4, 5, 6].map((k) => partWindow(k, DEFAULTS).maxMs)).toEqual([
      5000, 7500, 11_250, 16_875, 25_312.5, 30_000, 30_000,
    ]);
    expect(partWindow(3, DEFAULTS).minMs).toBe(8437.5);
  });

  it("cuts a short first part and longer ones after it when there is no pause", () => {
    const segs = planSegments({ durationMs: 120_000, silences: [] });
    expectTiling(segs, 120_000);
    expect(segs.map((s) => s.durationMs).slice(0, 5)).toEqual([5000, 7500, 11_250, 16_875, 25_313]);
  });

  it("cuts inside a cue that alone would make a part longer than 1.5 × its maximum", () => {
    // One subtitle spanning the whole video must not make one part as long as the video.
    const segs = planSegments({ durationMs: 600_000, silences: [], cues: [sil(1, 599)] });
    expectTiling(segs, 600_000);
    expect(segs.length).toBeGreaterThan(10);
    for (const s of segs) expect(s.durationMs).toBeLessThanOrEqual(30_000 * 1.5 + 2000);
  });

  it("property: no part is longer than 1.5 × laterMax plus a tail, whatever the cues", () => {
    const rand = rng(7);
    for (let run = 0; run < 150; run++) {
      const durationMs = Math.round(1000 + rand() * 900_000);
      const cues: TimeRange[] = [];
      let t = rand() * 3000;
      while (t < durationMs) {
        const speech = 200 + rand() * (rand() < 0.1 ? 200_000 : 12_000);
        cues.push({ startMs: Math.round(t), endMs: Math.round(Math.min(durationMs, t + speech)) });
        t += speech + rand() * 1500;
      }
      const segs = planSegments({ durationMs, silences: [], cues });
      expectTiling(segs, durationMs);
      for (const s of segs) expect(s.durationMs).toBeLessThanOrEqual(30_000 * 1.5 + 2000);
    }
  });
});
