/**
 * One BullMQ processor for every stage: load the stage, run it with its ports, then
 * enqueue what follows (the order is data in @vitranslator/queue). Bad input fails the
 * task at once (UnrecoverableError); other faults are retried with backoff and fail the
 * task only when the last attempt fails.
 */
import { UnrecoverableError } from "bullmq";
import type { Job } from "bullmq";
import { failTask, getTaskStatus, recordStageEnd, recordStageStart } from "@vitranslator/db";
import type { Db } from "@vitranslator/db";
import { isPipelineError, stages } from "@vitranslator/pipeline";
import type { Engines, EventSink, PipelineConfig, TaskStore } from "@vitranslator/pipeline";
import { enqueue, jobPayload, NEXT_STAGE, RELEASE_LATER_SEGMENTS_AFTER } from "@vitranslator/queue";
import type { JobPayload, StageName, StageQueues } from "@vitranslator/queue";
import type { AppLogger, Storage } from "@vitranslator/pipeline";

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

async function stageFinished(
  db: Db,
  run: { taskId: string; segmentIndex: number; stage: string },
): Promise<boolean> {
  const r = await db.stageRun.findUnique({ where: { taskId_segmentIndex_stage: run } });
  return r !== null && r.finishedAt !== null && r.errorCode === null;
}

/** Queues the extraction of segments 1..n-1 once segment 0 is out (see RELEASE_LATER_SEGMENTS_AFTER). */
async function releaseLaterSegments(
  stage: StageName,
  payload: JobPayload,
  deps: ProcessorDeps,
): Promise<void> {
  if (stage !== RELEASE_LATER_SEGMENTS_AFTER || payload.segmentIndex !== 0 || payload.revision) return;
  const task = await deps.store.getTask(payload.taskId);
  for (let k = 1; k < (task?.segmentCount ?? 0); k++) {
    await enqueue(deps.queues, "segment", { taskId: payload.taskId, segmentIndex: k });
  }
}

export function createProcessor(stage: StageName, deps: ProcessorDeps) {
  return async (job: Job<JobPayload>, _token?: string, signal?: AbortSignal): Promise<void> => {
    const payload = jobPayload.parse(job.data);
    const log = deps.log.child({
      stage,
      taskId: payload.taskId,
      segment: payload.segmentIndex,
      jobId: job.id,
      attempt: job.attemptsMade + 1,
    });
    const status = await getTaskStatus(deps.db, payload.taskId);
    if (status === null || status === "cancelled" || status === "failed") {
      log.info({ status }, "skipped: task is not active");
      return;
    }
    const run = { taskId: payload.taskId, segmentIndex: payload.segmentIndex ?? -1, stage };
    // A worker killed after the stage finished but before BullMQ recorded the job as done
    // gets the job again: do not redo the work (a second ASR run would replace sentences
    // that later stages already filled in), only the hand-over to the next stage.
    if (payload.segmentIndex !== undefined && !payload.revision && (await stageFinished(deps.db, run))) {
      await deps.store.setSegmentStage(payload.taskId, payload.segmentIndex, stage);
      const next = NEXT_STAGE[stage];
      if (next && stage !== "mix") await enqueue(deps.queues, next, payload);
      await releaseLaterSegments(stage, payload, deps);
      log.info({}, "stage already done: handed over again");
      return;
    }
    await recordStageStart(deps.db, run);
    if (payload.segmentIndex !== undefined) {
      await deps.events.emit(payload.taskId, {
        type: "segment",
        index: payload.segmentIndex,
        stage,
        status: "started",
      });
    }
    try {
      const result = await stages[stage].run(payload, {
        store: deps.store,
        events: deps.events,
        taskDir: deps.storage.taskDir(payload.taskId),
        engines: deps.engines,
        config: deps.config,
        signal: signal ?? new AbortController().signal,
        log,
      });
      await recordStageEnd(deps.db, run);
      if (payload.segmentIndex !== undefined) {
        await deps.store.setSegmentStage(payload.taskId, payload.segmentIndex, stage);
        await deps.events.emit(payload.taskId, {
          type: "segment",
          index: payload.segmentIndex,
          stage,
          status: "done",
        });
      }
      for (const segmentIndex of result.fanOut ?? []) {
        await enqueue(deps.queues, stage, {
          taskId: payload.taskId,
          segmentIndex,
          ...(payload.revision ? { revision: payload.revision } : {}),
        });
      }
      const next = NEXT_STAGE[stage];
      if (result.continue && next) await enqueue(deps.queues, next, payload);
      await releaseLaterSegments(stage, payload, deps);
      log.info({}, "stage done");
    } catch (err) {
      const code = isPipelineError(err) ? err.code : "INTERNAL_ERROR";
      await recordStageEnd(deps.db, { ...run, errorCode: code }).catch(() => undefined);
      const userError = isPipelineError(err) && err.category === "user";
      const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      log.error({ err, code, userError, lastAttempt }, "stage failed");
      if (userError || lastAttempt) {
        const message = err instanceof Error ? err.message : String(err);
        if (await failTask(deps.db, payload.taskId, { code, message, stage })) {
          await deps.events.emit(payload.taskId, {
            type: "task",
            status: "failed",
            errorCode: code,
            errorMessage: message,
          });
        }
      }
      if (userError) throw new UnrecoverableError(`${code}: ${(err as Error).message}`);
      throw err;
    }
  };
}
