/**
 * The stage runner, free of any queue library: skip a job whose task is gone or whose stage
 * already finished, record the start, run the stage, record the end, and hand over by the
 * stage graph (graph.ts). Done and skipped hand over the same way, through one function.
 * The BullMQ processor in apps/workers is a thin adapter around `runStage`.
 */
import { isPipelineError } from "./errors";
import { nextStage, PIPELINE, STAGES } from "./graph";
import { mediaTools } from "./stages/media-tools";
import type { MediaTools } from "./stages/media-tools";
import type { StageName } from "./graph";
import type {
  Engines,
  EventSink,
  Logger,
  PipelineConfig,
  Stage,
  StageInput,
  StageResult,
  StageRunKey,
  TaskStore,
} from "./ports";

/** Adds a job for a stage; adding the same job twice is a no-op (dedup ids). */
export interface JobScheduler {
  enqueue(stage: StageName, payload: StageInput): Promise<void>;
}

export interface RunnerDeps {
  stages: Record<StageName, Stage>;
  store: TaskStore;
  events: EventSink;
  scheduler: JobScheduler;
  /** Fails a queued or running task and tells its viewers (the tasks package's failTask); false when it had ended. */
  failTask(taskId: string, failure: { code: string; message: string; stage: StageName }): Promise<boolean>;
  engines: Engines;
  /** The stages' media work; the real tools unless a test passes fakes. */
  media?: MediaTools;
  config: PipelineConfig;
  /** Absolute folder of a task's media. */
  taskDir(taskId: string): string;
  log: Logger;
}

export interface StageJob {
  stage: StageName;
  payload: StageInput;
  /** 1 for the first attempt. */
  attempt: number;
  maxAttempts: number;
  signal: AbortSignal;
}

export type RunOutcome = "done" | "skipped" | "handed-over";

/** A stage failed. `retry` false: bad input or the last attempt — the task has been failed. */
export class StageFailure extends Error {
  constructor(
    readonly code: string,
    readonly retry: boolean,
    override readonly cause: unknown,
  ) {
    super(`${code}: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = "StageFailure";
  }
}

export async function runStage(job: StageJob, deps: RunnerDeps): Promise<RunOutcome> {
  const { stage, payload } = job;
  const log = deps.log;
  const status = await deps.store.taskStatus(payload.taskId);
  if (status === null || status === "cancelled" || status === "failed") {
    log.info({ status }, "skipped: task is not active");
    return "skipped";
  }
  const run = {
    taskId: payload.taskId,
    segmentIndex: payload.segmentIndex ?? -1,
    stage,
    ...(payload.language ? { language: payload.language } : {}),
  };
  // A worker killed after the stage finished but before the queue recorded the job as done
  // gets the job again: do not redo the work (a second ASR run would replace sentences that
  // later stages already filled in), only the hand-over.
  if (payload.segmentIndex !== undefined && !payload.revision && (await deps.store.stageRunFinished(run))) {
    await handOver(stage, payload, { continue: true }, deps);
    log.info({}, "stage already done: handed over again");
    return "handed-over";
  }
  // A part's viewers see each of its stages start and finish.
  const partEvent = async (status: "started" | "done") => {
    if (payload.segmentIndex === undefined) return;
    await deps.events.emit(payload.taskId, {
      type: "segment",
      index: payload.segmentIndex,
      stage,
      status,
      ...(payload.language ? { language: payload.language } : {}),
    });
  };
  await deps.store.recordStageStart(run);
  await partEvent("started");
  let result: StageResult;
  try {
    result = await deps.stages[stage].run(payload, {
      store: deps.store,
      events: deps.events,
      taskDir: deps.taskDir(payload.taskId),
      engines: deps.engines,
      media: deps.media ?? mediaTools,
      config: deps.config,
      signal: job.signal,
      log,
    });
  } catch (err) {
    throw await failed(job, run, err, deps);
  }
  await deps.store.recordStageEnd(run);
  await partEvent("done");
  await handOver(stage, payload, result, deps);
  log.info({}, "stage done");
  return "done";
}

/**
 * What follows a finished stage, by the graph: the same stage's fan-out jobs (planning →
 * part 0), the part's next stage, and the next part's release (PIPELINE.releaseNextPartAfter).
 */
async function handOver(
  stage: StageName,
  payload: StageInput,
  result: StageResult,
  deps: RunnerDeps,
): Promise<void> {
  const { taskId, segmentIndex, revision, language } = payload;
  if (segmentIndex !== undefined) await deps.store.setSegmentStage(taskId, segmentIndex, stage, language);
  for (const k of result.fanOut ?? []) {
    await deps.scheduler.enqueue(stage, { taskId, segmentIndex: k, ...(revision ? { revision } : {}) });
  }
  const next = nextStage(stage);
  if (result.continue && next && segmentIndex !== undefined) {
    if (STAGES[next].perLanguage && !language) {
      // The shared stages are done for this part: one job per dub language (read now, so a
      // language added meanwhile is not missed; one added later enqueues its own).
      const task = await deps.store.getTask(taskId);
      for (const lang of task?.languages ?? [])
        await deps.scheduler.enqueue(next, { ...payload, language: lang });
    } else {
      await deps.scheduler.enqueue(next, payload);
    }
  }
  // A re-dub redoes one part; it releases nothing.
  if (stage === PIPELINE.releaseNextPartAfter && segmentIndex !== undefined && !revision) {
    const task = await deps.store.getTask(taskId);
    if (task?.segmentCount && segmentIndex + 1 < task.segmentCount) {
      await deps.scheduler.enqueue(PIPELINE.entry, { taskId, segmentIndex: segmentIndex + 1 });
    }
  }
}

async function failed(
  job: StageJob,
  run: StageRunKey,
  err: unknown,
  deps: RunnerDeps,
): Promise<StageFailure> {
  const code = isPipelineError(err) ? err.code : "INTERNAL_ERROR";
  await deps.store.recordStageEnd({ ...run, errorCode: code }).catch(() => undefined);
  const userError = isPipelineError(err) && err.category === "user";
  const lastAttempt = job.attempt >= job.maxAttempts;
  deps.log.error({ err, code, userError, lastAttempt }, "stage failed");
  if (userError || lastAttempt) {
    const message = err instanceof Error ? err.message : String(err);
    await deps.failTask(run.taskId, { code, message, stage: run.stage });
  }
  return new StageFailure(code, !userError && !lastAttempt, err);
}
