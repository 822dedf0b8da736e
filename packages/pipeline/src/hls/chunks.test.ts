import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { chunkDurations, HLS_TARGET_DURATION_S, maxKeyframeGapMs, planChunkCuts } from "./chunks";

describe("planChunkCuts", () => {
  it("keeps a part of up to the target duration whole", () => {
    expect(planChunkCuts(6000, [0, 2000, 4000])).toEqual([]);
    expect(planChunkCuts(3000, null)).toEqual([]);
  });

  it("cuts on the keyframe nearest 4 s, never past 6 s", () => {
    expect(planChunkCuts(12_000, [0, 2000, 4000, 6000, 8000, 10_000])).toEqual([4000, 8000]);
    expect(planChunkCuts(11_000, [0, 5500, 9000])).toEqual([5500]);
  });

  it("cuts audio-only parts every 4 s", () => {
    expect(planChunkCuts(13_500, null)).toEqual([4000, 8000]);
  });

  it("never leaves a chunk under 1 s at the end", () => {
    expect(planChunkCuts(12_500, [0, 2000, 4000, 6000, 8000, 10_000, 12_000])).toEqual([4000, 8000]);
  });

  it("takes the next keyframe when they are further apart than the target", () => {
    expect(planChunkCuts(20_000, [0, 10_000])).toEqual([10_000]);
    expect(maxKeyframeGapMs([0, 10_000], 20_000)).toBe(10_000);
    expect(maxKeyframeGapMs([0, 2000, 4000], 5000)).toBe(2000);
  });

  it("property: chunks tile the part, start on keyframes and respect the target when keyframes allow", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 120_000 }),
        fc.integer({ min: 200, max: 6000 }),
        fc.boolean(),
        (durationMs, gop, audioOnly) => {
          const keyframes = Array.from({ length: Math.ceil(durationMs / gop) }, (_, i) => i * gop);
          const cuts = planChunkCuts(durationMs, audioOnly ? null : keyframes);
          const durations = chunkDurations(durationMs, cuts);
          expect(durations.reduce((a, b) => a + b, 0)).toBe(durationMs);
          for (const d of durations) expect(d).toBeGreaterThan(0);
          if (!audioOnly) for (const c of cuts) expect(keyframes).toContain(c);
          if (audioOnly || gop <= 5000) {
            for (const d of durations) expect(d).toBeLessThanOrEqual(HLS_TARGET_DURATION_S * 1000);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
