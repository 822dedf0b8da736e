/** The pipeline's TaskStore port, on Postgres through Prisma. */
import type {
  NewSentence,
  ProbeUpdate,
  PublishOutcome,
  SegmentRecord,
  SentenceRecord,
  SentenceUpdate,
  StageName,
  TaskOptions,
  TaskRecord,
  TaskStore,
} from "@vitranslator/pipeline";
import { dubRate } from "@vitranslator/pipeline/pacing";
import type { PublishedPart } from "@vitranslator/pipeline/pacing";
import type { Db } from "./client";
import { getTaskStatus, recordStageEnd, recordStageStart } from "./tasks";
import type { Segment, Sentence, Task } from "./generated/prisma/client";

export const toTaskRecord = (t: Task): TaskRecord => ({
  id: t.id,
  status: t.status,
  sourceLanguage: t.sourceLanguage,
  targetLanguage: t.targetLanguage,
  options: (t.options ?? {}) as TaskOptions,
  sourceFile: t.sourceFile,
  subtitleFile: t.subtitleFile,
  durationMs: t.durationMs,
  hasVideo: t.hasVideo,
  hasAudio: t.hasAudio,
  segmentCount: t.segmentCount,
  publishedCount: t.publishedCount,
  targetDurationS: t.targetDurationS,
  finalReady: t.finalReady,
});

export const toSegmentRecord = (s: Segment): SegmentRecord => ({
  index: s.index,
  startMs: s.startMs,
  durationMs: s.durationMs,
  status: s.status,
  hlsDurationMs: s.hlsDurationMs,
  chunkMs: s.chunkMs,
  revision: s.revision,
  publishedRevision: s.publishedRevision,
});

export const toSentenceRecord = (s: Sentence): SentenceRecord => ({
  index: s.index,
  segmentIndex: s.segmentIndex,
  startMs: s.startMs,
  endMs: s.endMs,
  speaker: s.speaker,
  sourceText: s.sourceText,
  translation: s.translation,
  spokenText: s.spokenText,
  stage: s.stage,
  speed: s.speed,
  overrunMs: s.overrunMs,
  predictedMs: s.predictedMs,
  slotMs: s.slotMs,
  shortenAttempts: s.shortenAttempts,
  placedStartMs: s.placedStartMs,
  placedMs: s.placedMs,
  revision: s.revision,
});

/** Tasks being dubbed now: processing, and touched in the last 10 minutes (a stuck row does not count). */
export const ACTIVE_TASKS = () => ({
  status: "processing" as const,
  updatedAt: { gte: new Date(Date.now() - 10 * 60_000) },
});

/** The dub rate (pacing.ts) of a task's published prefix; `now` stands for the parts published just now. */
export function rateOf(
  segments: readonly Segment[],
  startedAt: Date | null,
  now: Date = new Date(),
  activeTasks = 1,
): number | null {
  const prefix: PublishedPart[] = [];
  for (const s of segments) {
    if (s.status !== "published" && s.status !== "mixed") break;
    if (s.status === "mixed" && s.publishedAt === null) {
      prefix.push({ durationMs: s.durationMs, publishedAtMs: now.getTime() });
    } else if (s.publishedAt) {
      prefix.push({ durationMs: s.durationMs, publishedAtMs: s.publishedAt.getTime() });
    } else break;
  }
  return dubRate(prefix, startedAt?.getTime() ?? null, activeTasks);
}

export function createTaskStore(db: Db): TaskStore {
  return {
    async getTask(taskId) {
      const t = await db.task.findUnique({ where: { id: taskId } });
      return t ? toTaskRecord(t) : null;
    },

    taskStatus: (taskId) => getTaskStatus(db, taskId),

    async stageRunFinished(run) {
      const r = await db.stageRun.findUnique({ where: { taskId_segmentIndex_stage: run } });
      return r !== null && r.finishedAt !== null && r.errorCode === null;
    },

    recordStageStart: (run) => recordStageStart(db, run),
    recordStageEnd: (run) => recordStageEnd(db, run),

    async saveProbe(taskId, p: ProbeUpdate) {
      await db.task.update({
        where: { id: taskId },
        data: {
          durationMs: p.durationMs,
          hasVideo: p.hasVideo,
          hasAudio: p.hasAudio,
          width: p.width,
          height: p.height,
          ...(p.detectedLanguage ? { detectedLanguage: p.detectedLanguage } : {}),
          status: "processing",
          startedAt: new Date(),
        },
      });
    },

    async savePlan(taskId, plan, targetDurationS) {
      await db.$transaction([
        ...plan.map((s) =>
          db.segment.upsert({
            where: { taskId_index: { taskId, index: s.index } },
            create: { taskId, index: s.index, startMs: s.startMs, durationMs: s.durationMs },
            update: {},
          }),
        ),
        db.task.update({ where: { id: taskId }, data: { segmentCount: plan.length, targetDurationS } }),
      ]);
    },

    async getSegment(taskId, index) {
      const s = await db.segment.findUnique({ where: { taskId_index: { taskId, index } } });
      return s ? toSegmentRecord(s) : null;
    },

    async setSegmentStage(taskId, index, stage: StageName) {
      await db.segment.updateMany({
        where: { taskId, index, status: { in: ["pending", "processing"] } },
        data: { stage, status: "processing" },
      });
    },

    async replaceSentences(taskId, segmentIndex, sentences: NewSentence[]) {
      await db.$transaction([
        db.sentence.deleteMany({ where: { taskId, segmentIndex } }),
        db.sentence.createMany({
          data: sentences.map((s) => ({
            taskId,
            segmentIndex,
            index: s.index,
            startMs: Math.round(s.startMs),
            endMs: Math.round(s.endMs),
            sourceText: s.sourceText,
            speaker: s.speaker ?? null,
          })),
        }),
      ]);
    },

    async listSentences(taskId, segmentIndex) {
      const rows = await db.sentence.findMany({
        where: { taskId, ...(segmentIndex === undefined ? {} : { segmentIndex }) },
        orderBy: { index: "asc" },
      });
      return rows.map(toSentenceRecord);
    },

    async updateSentences(taskId, updates: SentenceUpdate[]) {
      if (updates.length === 0) return;
      await db.$transaction(
        updates.map(({ index, ...data }) =>
          db.sentence.update({ where: { taskId_index: { taskId, index } }, data }),
        ),
      );
    },

    async markSegmentMixed(taskId, index, chunkMs) {
      // A published segment is never taken back to "mixed" by a retried job.
      const hlsDurationMs = chunkMs.reduce((a, b) => a + b, 0);
      await db.segment.updateMany({
        where: { taskId, index, status: { not: "published" } },
        data: { status: "mixed", stage: "mix", hlsDurationMs, chunkMs },
      });
    },

    async publishReady(taskId, write): Promise<PublishOutcome> {
      return db.$transaction(
        async (tx) => {
          await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${"publish:" + taskId}))`;
          const task = await tx.task.findUniqueOrThrow({ where: { id: taskId } });
          const segments = await tx.segment.findMany({ where: { taskId }, orderBy: { index: "asc" } });
          const newlyPublished: number[] = [];
          for (const s of segments) {
            if (s.status === "published") continue;
            if (s.status !== "mixed") break;
            newlyPublished.push(s.index);
          }
          const now = new Date();
          if (newlyPublished.length > 0) {
            await tx.segment.updateMany({
              where: { taskId, index: { in: newlyPublished } },
              data: { status: "published", publishedAt: now },
            });
            // The chunk just published was mixed from the segment's latest data.
            await tx.$executeRaw`UPDATE "Segment" SET "publishedRevision" = "revision" WHERE "taskId" = ${taskId} AND "index" = ANY(${newlyPublished})`;
          }
          const published = segments
            .filter((s) => s.status === "published" || newlyPublished.includes(s.index))
            .map((s) => toSegmentRecord({ ...s, status: "published" }));
          const complete = task.segmentCount !== null && published.length === task.segmentCount;
          await tx.task.update({
            where: { id: taskId },
            data: {
              publishedCount: published.length,
              ...(task.firstSegmentAt === null && published.length > 0 ? { firstSegmentAt: now } : {}),
            },
          });
          await write(published, complete);
          const activeTasks = await tx.task.count({ where: ACTIVE_TASKS() });
          return {
            published,
            newlyPublished,
            complete,
            dubRate: rateOf(segments, task.startedAt, now, activeTasks),
          };
        },
        { timeout: 30_000, maxWait: 30_000 },
      );
    },

    async republishSegment(taskId, index, revision, replace) {
      return db.$transaction(
        async (tx) => {
          await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${"publish:" + taskId}))`;
          const seg = await tx.segment.findUnique({ where: { taskId_index: { taskId, index } } });
          if (!seg || seg.status !== "published" || seg.publishedRevision >= revision)
            return { replaced: false };
          await replace();
          await tx.segment.update({
            where: { taskId_index: { taskId, index } },
            data: { publishedRevision: revision, publishedAt: new Date() },
          });
          // The final MP4 and subtitles hold the old audio: rebuild them.
          await tx.task.updateMany({ where: { id: taskId, finalReady: true }, data: { finalReady: false } });
          return { replaced: true };
        },
        { timeout: 30_000, maxWait: 30_000 },
      );
    },

    async completeTask(taskId, note) {
      await db.task.update({
        where: { id: taskId },
        data: {
          status: "completed",
          finalReady: true,
          completedAt: new Date(),
          ...(note ? { errorCode: note.code, errorMessage: note.message } : {}),
        },
      });
    },
  };
}
