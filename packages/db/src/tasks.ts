/** Task repository functions used by the web app and the workers outside the stage port. */
import type {
  SegmentRecord,
  SentenceRecord,
  StageName,
  TaskOptions,
  TaskStatus,
} from "@vitranslator/pipeline";
import { taskProgress } from "@vitranslator/pipeline/graph";
import type { Db } from "./client";
import type { Prisma } from "./generated/prisma/client";
import { ACTIVE_TASKS, rateOf, toSegmentRecord, toSentenceRecord } from "./task-store";

export interface NewTask {
  id: string;
  originalName: string;
  sourceLanguage: string | null;
  targetLanguage: string;
  options: TaskOptions;
  ownerTokenHash: string | null;
  sourceFile: string;
  subtitleFile: string | null;
}

export async function createTask(db: Db, t: NewTask): Promise<void> {
  await db.task.create({ data: { ...t, options: t.options as Prisma.InputJsonValue } });
}

export interface TaskSummary {
  id: string;
  status: TaskStatus;
  originalName: string;
  sourceLanguage: string | null;
  targetLanguage: string;
  options: TaskOptions;
  durationMs: number | null;
  hasVideo: boolean;
  segmentCount: number | null;
  publishedCount: number;
  finalReady: boolean;
  errorCode: string | null;
  errorMessage: string | null;
  errorStage: string | null;
  createdAt: string;
  startedAt: string | null;
  firstSegmentAt: string | null;
  completedAt: string | null;
  /** 0..1, from published segments and sentence stages. */
  progress: number;
}

export interface TaskSnapshot extends TaskSummary {
  segments: SegmentRecord[];
  sentences: SentenceRecord[];
  /** How fast the dub is being made (pacing.ts), for a viewer who joins while it runs. */
  dubRate: number | null;
}

/** Task progress 0..1 (the stage graph's formula, shared with the browser). */
export const computeProgress = taskProgress;

type TaskRow = Prisma.TaskGetPayload<object>;

function toSummary(t: TaskRow, progress: number): TaskSummary {
  return {
    id: t.id,
    status: t.status,
    originalName: t.originalName,
    sourceLanguage: t.sourceLanguage,
    targetLanguage: t.targetLanguage,
    options: (t.options ?? {}) as TaskOptions,
    durationMs: t.durationMs,
    hasVideo: t.hasVideo,
    segmentCount: t.segmentCount,
    publishedCount: t.publishedCount,
    finalReady: t.finalReady,
    errorCode: t.errorCode,
    errorMessage: t.errorMessage,
    errorStage: t.errorStage,
    createdAt: t.createdAt.toISOString(),
    startedAt: t.startedAt?.toISOString() ?? null,
    firstSegmentAt: t.firstSegmentAt?.toISOString() ?? null,
    completedAt: t.completedAt?.toISOString() ?? null,
    progress,
  };
}

export async function getTaskSummary(db: Db, id: string): Promise<TaskSummary | null> {
  const t = await db.task.findUnique({ where: { id } });
  if (!t) return null;
  const sentences =
    t.status === "processing"
      ? await db.sentence.findMany({ where: { taskId: id }, select: { stage: true, segmentIndex: true } })
      : [];
  return toSummary(t, computeProgress(t, sentences));
}

export async function getTaskSnapshot(db: Db, id: string): Promise<TaskSnapshot | null> {
  const t = await db.task.findUnique({
    where: { id },
    include: { segments: { orderBy: { index: "asc" } }, sentences: { orderBy: { index: "asc" } } },
  });
  if (!t) return null;
  return {
    ...toSummary(t, computeProgress(t, t.sentences)),
    segments: t.segments.map(toSegmentRecord),
    sentences: t.sentences.map(toSentenceRecord),
    dubRate: rateOf(t.segments, t.startedAt, new Date(), await db.task.count({ where: ACTIVE_TASKS() })),
  };
}

export async function getOwnerTokenHash(db: Db, id: string): Promise<string | null> {
  const t = await db.task.findUnique({ where: { id }, select: { ownerTokenHash: true } });
  return t?.ownerTokenHash ?? null;
}

/** Marks a task failed once; a task already completed or cancelled keeps its status. */
export async function failTask(
  db: Db,
  id: string,
  err: { code: string; message: string; stage: StageName },
): Promise<boolean> {
  const r = await db.task.updateMany({
    where: { id, status: { in: ["queued", "processing"] } },
    data: {
      status: "failed",
      errorCode: err.code,
      errorMessage: err.message.slice(0, 2000),
      errorStage: err.stage,
      completedAt: new Date(),
    },
  });
  return r.count > 0;
}

export async function cancelTask(db: Db, id: string): Promise<boolean> {
  const r = await db.task.updateMany({
    where: { id, status: { in: ["queued", "processing"] } },
    data: { status: "cancelled", completedAt: new Date() },
  });
  return r.count > 0;
}

export async function getTaskStatus(db: Db, id: string): Promise<TaskStatus | null> {
  const t = await db.task.findUnique({ where: { id }, select: { status: true } });
  return t?.status ?? null;
}

export async function listTasks(
  db: Db,
  opts: { limit?: number; status?: TaskStatus } = {},
): Promise<TaskSummary[]> {
  const rows = await db.task.findMany({
    where: opts.status ? { status: opts.status } : {},
    orderBy: { createdAt: "desc" },
    take: opts.limit ?? 50,
  });
  return rows.map((t) => toSummary(t, computeProgress(t)));
}

/** Per (task, segment, stage) timing rows for the history page and the benchmark. */
export async function recordStageStart(
  db: Db,
  r: { taskId: string; segmentIndex: number; stage: StageName },
): Promise<void> {
  await db.stageRun.upsert({
    where: { taskId_segmentIndex_stage: r },
    create: { ...r, attempts: 1 },
    update: {
      attempts: { increment: 1 },
      startedAt: new Date(),
      finishedAt: null,
      durationMs: null,
      errorCode: null,
    },
  });
}

export async function recordStageEnd(
  db: Db,
  r: { taskId: string; segmentIndex: number; stage: StageName; errorCode?: string },
): Promise<void> {
  const { errorCode, ...key } = r;
  const run = await db.stageRun.findUnique({ where: { taskId_segmentIndex_stage: key } });
  if (!run) return;
  const now = new Date();
  await db.stageRun.update({
    where: { taskId_segmentIndex_stage: key },
    data: {
      finishedAt: now,
      durationMs: now.getTime() - run.startedAt.getTime(),
      errorCode: errorCode ?? null,
    },
  });
}
