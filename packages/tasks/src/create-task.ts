/** A new task from files already received and checked: its row, its first event, its planning job. */
import { createTask as insertTask, hashToken, newOwnerToken } from "@vitranslator/db";
import type { TaskOptions } from "@vitranslator/pipeline";
import { PIPELINE } from "@vitranslator/pipeline/graph";
import { enqueue } from "@vitranslator/queue";
import type { TaskCommandDeps } from "./deps";

export interface NewTask {
  id: string;
  originalName: string;
  sourceLanguage: string | null;
  targetLanguage: string;
  options: TaskOptions;
  /** Paths inside the task's folder. */
  sourceFile: string;
  subtitleFile: string | null;
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
