import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  decideStart,
  dubRate,
  MAX_RATE_WAIT_MS,
  MEASURED_AFTER_PARTS,
  MEASURING_MESSAGE,
  partMarginMs,
  planStart,
  plannedWaitMessage,
  SHARED_MACHINE_RESERVE,
} from "./pacing";

/** Three tasks started together. */
const SHARED = { activeTasks: 3, aheadAtStart: 0 };

describe("dubRate", () => {
  it("is unknown before anything is published", () => {
    expect(dubRate([], 0)).toBeNull();
    expect(dubRate([{ durationMs: 5000, publishedAtMs: 4000 }], null)).toBeNull();
  });

  it("counts the first part from when work started, shared out among the tasks it went ahead of", () => {
    // 5 s made in 2.5 s: 2x.
    expect(dubRate([{ durationMs: 5000, publishedAtMs: 12_500 }], 10_000)).toBe(2);
    // Three tasks were past their first part when this one started: its first part went ahead
    // of their later parts, which from now on share the machine with its own (4x slower), and a
    // quarter is kept in reserve.
    expect(
      dubRate([{ durationMs: 5000, publishedAtMs: 12_500 }], 10_000, { activeTasks: 4, aheadAtStart: 3 }),
    ).toBe(0.375);
  });

  it("does not share the first part's rate out among tasks that started with it: they were made alongside it", () => {
    // Three 30 s uploads at once: each first part (5 s) out ~8 s after its task started, while
    // the other two first parts were being made. Dividing by three announced a 0.16x rate and a
    // wait of minutes; the three viewers then waited 17–23 s.
    const load = { activeTasks: 3, aheadAtStart: 0 };
    const rate = dubRate([{ durationMs: 5000, publishedAtMs: 8000 }], 0, load)!;
    expect(rate).toBeCloseTo((5 / 8) * (1 - SHARED_MACHINE_RESERVE), 9);
    const partsMs = [5000, 6250, 6250, 6250, 6250];
    const plan = planStart({ partsMs, publishedCount: 1, rate })!;
    expect(plan.waitMs).toBeLessThan(45_000);
    // The same part, with the three tasks already past their first parts when it started.
    const behind = dubRate([{ durationMs: 5000, publishedAtMs: 8000 }], 0, {
      activeTasks: 3,
      aheadAtStart: 2,
    })!;
    expect(behind).toBeCloseTo(rate / 3, 9);
    // More "ahead" than other tasks cannot be.
    expect(
      dubRate([{ durationMs: 5000, publishedAtMs: 8000 }], 0, { activeTasks: 2, aheadAtStart: 5 }),
    ).toBeCloseTo(rate / 2, 9);
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

  it("with other tasks running, never goes above the average since work started, less the reserve", () => {
    const parts = [
      { durationMs: 5000, publishedAtMs: 20_000 },
      { durationMs: 8000, publishedAtMs: 24_000 },
      { durationMs: 12_000, publishedAtMs: 30_000 },
    ];
    // Alone the pace is 2x; shared, the 25 s made in 30 s bound it, and a quarter is kept back.
    expect(dubRate(parts, 0, SHARED)).toBeCloseTo((25 / 30) * (1 - SHARED_MACHINE_RESERVE), 9);
    // A quick start does not make the average the bound: the recent pace is lower.
    const quick = parts.map((p) => ({ ...p, publishedAtMs: p.publishedAtMs - 18_000 }));
    expect(dubRate(quick, 0, SHARED)).toBeCloseTo(2 * (1 - SHARED_MACHINE_RESERVE), 9);
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
      planStart({
        partsMs: [5000, 7500],
        publishedCount: 1,
        rate: 1,
        marginMs: 1000,
        marginShare: 0,
        wobble: 0,
      })?.waitMs,
    ).toBe(3500);
  });

  it("keeps a margin that grows with the part's length", () => {
    expect(partMarginMs(4000)).toBe(1150);
    expect(partMarginMs(30_000)).toBe(3750);
    // Part 1 (7.5 s) at 1x: 2.5 s short, plus 1 s and a tenth of 7.5 s.
    expect(
      planStart({ partsMs: [5000, 7500], publishedCount: 1, rate: 1, marginMs: 1000, wobble: 0 })?.waitMs,
    ).toBe(4250);
  });

  it("waits for the end when the dub is slower than real time", () => {
    // 60 s at 0.5x: the last part lands 110 s from now and must be there when the playhead reaches 30 s.
    const plan = planStart({
      partsMs: [5000, 25_000, 30_000],
      publishedCount: 1,
      rate: 0.5,
      marginMs: 0,
      marginShare: 0,
      wobble: 0,
    });
    expect(plan?.waitMs).toBe(110_000 - 30_000);
    expect(plannedWaitMessage(plan!, 12_300, MEASURED_AFTER_PARTS)).toBe(
      "Dubbing at 0.5x real time: starting in 13 s so you can watch without pauses",
    );
  });

  it("says it is measuring, not a countdown, while the rate rests on fewer than three parts", () => {
    const plan = { waitMs: 1_050_000, rate: 0.4 };
    expect(plannedWaitMessage(plan, 1_050_000, 1)).toBe(MEASURING_MESSAGE);
    expect(plannedWaitMessage(plan, 1_050_000, 2)).toBe(MEASURING_MESSAGE);
    expect(plannedWaitMessage(plan, 7000, 3)).toBe(
      "Dubbing at 0.4x real time: starting in 7 s so you can watch without pauses",
    );
  });

  it("is unknown without a rate", () => {
    expect(planStart({ partsMs: [1000], publishedCount: 0, rate: null })).toBeNull();
  });

  it("stretches the wait by the wobble share, and only a wait that is needed", () => {
    expect(planStart({ partsMs: [5000, 7500], publishedCount: 1, rate: 1, marginMs: 1000 })?.waitMs).toBe(
      4675,
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

  it("property: a viewer alone, whose first part was made at 2.8x real time or faster, starts at once", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2500, max: 5000 }),
        fc.array(fc.double({ min: 1, max: 1.5, noNaN: true }), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 15_000, max: 30_000 }),
        fc.double({ min: 2.8, max: 6, noNaN: true }),
        (firstMs, growth, capMs, firstPartRate) => {
          // Parts as the planner cuts them: 2.5–5 s first, each next up to 1.5x, up to 15–30 s.
          const partsMs = [firstMs];
          for (const g of growth) partsMs.push(Math.round(Math.min(capMs, (partsMs.at(-1) as number) * g)));
          const rate = dubRate([{ durationMs: firstMs, publishedAtMs: firstMs / firstPartRate }], 0);
          // Below the player's 400 ms floor for a planned wait (player.tsx MIN_PLANNED_WAIT_MS).
          expect(planStart({ partsMs, publishedCount: 1, rate })!.waitMs).toBeLessThan(400);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("three 3 min dubs at once: the wait planned on the first minute's pace holds when the pace drops to 0.7x", () => {
    // The shape of the benchmark's stall: parts 4, 6, 9, 13.5, 20 s, then 30 s; 32.5 s of media
    // in at 36 s (0.9x since work started); from then on the parts came at 0.7x.
    const partsMs = [4000, 6000, 9000, 13_500, 20_000, 30_000, 30_000, 30_000, 30_000, 7500];
    const times = [9000, 12_000, 20_000, 36_000];
    const published = times.map((t, k) => ({ durationMs: partsMs[k] as number, publishedAtMs: t }));
    const rate = dubRate(published, 0, SHARED)!;
    const plan = planStart({ partsMs, publishedCount: published.length, rate })!;
    expect(rate).toBeLessThan(0.7);
    let playheadStart = plan.waitMs + partsMs.slice(0, 4).reduce((a, b) => a + b, 0);
    let landsAt = 0;
    for (const len of partsMs.slice(4)) {
      landsAt += len / 0.7;
      expect(landsAt).toBeLessThan(playheadStart);
      playheadStart += len;
    }
  });
});

describe("decideStart", () => {
  const parts = { partsMs: [5000, 6667, 6667, 6667], publishedCount: 1, done: false };

  it("waits for the rate instead of starting blind, for a while", () => {
    // The part is in but its publication event (with the rate) has not reached the page.
    expect(decideStart({ ...parts, dubRate: null })).toEqual({ kind: "measure" });
    expect(decideStart({ ...parts, dubRate: null }, MAX_RATE_WAIT_MS - 1)).toEqual({ kind: "measure" });
    expect(decideStart({ ...parts, dubRate: null }, MAX_RATE_WAIT_MS)).toEqual({ kind: "play" });
    expect(decideStart({ ...parts, dubRate: null, done: true })).toEqual({ kind: "play" });
  });

  it("plays at once when the dub keeps ahead, plans a wait when it does not", () => {
    expect(decideStart({ ...parts, dubRate: 3 })).toEqual({ kind: "play" });
    const slow = decideStart({ ...parts, dubRate: 0.5 });
    expect(slow.kind).toBe("wait");
    if (slow.kind === "wait") expect(slow.plan.waitMs).toBeGreaterThan(10_000);
  });
});
