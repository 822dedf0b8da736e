/**
 * The owner adds a dub language to a task, running or finished, reusing what is done:
 * recognition, the part plan and the video are shared, so only translate → mix run for
 * the new language. Its rows are copied under the task's publish lock (db addTaskLanguage);
 * parts already recognised get their first per-language job here, the others when their
 * recognition hands over. Who may is the caller's check (owner.ts).
 */
import { addTaskLanguage, languagesOf } from "@vitranslator/db";
import type { AddLanguageRefusal } from "@vitranslator/db";
import type { TaskOptions } from "@vitranslator/pipeline";
import { STAGE_NAMES, STAGES } from "@vitranslator/pipeline/graph";
import { enqueue } from "@vitranslator/queue";
import type { TaskCommandDeps } from "./deps";
import { AppError } from "./errors";
import { burnOneLanguage, languageTag, MAX_TASK_LANGUAGES, tooManyLanguages } from "./languages";

/** Where a language's work starts: the first stage run per language (translate). */
const FIRST_LANGUAGE_STAGE = STAGE_NAMES.find((s) => STAGES[s].perLanguage)!;

const REFUSED: Record<AddLanguageRefusal, string> = {
  TASK_NOT_FOUND: "No such task (the link may be wrong, or the task was deleted).",
  TASK_NOT_ACTIVE: "A failed or cancelled task cannot get another language; retry it first.",
  LANGUAGE_EXISTS: "The task is already dubbed into this language.",
};

export interface AddLanguage {
  taskId: string;
  language: string;
  /**
   * Refuses a language the workers cannot dub with the task's voice (UNSUPPORTED_LANGUAGE,
   * UNKNOWN_VOICE), from the caller's view of the engines; absent: no engine check.
   */
  checkEngines?: (language: string, voice: string | null) => Promise<AppError | null>;
}

export async function addLanguage(
  deps: TaskCommandDeps,
  input: AddLanguage,
): Promise<{ language: string; languages: string[] }> {
  const { taskId } = input;
  const language = languageTag(input.language);
  const task = await deps.db.task.findUnique({
    where: { id: taskId },
    select: { status: true, options: true, languages: true, targetLanguage: true },
  });
  if (!task) throw new AppError("TASK_NOT_FOUND", REFUSED.TASK_NOT_FOUND);
  const options = (task.options ?? {}) as TaskOptions;
  const current = languagesOf(task);
  if (current.includes(language)) throw new AppError("LANGUAGE_EXISTS", REFUSED.LANGUAGE_EXISTS);
  if (options.burnSubtitles) throw burnOneLanguage();
  if (current.length >= MAX_TASK_LANGUAGES) throw tooManyLanguages();
  const refusal = await input.checkEngines?.(language, options.voice ?? null);
  if (refusal) throw refusal;

  const added = await addTaskLanguage(deps.db, taskId, language);
  if (!added.ok) throw new AppError(added.code, REFUSED[added.code]);
  await deps.events.emit(taskId, { type: "language", language, languages: added.languages });
  for (const segmentIndex of added.readyParts)
    await enqueue(deps.queues, FIRST_LANGUAGE_STAGE, { taskId, segmentIndex, language });
  // A finished task is dubbing again (addTaskLanguage reopened it): its viewers are told.
  if (task.status === "completed") await deps.events.emit(taskId, { type: "task", status: "processing" });
  return { language, languages: added.languages };
}
