/**
 * The BullMQ side of a stage: parse the payload, run it through the stage runner
 * (@vitranslator/pipeline runner.ts, where skipping, recording and hand-over live), and
 * turn a failure that must not be retried into BullMQ's UnrecoverableError.
 */
import { UnrecoverableError } from "bullmq";
import type { Job } from "bullmq";
import { runStage, StageFailure, stages } from "@vitranslator/pipeline";
import type { Engines, EventSink, PipelineConfig, Storage, TaskStore } from "@vitranslator/pipeline";
import type { AppLogger } from "@vitranslator/service";
import type { Db } from "@vitranslator/db";
import { enqueue, jobPayload } from "@vitranslator/queue";
import { failTask } from "@vitranslator/tasks";
import type { JobPayload, StageName, StageQueues } from "@vitranslator/queue";

export interface ProcessorDeps {
  db: Db;
  store: TaskStore;
  events: EventSink;
  queues: StageQueues;
  engines: Engines;
  storage: Storage;
  config: PipelineConfig;
  log: AppLogger;
}

export function createProcessor(stage: StageName, deps: ProcessorDeps) {
  const scheduler = { enqueue: (s: StageName, p: JobPayload) => enqueue(deps.queues, s, p) };
  return async (job: Job<JobPayload>, _token?: string, signal?: AbortSignal): Promise<void> => {
    const payload = jobPayload.parse(job.data);
    const log = deps.log.child({
      stage,
      taskId: payload.taskId,
      segment: payload.segmentIndex,
      ...(payload.language ? { language: payload.language } : {}),
      jobId: job.id,
      attempt: job.attemptsMade + 1,
    });
    try {
      await runStage(
        {
          stage,
          payload,
          attempt: job.attemptsMade + 1,
          maxAttempts: job.opts.attempts ?? 1,
          signal: signal ?? new AbortController().signal,
        },
        {
          stages,
          store: deps.store,
          events: deps.events,
          scheduler,
          failTask: (id, failure) => failTask(deps, id, failure),
          engines: deps.engines,
          config: deps.config,
          taskDir: (id) => deps.storage.taskDir(id),
          log,
        },
      );
    } catch (err) {
      if (err instanceof StageFailure && !err.retry) throw new UnrecoverableError(err.message);
      throw err instanceof StageFailure ? err.cause : err;
    }
  };
}
