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
import { machineLoad, partRow, rateOf, sentenceRow, toSegmentRecord, toSentenceRecord } from "./task-store";

export interface NewTask {
  id: string;
  originalName: string;
  sourceLanguage: string | null;
  targetLanguage: string;
  /** Every dub language, targetLanguage first (default: targetLanguage alone). */
  languages?: string[];
  glossary?: string | null;
  options: TaskOptions;
  ownerTokenHash: string | null;
  sourceFile: string;
  subtitleFile: string | null;
}

export async function createTask(db: Db, t: NewTask): Promise<void> {
  await db.task.create({
    data: { ...t, languages: t.languages ?? [t.targetLanguage], options: t.options as Prisma.InputJsonValue },
  });
}

export interface TaskSummary {
  id: string;
  status: TaskStatus;
  originalName: string;
  sourceLanguage: string | null;
  targetLanguage: string;
  /** Every dub language, in order (targetLanguage first). */
  languages: string[];
  /** Languages whose final MP4 and subtitles can be downloaded. */
  finalLanguages: string[];
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
  /** The language the segments and sentences below are of. */
  language: string;
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
    languages: languagesOf(t),
    finalLanguages: t.finalLanguages,
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

/** A task's dub languages (rows from before languages were listed have only targetLanguage). */
export const languagesOf = (t: { languages: string[]; targetLanguage: string }): string[] =>
  t.languages.length > 0 ? t.languages : [t.targetLanguage];

/** The summary's progress is the first language's (its published count is the task's). */
export async function getTaskSummary(db: Db, id: string): Promise<TaskSummary | null> {
  const t = await db.task.findUnique({ where: { id } });
  if (!t) return null;
  const sentences =
    t.status === "processing"
      ? await db.sentence.findMany({
          where: { taskId: id, language: t.targetLanguage },
          select: { stage: true, segmentIndex: true },
        })
      : [];
  return toSummary(t, computeProgress(t, sentences));
}

/** The task with one language's parts and sentences (the first language when none is asked or it is not one of the task's). */
export async function getTaskSnapshot(db: Db, id: string, language?: string): Promise<TaskSnapshot | null> {
  const row = await db.task.findUnique({ where: { id } });
  if (!row) return null;
  const lang = language && languagesOf(row).includes(language) ? language : row.targetLanguage;
  const t = await db.task.findUniqueOrThrow({
    where: { id },
    include: {
      segments: { where: { language: lang }, orderBy: { index: "asc" } },
      sentences: { where: { language: lang }, orderBy: { index: "asc" } },
    },
  });
  const publishedCount = t.segments.filter((s) => s.status === "published").length;
  return {
    ...toSummary(t, computeProgress({ ...t, publishedCount }, t.sentences)),
    language: lang,
    segments: t.segments.map(toSegmentRecord),
    sentences: t.sentences.map(toSentenceRecord),
    dubRate: rateOf(t.segments, t.startedAt, new Date(), await machineLoad(db, t)),
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
  r: { taskId: string; segmentIndex: number; stage: StageName; language?: string },
): Promise<void> {
  const key = { ...r, language: r.language ?? "" };
  await db.stageRun.upsert({
    where: { taskId_segmentIndex_stage_language: key },
    create: { ...key, attempts: 1 },
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
  r: { taskId: string; segmentIndex: number; stage: StageName; language?: string; errorCode?: string },
): Promise<void> {
  const { errorCode, ...rest } = r;
  const key = { ...rest, language: rest.language ?? "" };
  const run = await db.stageRun.findUnique({ where: { taskId_segmentIndex_stage_language: key } });
  if (!run) return;
  const now = new Date();
  await db.stageRun.update({
    where: { taskId_segmentIndex_stage_language: key },
    data: {
      finishedAt: now,
      durationMs: now.getTime() - run.startedAt.getTime(),
      errorCode: errorCode ?? null,
    },
  });
}

export type AddLanguageRefusal = "TASK_NOT_FOUND" | "TASK_NOT_ACTIVE" | "LANGUAGE_EXISTS";

/**
 * Adds a dub language to a task, running or finished, reusing what is done: the parts'
 * rows and the recognised sentences are copied from the first language (source text,
 * times, speakers; nothing translated). Under the task's publish lock, so no part is
 * published or re-planned while the rows are copied. Returns the parts whose recognition
 * is finished (their translate jobs are the caller's to queue; the others get theirs
 * when recognition hands over, which reads the languages after writing sentences).
 */
export async function addTaskLanguage(
  db: Db,
  taskId: string,
  language: string,
): Promise<
  { ok: true; languages: string[]; readyParts: number[] } | { ok: false; code: AddLanguageRefusal }
> {
  return db.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${"publish:" + taskId}))`;
      const t = await tx.task.findUnique({ where: { id: taskId } });
      if (!t) return { ok: false, code: "TASK_NOT_FOUND" } as const;
      if (t.status !== "processing" && t.status !== "completed" && t.status !== "queued")
        return { ok: false, code: "TASK_NOT_ACTIVE" } as const;
      const current = languagesOf(t);
      if (current.includes(language)) return { ok: false, code: "LANGUAGE_EXISTS" } as const;
      const languages = [...current, language];
      const first = t.targetLanguage;
      await tx.task.update({
        where: { id: taskId },
        data: {
          languages,
          finalReady: false,
          ...(t.status === "completed" ? { status: "processing", completedAt: null } : {}),
        },
      });
      const parts = await tx.segment.findMany({
        where: { taskId, language: first },
        orderBy: { index: "asc" },
      });
      await tx.segment.createMany({ data: parts.map((p) => partRow(taskId, language, p)) });
      const sentences = await tx.sentence.findMany({ where: { taskId, language: first } });
      await tx.sentence.createMany({ data: sentences.map((s) => sentenceRow(taskId, language, s)) });
      const recognised = await tx.stageRun.findMany({
        where: { taskId, stage: "asr", language: "", finishedAt: { not: null }, errorCode: null },
        select: { segmentIndex: true },
        orderBy: { segmentIndex: "asc" },
      });
      return { ok: true, languages, readyParts: recognised.map((r) => r.segmentIndex) } as const;
    },
    { timeout: 30_000, maxWait: 30_000 },
  );
}
