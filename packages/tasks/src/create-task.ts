/** A new task from files already received and checked: its row, its first event, its planning job. */
import { createTask as insertTask, hashToken, newOwnerToken } from "@vitranslator/db";
import type { NewTask as NewTaskRow } from "@vitranslator/db";
import { PIPELINE } from "@vitranslator/pipeline/graph";
import { enqueue } from "@vitranslator/queue";
import type { TaskCommandDeps } from "./deps";
import { AppError } from "./errors";
import { taskGlossary } from "./glossary";
import { burnOneLanguage, taskLanguages } from "./languages";

/** The row's fields (paths inside the task's folder) but the owner token, which the command makes. */
export interface NewTask extends Omit<NewTaskRow, "ownerTokenHash"> {
  /** The media length the upload check measured, for the first event. */
  durationMs?: number;
}

/**
 * Returns the owner token (only its hash is stored): the creating client keeps it. The
 * languages (default: targetLanguage alone) are checked as tags, deduplicated and capped;
 * the first is the task's targetLanguage. The glossary is checked and stored as given.
 */
export async function createTask(deps: TaskCommandDeps, task: NewTask): Promise<{ ownerToken: string }> {
  const { durationMs, ...row } = task;
  const languages = taskLanguages(row.languages?.length ? row.languages : [row.targetLanguage]);
  const [targetLanguage] = languages;
  if (!targetLanguage)
    throw new AppError("MISSING_TARGET_LANGUAGE", "Give the language to dub into (e.g. fr, zh, es).");
  if (row.options.burnSubtitles && languages.length > 1) throw burnOneLanguage();
  const glossary = taskGlossary(row.glossary);
  const ownerToken = newOwnerToken();
  await insertTask(deps.db, {
    ...row,
    targetLanguage,
    languages,
    glossary,
    ownerTokenHash: hashToken(ownerToken),
  });
  await deps.events.emit(task.id, {
    type: "task",
    status: "queued",
    ...(durationMs !== undefined ? { durationMs } : {}),
  });
  await enqueue(deps.queues, PIPELINE.entry, { taskId: task.id });
  return { ownerToken };
}
