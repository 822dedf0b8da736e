/**
 * The owner corrects one line of one language: its part alone is re-dubbed, in that language only, from where the graph says
 * (PIPELINE.redubFrom) and republished in place; every viewer sees the new text at once.
 * Who may edit is the caller's check (the owner token).
 */
import { EditRefusedError, editSentence } from "@vitranslator/db";
import { enqueue } from "@vitranslator/queue";
import type { TaskCommandDeps } from "./deps";
import { AppError } from "./errors";

export async function editLine(
  deps: TaskCommandDeps,
  edit: { taskId: string; language: string; index: number; translation?: string; sourceText?: string },
) {
  let outcome;
  try {
    outcome = await editSentence(deps.db, edit);
  } catch (err) {
    if (err instanceof EditRefusedError) throw new AppError(err.code, err.message, { cause: err });
    throw err;
  }
  const { segmentIndex, revision, fromStage, sentences } = outcome;
  const { language } = edit;
  await deps.events.emit(edit.taskId, { type: "sentences", segmentIndex, language, sentences });
  await deps.events.emit(edit.taskId, {
    type: "redub",
    language,
    segmentIndex,
    sentenceIndex: edit.index,
    revision,
    status: "queued",
  });
  await enqueue(deps.queues, fromStage, { taskId: edit.taskId, segmentIndex, language, revision });
  return { segmentIndex, revision, fromStage };
}
