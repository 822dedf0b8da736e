import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dubRate, planStart, plannedWaitMessage } from "./pacing";

describe("dubRate", () => {
  it("is unknown before anything is published", () => {
    expect(dubRate([], 0)).toBeNull();
    expect(dubRate([{ durationMs: 5000, publishedAtMs: 4000 }], null)).toBeNull();
  });

  it("counts the first part from when work started, shared out among the tasks being dubbed", () => {
    expect(dubRate([{ durationMs: 5000, publishedAtMs: 12_500 }], 10_000)).toBe(2);
    // First parts jump every queue: with 4 tasks running, the parts after it come 4x slower.
    expect(dubRate([{ durationMs: 5000, publishedAtMs: 12_500 }], 10_000, 4)).toBe(0.5);
  });

  it("uses the recent publications once there are several, not the slow start", () => {
    const parts = [
      { durationMs: 5000, publishedAtMs: 20_000 }, // a slow start: 20 s for the first 5 s
      { durationMs: 8000, publishedAtMs: 24_000 },
      { durationMs: 12_000, publishedAtMs: 30_000 },
    ];
    expect(dubRate(parts, 0)).toBe(2);
  });

  it("does not count the quick second part (pipelined with the first) once a third is in", () => {
    const parts = [
      { durationMs: 5000, publishedAtMs: 10_000 },
      { durationMs: 7500, publishedAtMs: 11_000 }, // made while part 0 finished
      { durationMs: 11_000, publishedAtMs: 22_000 },
    ];
    expect(dubRate(parts.slice(0, 2), 0)).toBe(7.5);
    expect(dubRate(parts, 0)).toBe(1);
  });

  it("does not explode on parts published together", () => {
    const burst = [
      { durationMs: 5000, publishedAtMs: 1000 },
      { durationMs: 5000, publishedAtMs: 1000 },
      { durationMs: 5000, publishedAtMs: 1000 },
    ];
    expect(dubRate(burst, 0)).toBe(20);
  });
});

describe("planStart", () => {
  it("starts at once when the dub is well ahead of real time", () => {
    expect(planStart({ partsMs: [5000, 7500, 11_000], publishedCount: 1, rate: 3 })).toEqual({
      waitMs: 0,
      rate: 3,
    });
  });

  it("waits when the next part would land after the first one has played", () => {
    // Part 1 (7.5 s) takes 7.5 s at 1x: 5 s are buffered, so wait 2.5 s plus the margin.
    expect(
      planStart({ partsMs: [5000, 7500], publishedCount: 1, rate: 1, marginMs: 1000, wobble: 0 })?.waitMs,
    ).toBe(3500);
  });

  it("waits for the end when the dub is slower than real time", () => {
    // 60 s at 0.5x: the last part lands 110 s from now and must be there when the playhead reaches 30 s.
    const plan = planStart({
      partsMs: [5000, 25_000, 30_000],
      publishedCount: 1,
      rate: 0.5,
      marginMs: 0,
      wobble: 0,
    });
    expect(plan?.waitMs).toBe(110_000 - 30_000);
    expect(plannedWaitMessage(plan!, 12_300)).toBe(
      "Dubbing at 0.5x real time: starting in 13 s so you can watch without pauses",
    );
  });

  it("is unknown without a rate", () => {
    expect(planStart({ partsMs: [1000], publishedCount: 0, rate: null })).toBeNull();
  });

  it("stretches the wait by the wobble share, and only a wait that is needed", () => {
    expect(planStart({ partsMs: [5000, 7500], publishedCount: 1, rate: 1, marginMs: 1000 })?.waitMs).toBe(
      3850,
    );
    expect(planStart({ partsMs: [5000, 7500], publishedCount: 1, rate: 4 })?.waitMs).toBe(0);
  });

  it("property: with the planned wait, no part is published after the playhead reaches it", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 500, max: 40_000 }), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 0, max: 5 }),
        fc.double({ min: 0.05, max: 10, noNaN: true }),
        (partsMs, published, rate) => {
          const publishedCount = Math.min(published, partsMs.length);
          const plan = planStart({ partsMs, publishedCount, rate, marginMs: 0 })!;
          let start = partsMs.slice(0, publishedCount).reduce((a, b) => a + b, 0);
          let at = 0;
          for (const len of partsMs.slice(publishedCount)) {
            at += len / rate;
            expect(at).toBeLessThanOrEqual(plan.waitMs + start + 1);
            start += len;
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
