/**
 * The owner's edit of one line: the sentence changes and its segment gets a new revision,
 * which the workers re-dub and republish in place. Runs under the task's publish lock, so
 * an edit never interleaves with a republish of the same task.
 */
import type { SentenceRecord } from "@vitranslator/pipeline";
import type { Db } from "./client";
import { toSentenceRecord } from "./task-store";

export type EditRefusal =
  | "TASK_NOT_FOUND"
  | "SENTENCE_NOT_FOUND"
  | "TASK_NOT_ACTIVE"
  | "SEGMENT_NOT_PUBLISHED"
  | "REDUB_IN_PROGRESS"
  | "NOTHING_CHANGED";

export class EditRefusedError extends Error {
  override name = "EditRefusedError";
  constructor(
    readonly code: EditRefusal,
    message: string,
  ) {
    super(message);
  }
}

export interface SentenceEdit {
  taskId: string;
  /** The dub language of the line: only that language is re-dubbed. */
  language: string;
  index: number;
  translation?: string;
  sourceText?: string;
}

export interface EditOutcome {
  segmentIndex: number;
  revision: number;
  /** Where the re-dub starts: a new source text needs a new translation. */
  fromStage: "translate" | "modelin";
  sentences: SentenceRecord[];
}

export async function editSentence(db: Db, edit: SentenceEdit): Promise<EditOutcome> {
  return db.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${"publish:" + edit.taskId}))`;
      const task = await tx.task.findUnique({ where: { id: edit.taskId }, select: { status: true } });
      if (!task) throw new EditRefusedError("TASK_NOT_FOUND", "No such task.");
      if (task.status !== "processing" && task.status !== "completed")
        throw new EditRefusedError("TASK_NOT_ACTIVE", `A ${task.status} task cannot be edited.`);
      const { taskId, language } = edit;
      const sentence = await tx.sentence.findUnique({
        where: { taskId_language_index: { taskId, language, index: edit.index } },
      });
      if (!sentence) throw new EditRefusedError("SENTENCE_NOT_FOUND", "No such line.");
      const segKey = { taskId_language_index: { taskId, language, index: sentence.segmentIndex } };
      const seg = await tx.segment.findUniqueOrThrow({ where: segKey });
      if (seg.status !== "published")
        throw new EditRefusedError(
          "SEGMENT_NOT_PUBLISHED",
          "This part is still being dubbed; edit it once it plays.",
        );
      if (seg.revision > seg.publishedRevision)
        throw new EditRefusedError(
          "REDUB_IN_PROGRESS",
          "This part is being re-dubbed; edit it again when that is done.",
        );
      const source = edit.sourceText?.trim();
      const translation = edit.translation?.trim();
      const sourceChanged = source !== undefined && source !== "" && source !== sentence.sourceText;
      const translationChanged =
        translation !== undefined && translation !== "" && translation !== sentence.translation;
      if (!sourceChanged && !translationChanged)
        throw new EditRefusedError("NOTHING_CHANGED", "The line is unchanged.");
      const revision = seg.revision + 1;
      // A new source without a new translation: clear it so the translate stage redoes this line only.
      const newTranslation = translationChanged ? translation : sourceChanged ? null : sentence.translation;
      await tx.sentence.update({
        where: { taskId_language_index: { taskId, language, index: edit.index } },
        data: {
          ...(sourceChanged ? { sourceText: source } : {}),
          translation: newTranslation,
          revision,
        },
      });
      await tx.segment.update({ where: segKey, data: { revision } });
      const rows = await tx.sentence.findMany({
        where: { taskId, language, segmentIndex: seg.index },
        orderBy: { index: "asc" },
      });
      return {
        segmentIndex: seg.index,
        revision,
        fromStage: newTranslation === null ? "translate" : "modelin",
        sentences: rows.map(toSentenceRecord),
      };
    },
    { timeout: 30_000, maxWait: 30_000 },
  );
}
