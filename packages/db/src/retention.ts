/**
 * Housekeeping queries: which finished tasks are past retention, and which task folders
 * have no row any more. Removing media and event streams is the caller's part (they live
 * outside the database); `purgeTask` runs the three steps in the safe order.
 */
import type { Db } from "./client";

/** Finished tasks (completed, failed, cancelled) that ended before `before`, oldest first. */
export async function listExpiredTasks(db: Db, opts: { before: Date; limit?: number }): Promise<string[]> {
  const rows = await db.task.findMany({
    where: {
      status: { in: ["completed", "failed", "cancelled"] },
      OR: [{ completedAt: { lt: opts.before } }, { completedAt: null, updatedAt: { lt: opts.before } }],
    },
    orderBy: { createdAt: "asc" },
    take: opts.limit ?? 100,
    select: { id: true },
  });
  return rows.map((r) => r.id);
}

/** The subset of `ids` that still has a task row. */
export async function existingTaskIds(db: Db, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.task.findMany({ where: { id: { in: [...ids] } }, select: { id: true } });
  return new Set(rows.map((r) => r.id));
}

export interface PurgePorts {
  db: Db;
  /** Removes the task's media folder. */
  removeMedia(taskId: string): Promise<void>;
  /** Removes the task's event stream. */
  removeEvents(taskId: string): Promise<void>;
}

/**
 * Deletes a task everywhere. The row goes first, so a job still in flight finds no task
 * and stops (its processor skips missing tasks) instead of recreating files; then the media
 * and the event stream. A folder a late job writes anyway is an orphan, swept later.
 */
export async function purgeTask(ports: PurgePorts, taskId: string): Promise<boolean> {
  const r = await ports.db.task.deleteMany({ where: { id: taskId } });
  await ports.removeMedia(taskId);
  await ports.removeEvents(taskId);
  return r.count > 0;
}
