/** Per-stage figures of a finished task, from its StageRun rows. */
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { BenchStack } from "./stack";

export const quantile = (xs: number[], q: number) => {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};

/** The first segment's critical path: planning, then each stage of segment 0, in order. */
export async function firstSegmentPath(stack: BenchStack, taskId: string) {
  const runs = await stack.db.db.stageRun.findMany({
    where: { taskId, segmentIndex: { in: [-1, 0] } },
    orderBy: { startedAt: "asc" },
  });
  return runs.map((r) => ({ stage: r.segmentIndex === -1 ? "plan" : r.stage, ms: r.durationMs ?? 0 }));
}

export async function stageStats(stack: BenchStack, taskId: string) {
  const runs = await stack.db.db.stageRun.findMany({ where: { taskId } });
  const by = new Map<string, number[]>();
  for (const r of runs) by.set(r.stage, [...(by.get(r.stage) ?? []), r.durationMs ?? 0]);
  const total = runs.reduce((a, r) => a + (r.durationMs ?? 0), 0);
  return Object.fromEntries(
    [...by].map(([stage, xs]) => [
      stage,
      {
        p50: quantile(xs, 0.5),
        p95: quantile(xs, 0.95),
        sumMs: xs.reduce((a, b) => a + b, 0),
        share: total ? xs.reduce((a, b) => a + b, 0) / total : 0,
      },
    ]),
  );
}

export const formatPath = (p: { stage: string; ms: number }[]) =>
  p.map((s) => `${s.stage} ${(s.ms / 1000).toFixed(1)}`).join(" → ") + " s";

/**
 * How the parts got their video: copied from the source (its keyframes allowed ≤ 6 s
 * chunks) or re-encoded, and what the segment stage cost each way (p50; part 0 is left
 * out, it skips separation).
 */
export async function videoParts(stack: BenchStack, taskId: string) {
  let copy: number[] = [];
  try {
    const plan = JSON.parse(
      await readFile(path.join(stack.storageDir, "tasks", taskId, "work", "video-plan.json"), "utf8"),
    ) as { copyVideo?: number[] };
    copy = plan.copyVideo ?? [];
  } catch {
    // an audio-only task has no video plan
  }
  const runs = await stack.db.db.stageRun.findMany({
    where: { taskId, stage: "segment", segmentIndex: { gt: 0 } },
  });
  const ms = (copied: boolean) =>
    runs.filter((r) => copy.includes(r.segmentIndex) === copied).map((r) => r.durationMs ?? 0);
  return {
    parts: runs.length + 1,
    copied: copy.length,
    segmentP50MsCopied: ms(true).length ? quantile(ms(true), 0.5) : null,
    segmentP50MsReencoded: ms(false).length ? quantile(ms(false), 0.5) : null,
  };
}
