/** A new task from files already received and checked: its row, its first event, its planning job. */
import { createTask as insertTask, hashToken, newOwnerToken } from "@vitranslator/db";
import type { NewTask as NewTaskRow } from "@vitranslator/db";
import { PIPELINE } from "@vitranslator/pipeline/graph";
import { enqueue } from "@vitranslator/queue";
import type { TaskCommandDeps } from "./deps";

/** The row's fields (paths inside the task's folder) but the owner token, which the command makes. */
export interface NewTask extends Omit<NewTaskRow, "ownerTokenHash"> {
  /** The media length the upload check measured, for the first event. */
  durationMs?: number;
}

/** Returns the owner token (only its hash is stored): the creating client keeps it. */
export async function createTask(deps: TaskCommandDeps, task: NewTask): Promise<{ ownerToken: string }> {
  const ownerToken = newOwnerToken();
  const { durationMs, ...row } = task;
  await insertTask(deps.db, { ...row, ownerTokenHash: hashToken(ownerToken) });
  await deps.events.emit(task.id, {
    type: "task",
    status: "queued",
    ...(durationMs !== undefined ? { durationMs } : {}),
  });
  await enqueue(deps.queues, PIPELINE.entry, { taskId: task.id });
  return { ownerToken };
}
