/** Repository functions behind the admin page: history search, stage timings, retry, delete. */
import type { Db } from "./client";
import type { Prisma } from "./generated/prisma/client";
import type { TaskStatus } from "./generated/prisma/enums";
import { computeProgress } from "./tasks";

export interface TaskSearch {
  /** Matches the id exactly or the original file name (case-insensitive substring). */
  query?: string;
  status?: TaskStatus;
  language?: string;
  /** ISO dates, inclusive. */
  from?: string;
  to?: string;
  limit?: number;
}

export interface StageTotal {
  stage: string;
  /** Sum of every segment's run of this stage. */
  totalMs: number;
  runs: number;
  errors: number;
}

export interface StageError {
  segmentIndex: number;
  stage: string;
  errorCode: string;
}

export interface AdminTaskRow {
  id: string;
  status: TaskStatus;
  originalName: string;
  sourceLanguage: string | null;
  targetLanguage: string;
  durationMs: number | null;
  segmentCount: number | null;
  publishedCount: number;
  progress: number;
  errorCode: string | null;
  errorMessage: string | null;
  errorStage: string | null;
  createdAt: string;
  completedAt: string | null;
  stages: StageTotal[];
  stageErrors: StageError[];
}

export async function searchTasks(db: Db, s: TaskSearch = {}): Promise<AdminTaskRow[]> {
  const where: Prisma.TaskWhereInput = {};
  const q = s.query?.trim();
  if (q) where.OR = [{ id: q }, { originalName: { contains: q, mode: "insensitive" } }];
  if (s.status) where.status = s.status;
  if (s.language) where.targetLanguage = s.language;
  if (s.from || s.to) {
    where.createdAt = {
      ...(s.from ? { gte: new Date(s.from) } : {}),
      // A bare date means the whole of that day.
      ...(s.to ? { lte: new Date(/^\d{4}-\d{2}-\d{2}$/.test(s.to) ? `${s.to}T23:59:59.999Z` : s.to) } : {}),
    };
  }
  const tasks = await db.task.findMany({ where, orderBy: { createdAt: "desc" }, take: s.limit ?? 100 });
  const ids = tasks.map((t) => t.id);
  const runs = ids.length
    ? await db.stageRun.findMany({
        where: { taskId: { in: ids } },
        select: { taskId: true, segmentIndex: true, stage: true, durationMs: true, errorCode: true },
      })
    : [];
  const byTask = new Map<string, typeof runs>();
  for (const r of runs) byTask.set(r.taskId, [...(byTask.get(r.taskId) ?? []), r]);
  return tasks.map((t) => {
    const own = byTask.get(t.id) ?? [];
    const totals = new Map<string, StageTotal>();
    for (const r of own) {
      const acc = totals.get(r.stage) ?? { stage: r.stage, totalMs: 0, runs: 0, errors: 0 };
      acc.totalMs += r.durationMs ?? 0;
      acc.runs += 1;
      if (r.errorCode) acc.errors += 1;
      totals.set(r.stage, acc);
    }
    return {
      id: t.id,
      status: t.status,
      originalName: t.originalName,
      sourceLanguage: t.sourceLanguage,
      targetLanguage: t.targetLanguage,
      durationMs: t.durationMs,
      segmentCount: t.segmentCount,
      publishedCount: t.publishedCount,
      progress: computeProgress(t),
      errorCode: t.errorCode,
      errorMessage: t.errorMessage,
      errorStage: t.errorStage,
      createdAt: t.createdAt.toISOString(),
      completedAt: t.completedAt?.toISOString() ?? null,
      stages: [...totals.values()],
      stageErrors: own
        .filter((r) => r.errorCode)
        .map((r) => ({ segmentIndex: r.segmentIndex, stage: r.stage, errorCode: r.errorCode ?? "" })),
    };
  });
}

export interface ResumePoint {
  /** undefined: the planning job (no segment yet). */
  segmentIndex?: number;
  /** The language of the part's row (absent for the planning job). */
  language?: string;
  /** Last stage that finished for this segment (null: none). */
  lastStage: string | null;
  revision: number;
}

/**
 * Puts a failed task back to processing and says where each unfinished segment stands.
 * Every unfinished segment gets a new revision, so its new jobs are not deduplicated
 * against the failed ones. Returns null when the task is not failed.
 */
export async function reopenFailedTask(db: Db, id: string): Promise<ResumePoint[] | null> {
  return db.$transaction(async (tx) => {
    const r = await tx.task.updateMany({
      where: { id, status: "failed" },
      data: {
        status: "processing",
        errorCode: null,
        errorMessage: null,
        errorStage: null,
        completedAt: null,
      },
    });
    if (r.count === 0) return null;
    const task = await tx.task.findUniqueOrThrow({ where: { id }, select: { segmentCount: true } });
    if (task.segmentCount === null) return [{ lastStage: null, revision: 1 }];
    const open = await tx.segment.findMany({
      where: { taskId: id, status: { in: ["pending", "processing", "failed"] } },
      orderBy: [{ index: "asc" }, { language: "asc" }],
    });
    const points: ResumePoint[] = [];
    for (const s of open) {
      await tx.segment.update({
        where: { taskId_language_index: { taskId: id, language: s.language, index: s.index } },
        data: { revision: { increment: 1 } },
      });
      points.push({
        segmentIndex: s.index,
        language: s.language,
        lastStage: s.stage,
        revision: s.revision + 1,
      });
    }
    return points;
  });
}

/** Removes the task's rows (segments, sentences and stage runs cascade). */
export async function deleteTaskRows(db: Db, id: string): Promise<boolean> {
  const r = await db.task.deleteMany({ where: { id } });
  return r.count > 0;
}
