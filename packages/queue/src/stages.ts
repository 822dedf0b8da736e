/**
 * Queues for the stage graph (@vitranslator/pipeline/graph): queue names are the stage
 * names of DESIGN §2, payloads carry ids only, job ids dedup, priorities order the work.
 */
import { STAGE_NAMES } from "@vitranslator/pipeline/graph";
import type { StageName } from "@vitranslator/pipeline/graph";
import { LANGUAGE_TAG } from "@vitranslator/pipeline/layout";
import { z } from "zod";

export { STAGE_NAMES };
export type { StageName };

export const jobPayload = z.object({
  taskId: z.string().min(1),
  segmentIndex: z.number().int().min(0).optional(),
  /** The dub language of a per-language stage (translate → mix); absent for segment and asr. */
  language: z.string().regex(LANGUAGE_TAG).optional(),
  /** Bumped when a segment is re-dubbed, so its job ids do not collide with the first run. */
  revision: z.number().int().min(0).optional(),
  /** A viewer jumped to this part: it goes ahead of the rest of its task (see jobPriority). */
  seek: z.boolean().optional(),
});
export type JobPayload = z.infer<typeof jobPayload>;

export function parseStages(list: string | undefined): StageName[] {
  if (!list || list.trim() === "" || list.trim() === "all") return [...STAGE_NAMES];
  const wanted = list
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = wanted.filter((s) => !(STAGE_NAMES as readonly string[]).includes(s));
  if (unknown.length > 0) {
    throw new Error(`Unknown stage(s): ${unknown.join(", ")}. Stages are: ${STAGE_NAMES.join(", ")}.`);
  }
  return wanted as StageName[];
}

/** Dedup id: adding the same stage job twice is a no-op while the first is known. */
export function jobId(stage: StageName, p: JobPayload): string {
  return [
    stage,
    p.taskId,
    p.segmentIndex ?? "plan",
    ...(p.language ? [p.language] : []),
    p.revision ?? 0,
  ].join(".");
}

/**
 * Lower runs first. Every task's first segment outranks any later segment, so a new
 * upload gets its first dubbed part ahead of older tasks' backlog.
 */
export function jobPriority(p: JobPayload): number {
  if (p.segmentIndex === undefined) return 1;
  // Right behind every task's first part, ahead of any other backlog.
  if (p.seek && p.segmentIndex > 0) return 3;
  return Math.min(2_000_000, 2 + p.segmentIndex * 10);
}
