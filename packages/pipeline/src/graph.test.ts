import { describe, expect, it } from "vitest";
import { nextStage, PIPELINE, STAGE_NAMES, STAGES, taskProgress } from "./graph";

describe("the stage graph", () => {
  it("chains the eight stages, each part-scoped, planning entering at segment", () => {
    const order = [PIPELINE.entry];
    for (let s = nextStage(PIPELINE.entry); s; s = nextStage(s)) order.push(s);
    expect(order).toEqual([...STAGE_NAMES]);
    for (const name of STAGE_NAMES) expect(STAGES[name].scope).toContain("part");
    expect(STAGES.segment.scope).toContain("task");
    expect(STAGE_NAMES).toContain(PIPELINE.releaseNextPartAfter);
    expect(STAGE_NAMES.indexOf(PIPELINE.redubFrom.source)).toBeLessThan(
      STAGE_NAMES.indexOf(PIPELINE.redubFrom.translation),
    );
  });
});

describe("taskProgress", () => {
  const task = (publishedCount: number) => ({ status: "processing", segmentCount: 4, publishedCount });
  const line = (segmentIndex: number, stage: string) => ({ segmentIndex, stage });

  it("counts published parts as done and the others by their sentences' stages", () => {
    expect(taskProgress(task(0))).toBe(0);
    expect(taskProgress(task(1), [line(0, "audiogen"), line(1, "tts"), line(1, "align")])).toBeCloseTo(
      (1 + (4 / 7 + 5 / 7) / 2) / 4,
    );
    expect(taskProgress({ status: "completed", segmentCount: 4, publishedCount: 4 })).toBe(1);
    expect(taskProgress(task(4))).toBe(0.99);
  });

  it("never goes back while a dub runs, as sentences move on and new parts get theirs", () => {
    // Part 0 is far along, then part 1's sentences arrive at asr: an average over all known
    // sentences would drop; this must not.
    const before = taskProgress(task(0), [line(0, "audiogen"), line(0, "audiogen")]);
    const after = taskProgress(task(0), [
      line(0, "audiogen"),
      line(0, "audiogen"),
      line(1, "asr"),
      line(1, "asr"),
    ]);
    expect(after).toBeGreaterThanOrEqual(before);
    const published = taskProgress(task(1), [line(0, "audiogen"), line(0, "audiogen"), line(1, "asr")]);
    expect(published).toBeGreaterThanOrEqual(after);
  });
});
