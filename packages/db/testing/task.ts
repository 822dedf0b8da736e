/** A task row for tests that need one to exist (a snapshot, a feed, a link), queued and empty. */
import { hashToken, newTaskId } from "../src/ids";
import { createTask } from "../src/tasks";
import type { Db } from "../src/client";
import type { NewTask } from "../src/tasks";

/** The owner token of a test task unless the caller picks one. */
export const TEST_OWNER_TOKEN = "x";

/** Inserts a task ("a.mp4" into French, owner token TEST_OWNER_TOKEN) and returns its id. */
export async function createTestTask(
  db: Db,
  over: Partial<Omit<NewTask, "ownerTokenHash">> & { ownerToken?: string } = {},
): Promise<string> {
  const { ownerToken = TEST_OWNER_TOKEN, ...fields } = over;
  const id = fields.id ?? newTaskId();
  await createTask(db, {
    originalName: "a.mp4",
    sourceLanguage: null,
    targetLanguage: "fr",
    options: {},
    sourceFile: "source/original.mp4",
    subtitleFile: null,
    ...fields,
    id,
    ownerTokenHash: hashToken(ownerToken),
  });
  return id;
}
