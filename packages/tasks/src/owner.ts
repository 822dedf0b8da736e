/**
 * Who may change a task: the client holding its owner token (the browser or script that
 * uploaded it), sent as the `x-owner-token` header. One check for tRPC and REST: the hash
 * of the token is compared in constant time with the stored one.
 */
import { languagesOf, tokenMatches } from "@vitranslator/db";
import type { Db } from "@vitranslator/db";
import { AppError } from "./errors";

async function ownerCheck(db: Db, taskId: string, token: string | null) {
  const task = await db.task.findUnique({
    where: { id: taskId },
    select: { ownerTokenHash: true, languages: true, targetLanguage: true },
  });
  return { task, owner: !!task && !!token && tokenMatches(token, task.ownerTokenHash) };
}

/** Whether `token` is the task's owner token (false for no token or no such task). */
export async function isTaskOwner(db: Db, taskId: string, token: string | null): Promise<boolean> {
  return (await ownerCheck(db, taskId, token)).owner;
}

/** Throws TASK_NOT_FOUND or NOT_OWNER unless `token` is the task's owner token; returns the task's languages. */
export async function requireTaskOwner(
  db: Db,
  taskId: string,
  token: string | null,
): Promise<{ languages: string[] }> {
  const { task, owner } = await ownerCheck(db, taskId, token);
  if (!task)
    throw new AppError("TASK_NOT_FOUND", "No such task (the link may be wrong, or the task was deleted).");
  if (!owner) throw new AppError("NOT_OWNER", "Only the person who uploaded this video can change it.");
  return { languages: languagesOf(task) };
}
