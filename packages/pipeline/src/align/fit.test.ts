import { describe, expect, it } from "vitest";
import { ALIGN_DEFAULTS, fitSentences, summarizeFit, type FitSentence } from "./fit";

const one = (s: Omit<FitSentence, "index">, segmentDurationMs: number, extra = {}) => {
  const [r] = fitSentences({ sentences: [{ index: 0, ...s }], segmentDurationMs, ...extra });
  if (!r) throw new Error("no result");
  return r;
};

describe("fitSentences", () => {
  it("exports the defaults", () => {
    expect(ALIGN_DEFAULTS.maxSpeed).toBe(1.2);
    expect(ALIGN_DEFAULTS.minSpeed).toBe(0.93);
  });

  it("plays at speed 1 when the speech fills the slot exactly", () => {
    const r = one({ startMs: 1000, endMs: 2000, predictedMs: 2000 }, 3000);
    expect(r).toMatchObject({
      slotMs: 2000,
      speed: 1,
      placedStartMs: 1000,
      placedDurationMs: 2000,
      overrunMs: 0,
      needsShortening: false,
    });
  });

  it("borrows the following pause before speeding up", () => {
    // Source speech 1000 ms, then a 1000 ms pause: 1800 ms of dubbed speech fits without speed-up.
    const r = one({ startMs: 0, endMs: 1000, predictedMs: 1800 }, 2000);
    expect(r.slotMs).toBe(2000);
    expect(r.speed).toBeCloseTo(0.93);
  });

  it("limits borrowing with borrowPauseMs", () => {
    const r = one({ startMs: 0, endMs: 1000, predictedMs: 1800 }, 2000, { borrowPauseMs: 500 });
    expect(r.slotMs).toBe(1500);
    expect(r.speed).toBeCloseTo(1.2);
    expect(r.needsShortening).toBe(false);
  });

  it("speeds up when the speech is longer than the slot", () => {
    const r = one({ startMs: 0, endMs: 900, predictedMs: 1100 }, 1000);
    expect(r.speed).toBeCloseTo(1.1);
    expect(r.placedDurationMs).toBe(1000);
    expect(r.needsShortening).toBe(false);
  });

  it("caps the speed and flags shortening with the remaining excess", () => {
    const r = one({ startMs: 0, endMs: 1000, predictedMs: 1500 }, 1000);
    expect(r.speed).toBe(1.2);
    expect(r.neededSpeed).toBeCloseTo(1.5);
    expect(r.needsShortening).toBe(true);
    expect(r.placedDurationMs).toBe(1250);
    expect(r.overrunMs).toBe(250);
  });

  it("does not flag a sentence needing exactly maxSpeed", () => {
    const r = one({ startMs: 0, endMs: 1000, predictedMs: 1200 }, 1000);
    expect(r.speed).toBeCloseTo(1.2);
    expect(r.needsShortening).toBe(false);
    expect(r.overrunMs).toBe(0);
  });

  it("slows short speech by at most 7% and leaves the rest silent", () => {
    const a = one({ startMs: 0, endMs: 1000, predictedMs: 950 }, 1000);
    expect(a.speed).toBeCloseTo(0.95);
    expect(a.placedDurationMs).toBe(1000);
    const b = one({ startMs: 0, endMs: 1000, predictedMs: 500 }, 1000);
    expect(b.speed).toBe(0.93);
    expect(b.placedDurationMs).toBe(538);
  });

  it("uses the segment end as the last sentence's slot end", () => {
    const res = fitSentences({
      sentences: [
        { index: 0, startMs: 0, endMs: 900, predictedMs: 1000 },
        { index: 1, startMs: 1000, endMs: 1800, predictedMs: 1000 },
      ],
      segmentDurationMs: 3000,
    });
    expect(res.map((r) => r.slotMs)).toEqual([1000, 2000]);
  });

  it("pushes the next sentence instead of overlapping it, and that one speeds up in its smaller room", () => {
    const res = fitSentences({
      sentences: [
        { index: 0, startMs: 0, endMs: 1000, predictedMs: 1440 },
        { index: 1, startMs: 1000, endMs: 2000, predictedMs: 900 },
      ],
      segmentDurationMs: 2000,
    });
    expect(res[0]).toMatchObject({
      speed: 1.2,
      placedDurationMs: 1200,
      overrunMs: 200,
      needsShortening: true,
    });
    expect(res[1]).toMatchObject({ placedStartMs: 1200, placedDurationMs: 800, needsShortening: false });
    expect(res[1]?.speed).toBeCloseTo(1.125);
  });

  it("reports overrun past the segment end for the last sentence", () => {
    const r = one({ startMs: 500, endMs: 1500, predictedMs: 3000 }, 2000);
    expect(r.overrunMs).toBe(1000);
    expect(r.needsShortening).toBe(true);
  });

  it("handles empty speech, empty input and sentences given out of order", () => {
    expect(fitSentences({ sentences: [], segmentDurationMs: 1000 })).toEqual([]);
    const res = fitSentences({
      sentences: [
        { index: 1, startMs: 1000, endMs: 1500, predictedMs: 0 },
        { index: 0, startMs: 0, endMs: 500, predictedMs: 800 },
      ],
      segmentDurationMs: 2000,
    });
    expect(res.map((r) => r.index)).toEqual([0, 1]);
    expect(res[1]).toMatchObject({ speed: 1, placedDurationMs: 0, overrunMs: 0, needsShortening: false });
  });

  it("copes with a sentence whose room is gone entirely", () => {
    const res = fitSentences({
      sentences: [
        { index: 0, startMs: 0, endMs: 1000, predictedMs: 3000 },
        { index: 1, startMs: 1000, endMs: 1500, predictedMs: 400 },
      ],
      segmentDurationMs: 1500,
    });
    expect(res[1]).toMatchObject({ placedStartMs: 2500, speed: 1.2, needsShortening: true });
    expect(Number.isFinite(res[1]?.placedDurationMs)).toBe(true);
  });

  it("rejects impossible speed bounds", () => {
    expect(() => fitSentences({ sentences: [], segmentDurationMs: 1, maxSpeed: 0.9 })).toThrow(RangeError);
  });

  it("property: no overlaps, speeds within bounds, flags consistent with overrun", () => {
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let run = 0; run < 300; run++) {
      const sentences: FitSentence[] = [];
      let t = rand() * 2000;
      const n = 1 + Math.floor(rand() * 12);
      for (let i = 0; i < n; i++) {
        const speech = 300 + rand() * 5000;
        sentences.push({
          index: i,
          startMs: Math.round(t),
          endMs: Math.round(t + speech),
          predictedMs: Math.round(speech * (0.5 + rand() * 1.2)),
        });
        t += speech + rand() * 1500;
      }
      const segmentDurationMs = Math.round(t + rand() * 1000);
      const maxSpeed = 1 + rand() * 0.5;
      const minSpeed = 0.8 + rand() * 0.2;
      const borrowPauseMs = rand() < 0.3 ? rand() * 800 : undefined;
      const res = fitSentences({
        sentences,
        segmentDurationMs,
        maxSpeed,
        minSpeed,
        ...(borrowPauseMs !== undefined ? { borrowPauseMs } : {}),
      });
      expect(res).toHaveLength(n);
      let prevEnd = 0;
      for (const [i, r] of res.entries()) {
        const s = sentences[i]!;
        expect(r.index).toBe(s.index);
        expect(r.speed).toBeGreaterThanOrEqual(minSpeed - 1e-12);
        expect(r.speed).toBeLessThanOrEqual(maxSpeed + 1e-12);
        expect(r.placedStartMs).toBeGreaterThanOrEqual(s.startMs);
        expect(r.placedStartMs).toBeGreaterThanOrEqual(prevEnd);
        expect(r.placedDurationMs).toBeCloseTo(s.predictedMs / r.speed, -1);
        if (!r.needsShortening) expect(r.overrunMs).toBeLessThanOrEqual(1);
        if (r.needsShortening) expect(r.speed).toBe(maxSpeed);
        // Sped-up speech ends exactly at its slot end.
        if (r.speed > 1 + 1e-9 && !r.needsShortening) {
          expect(Math.abs(r.placedStartMs + r.placedDurationMs - (s.startMs + r.slotMs))).toBeLessThanOrEqual(
            1,
          );
        }
        prevEnd = r.placedStartMs + r.placedDurationMs;
      }
    }
  });
});

describe("summarizeFit", () => {
  it("summarises speed, drift and overrun", () => {
    const sentences: FitSentence[] = [
      { index: 0, startMs: 0, endMs: 1000, predictedMs: 1440 },
      { index: 1, startMs: 1000, endMs: 2000, predictedMs: 900 },
    ];
    const sum = summarizeFit(fitSentences({ sentences, segmentDurationMs: 2000 }), sentences);
    expect(sum).toMatchObject({
      sentences: 2,
      needsShortening: 1,
      totalOverrunMs: 200,
      maxSpeed: 1.2,
      maxDriftMs: 200,
    });
  });
});
