import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { StageName } from "./stages";
import { jobId, jobPriority, STAGE_NAMES } from "./stages";
import type { JobPayload } from "./stages";

export const QUEUE_PREFIX = "vt";

export const DEFAULT_JOB_OPTIONS = {
  attempts: 4,
  backoff: { type: "exponential", delay: 2000 },
  removeOnComplete: { age: 24 * 3600, count: 5000 },
  removeOnFail: { age: 7 * 24 * 3600 },
} as const;

export type StageQueues = Record<StageName, Queue<JobPayload>>;

export function createQueues(connection: Redis, prefix = QUEUE_PREFIX): StageQueues {
  return Object.fromEntries(
    STAGE_NAMES.map((name) => [
      name,
      new Queue<JobPayload>(name, { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS }),
    ]),
  ) as StageQueues;
}

export async function enqueue(queues: StageQueues, stage: StageName, payload: JobPayload): Promise<void> {
  await queues[stage].add(stage, payload, { jobId: jobId(stage, payload), priority: jobPriority(payload) });
}

export async function closeQueues(queues: StageQueues): Promise<void> {
  await Promise.all(Object.values(queues).map((q) => q.close()));
}
