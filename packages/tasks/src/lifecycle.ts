/**
 * What an operator (or a worker) does to a whole task: retry it from where each part
 * stopped, cancel it, delete it with its media and event stream, or fail it.
 */
import {
  cancelTask as cancelRow,
  deleteTaskRows,
  failTask as failRow,
  getTaskStatus,
  reopenFailedTask,
} from "@vitranslator/db";
import { nextStage, PIPELINE, STAGE_NAMES, STAGES } from "@vitranslator/pipeline/graph";
import type { StageName } from "@vitranslator/pipeline/graph";
import { enqueue } from "@vitranslator/queue";
import type { TaskCommandDeps } from "./deps";
import { AppError } from "./errors";

/** A failed task resumes where each part stopped: the stage after its last finished one. */
export async function retryTask(deps: TaskCommandDeps, taskId: string): Promise<{ resumed: number }> {
  const points = await reopenFailedTask(deps.db, taskId);
  if (!points) throw new AppError("NOT_RETRYABLE", "Only a failed task can be retried.");
  for (const p of points) {
    const stage: StageName | null =
      p.segmentIndex === undefined || p.lastStage === null
        ? PIPELINE.entry
        : nextStage(p.lastStage as StageName);
    if (!stage) continue;
    // A shared stage (segment, asr) runs once for every language; the others per language.
    await enqueue(deps.queues, stage, {
      taskId,
      ...(p.segmentIndex !== undefined ? { segmentIndex: p.segmentIndex } : {}),
      ...(p.language && STAGES[stage].perLanguage ? { language: p.language } : {}),
      revision: p.revision,
    });
  }
  await deps.events.emit(taskId, { type: "task", status: "processing", errorCode: null, errorMessage: null });
  return { resumed: points.length };
}

/** Removes the task's jobs that have not started yet; running ones see the status and stop. */
async function removeWaitingJobs(deps: TaskCommandDeps, taskId: string): Promise<number> {
  let removed = 0;
  for (const stage of STAGE_NAMES) {
    const jobs = await deps.queues[stage].getJobs(["waiting", "prioritized", "delayed", "paused"]);
    for (const job of jobs) {
      if (job.data.taskId !== taskId) continue;
      await job.remove().catch(() => undefined);
      removed += 1;
    }
  }
  return removed;
}

export async function cancelTask(deps: TaskCommandDeps, taskId: string): Promise<{ removedJobs: number }> {
  if (!(await cancelRow(deps.db, taskId)))
    throw new AppError("NOT_CANCELLABLE", "Only a queued or running task can be cancelled.");
  const removedJobs = await removeWaitingJobs(deps, taskId);
  await deps.events.emit(taskId, { type: "task", status: "cancelled" });
  return { removedJobs };
}

/** Stops it first (so no worker writes into a folder being removed), then rows, media and events. */
export async function deleteTask(deps: TaskCommandDeps, taskId: string): Promise<{ deleted: true }> {
  if ((await getTaskStatus(deps.db, taskId)) === null) throw new AppError("TASK_NOT_FOUND", "No such task.");
  await cancelRow(deps.db, taskId);
  await removeWaitingJobs(deps, taskId);
  await deleteTaskRows(deps.db, taskId);
  await deps.storage?.removeTask(taskId);
  await deps.events.deleteStream?.(taskId);
  return { deleted: true };
}

/** Fails a queued or running task once and tells its viewers; false when it had already ended. */
export async function failTask(
  deps: Pick<TaskCommandDeps, "db" | "events">,
  taskId: string,
  failure: { code: string; message: string; stage: StageName },
): Promise<boolean> {
  if (!(await failRow(deps.db, taskId, failure))) return false;
  await deps.events.emit(taskId, {
    type: "task",
    status: "failed",
    errorCode: failure.code,
    errorMessage: failure.message,
  });
  return true;
}
