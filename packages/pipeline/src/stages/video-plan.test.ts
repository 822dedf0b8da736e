import { describe, expect, it } from "vitest";
import { gopKeyframesMs, planVideo } from "./video-plan";

const parts = [
  { index: 0, startMs: 0, durationMs: 5000 },
  { index: 1, startMs: 5000, durationMs: 13_000 },
  { index: 2, startMs: 18_000, durationMs: 12_500 },
];
// Source keyframes every 2.5 s, except none between 18 s and 30 s.
const keyframesMs = [0, 2500, 5000, 7500, 10_000, 12_500, 15_000, 17_500, 30_000];

describe("planVideo", () => {
  it("copies parts that start on a keyframe with keyframes close enough, cut on those keyframes", () => {
    const plan = planVideo({ parts, keyframesMs, hasVideo: true, burnSubtitles: false });
    expect(plan.copyVideo).toEqual([0, 1]);
    // A 5 s part is one chunk; part 1 is cut on its own keyframes (5 s → 0, 2.5 s → …).
    expect(plan.chunkCutsMs?.[0]).toEqual([]);
    for (const cut of plan.chunkCutsMs?.[1] ?? []) expect(keyframesMs).toContain(5000 + cut);
    expect(plan.chunkCutsMs?.[1]?.length).toBeGreaterThan(0);
    // Part 2 has no keyframe inside for 12 s: re-encoded, cut on our GOP grid.
    for (const cut of plan.chunkCutsMs?.[2] ?? []) expect(cut % 2000).toBe(0);
    expect(plan.chunkCutsMs?.[2]?.length).toBeGreaterThan(0);
  });

  it("cuts burned parts on the GOP grid (the mix re-encodes them) and audio-only parts anywhere", () => {
    const burned = planVideo({ parts, keyframesMs, hasVideo: true, burnSubtitles: true });
    expect(burned.copyVideo).toEqual([0, 1]);
    for (const cut of burned.chunkCutsMs?.[1] ?? []) expect(cut % 2000).toBe(0);
    const audio = planVideo({ parts, keyframesMs: [], hasVideo: false, burnSubtitles: false });
    expect(audio.copyVideo).toEqual([]);
    expect(audio.chunkCutsMs?.[1]).toEqual([4000, 8000]);
  });

  it("lists our encoder's keyframes from 0, one per GOP", () => {
    expect(gopKeyframesMs(5000)).toEqual([0, 2000, 4000]);
    expect(gopKeyframesMs(4000)).toEqual([0, 2000]);
  });
});
