/** The pipeline's TaskStore port, on Postgres through Prisma. */
import type {
  NewSentence,
  ProbeUpdate,
  PublishOutcome,
  SegmentRecord,
  SentenceRecord,
  SentenceUpdate,
  StageName,
  StageRunKey,
  TaskOptions,
  TaskRecord,
  TaskStore,
} from "@vitranslator/pipeline";
import { STAGE_NAMES, STAGES } from "@vitranslator/pipeline/graph";
import { ALONE, dubRate } from "@vitranslator/pipeline/pacing";
import type { MachineLoad, PublishedPart } from "@vitranslator/pipeline/pacing";
import type { Db } from "./client";
import { getTaskStatus, recordStageEnd, recordStageStart } from "./tasks";
import type { Segment, Sentence, Task } from "./generated/prisma/client";

export const toTaskRecord = (t: Task): TaskRecord => ({
  id: t.id,
  status: t.status,
  sourceLanguage: t.sourceLanguage,
  targetLanguage: t.targetLanguage,
  languages: t.languages.length > 0 ? t.languages : [t.targetLanguage],
  finalLanguages: t.finalLanguages,
  glossary: t.glossary,
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
  glossaryMissed: s.glossaryMissed,
});

/** A planned part's shared fields (start, length) as a row of one language. */
export const partRow = (
  taskId: string,
  language: string,
  p: { index: number; startMs: number; durationMs: number },
) => ({ taskId, language, index: p.index, startMs: p.startMs, durationMs: p.durationMs });

/** A recognised sentence's shared fields (times, speaker, source text) as a row of one language. */
export const sentenceRow = (
  taskId: string,
  language: string,
  s: {
    index: number;
    segmentIndex: number;
    startMs: number;
    endMs: number;
    speaker?: string | null;
    sourceText: string;
  },
) => ({
  taskId,
  language,
  index: s.index,
  segmentIndex: s.segmentIndex,
  startMs: Math.round(s.startMs),
  endMs: Math.round(s.endMs),
  speaker: s.speaker ?? null,
  sourceText: s.sourceText,
});

/** Tasks being dubbed now: processing, and touched in the last 10 minutes (a stuck row does not count). */
export const ACTIVE_TASKS = () => ({
  status: "processing" as const,
  updatedAt: { gte: new Date(Date.now() - 10 * 60_000) },
});

/**
 * What else the workers are dubbing, seen from one task (pacing.ts MachineLoad): the tasks
 * being dubbed now, and those among them whose first part was out before this one started.
 */
export async function machineLoad(
  db: Pick<Db, "task">,
  task: { id: string; startedAt: Date | null },
): Promise<MachineLoad> {
  const [activeTasks, aheadAtStart] = await Promise.all([
    db.task.count({ where: ACTIVE_TASKS() }),
    task.startedAt
      ? db.task.count({
          where: { ...ACTIVE_TASKS(), id: { not: task.id }, firstSegmentAt: { lt: task.startedAt } },
        })
      : 0,
  ]);
  return { activeTasks: Math.max(1, activeTasks), aheadAtStart };
}

/** The dub rate (pacing.ts) of a task's published prefix; `now` stands for the parts published just now. */
export function rateOf(
  segments: readonly Segment[],
  startedAt: Date | null,
  now: Date = new Date(),
  load: MachineLoad = ALONE,
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
  return dubRate(prefix, startedAt?.getTime() ?? null, load);
}

/** The stages done once for every language; their runs are keyed by language ''. */
const SHARED_STAGES = STAGE_NAMES.filter((s) => !STAGES[s].perLanguage);

const runKey = (run: StageRunKey) => ({
  taskId: run.taskId,
  segmentIndex: run.segmentIndex,
  stage: run.stage,
  language: run.language ?? "",
});

async function taskLanguages(db: Db, taskId: string): Promise<string[]> {
  const t = await db.task.findUnique({
    where: { id: taskId },
    select: { languages: true, targetLanguage: true },
  });
  if (!t) return [];
  return t.languages.length > 0 ? t.languages : [t.targetLanguage];
}

export function createTaskStore(db: Db): TaskStore {
  return {
    async getTask(taskId) {
      const t = await db.task.findUnique({ where: { id: taskId } });
      return t ? toTaskRecord(t) : null;
    },

    taskStatus: (taskId) => getTaskStatus(db, taskId),

    async stageRunFinished(run) {
      const r = await db.stageRun.findUnique({ where: { taskId_segmentIndex_stage_language: runKey(run) } });
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
      const languages = await taskLanguages(db, taskId);
      // One statement for every part (a planned part is never changed by planning again): one
      // upsert per part took 0.24 s for the 30 parts of a 10 min video, on the first frame's path.
      await db.$transaction([
        db.segment.createMany({
          data: languages.flatMap((language) => plan.map((s) => partRow(taskId, language, s))),
          skipDuplicates: true,
        }),
        db.task.update({ where: { id: taskId }, data: { segmentCount: plan.length, targetDurationS } }),
      ]);
    },

    async getSegment(taskId, index, language) {
      const s = await db.segment.findFirst({
        where: { taskId, index, language: language ?? (await taskLanguages(db, taskId))[0] ?? "" },
      });
      return s ? toSegmentRecord(s) : null;
    },

    async setSegmentStage(taskId, index, stage: StageName, language) {
      await db.segment.updateMany({
        where: {
          taskId,
          index,
          status: { in: ["pending", "processing"] },
          // A shared stage (segment, asr) never moves a language's part back from a later stage.
          ...(language ? { language } : { OR: [{ stage: null }, { stage: { in: SHARED_STAGES } }] }),
        },
        data: { stage, status: "processing" },
      });
    },

    async replaceSentences(taskId, segmentIndex, sentences: NewSentence[]) {
      const languages = await taskLanguages(db, taskId);
      await db.$transaction([
        db.sentence.deleteMany({ where: { taskId, segmentIndex } }),
        db.sentence.createMany({
          data: languages.flatMap((language) =>
            sentences.map((s) => sentenceRow(taskId, language, { ...s, segmentIndex })),
          ),
        }),
      ]);
    },

    async listSentences(taskId, language, segmentIndex) {
      const rows = await db.sentence.findMany({
        where: { taskId, language, ...(segmentIndex === undefined ? {} : { segmentIndex }) },
        orderBy: { index: "asc" },
      });
      return rows.map(toSentenceRecord);
    },

    async updateSentences(taskId, language, updates: SentenceUpdate[]) {
      if (updates.length === 0) return;
      await db.$transaction(
        updates.map(({ index, ...data }) =>
          db.sentence.update({ where: { taskId_language_index: { taskId, language, index } }, data }),
        ),
      );
    },

    async markSegmentMixed(taskId, language, index, chunkMs) {
      // A published segment is never taken back to "mixed" by a retried job.
      const hlsDurationMs = chunkMs.reduce((a, b) => a + b, 0);
      await db.segment.updateMany({
        where: { taskId, language, index, status: { not: "published" } },
        data: { status: "mixed", stage: "mix", hlsDurationMs, chunkMs },
      });
    },

    async publishReady(taskId, language, write): Promise<PublishOutcome> {
      return db.$transaction(
        async (tx) => {
          await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${"publish:" + taskId}))`;
          const task = await tx.task.findUniqueOrThrow({ where: { id: taskId } });
          const all = await tx.segment.findMany({ where: { taskId }, orderBy: { index: "asc" } });
          const segments = all.filter((s) => s.language === language);
          const newlyPublished: number[] = [];
          for (const s of segments) {
            if (s.status === "published") continue;
            if (s.status !== "mixed") break;
            newlyPublished.push(s.index);
          }
          const now = new Date();
          if (newlyPublished.length > 0) {
            await tx.segment.updateMany({
              where: { taskId, language, index: { in: newlyPublished } },
              data: { status: "published", publishedAt: now },
            });
            // The chunk just published was mixed from the segment's latest data.
            await tx.$executeRaw`UPDATE "Segment" SET "publishedRevision" = "revision" WHERE "taskId" = ${taskId} AND "language" = ${language} AND "index" = ANY(${newlyPublished})`;
          }
          const isPublished = (s: Segment) =>
            s.status === "published" || (s.language === language && newlyPublished.includes(s.index));
          const languages = task.languages.length > 0 ? task.languages : [task.targetLanguage];
          const tracks = languages.map((lang) => {
            const published = all
              .filter((s) => s.language === lang && isPublished(s))
              .map((s) => toSegmentRecord({ ...s, status: "published" }));
            return {
              language: lang,
              published,
              complete: task.segmentCount !== null && published.length === task.segmentCount,
            };
          });
          const track = tracks.find((t) => t.language === language) ?? { published: [], complete: false };
          await tx.task.update({
            where: { id: taskId },
            data: {
              // The first language's count: what the original API and the task summary report.
              ...(language === task.targetLanguage ? { publishedCount: track.published.length } : {}),
              ...(task.firstSegmentAt === null && track.published.length > 0 ? { firstSegmentAt: now } : {}),
            },
          });
          await write(tracks);
          const load = await machineLoad(tx, task);
          return {
            tracks,
            published: track.published,
            newlyPublished,
            complete: track.complete,
            dubRate: rateOf(segments, task.startedAt, now, load),
          };
        },
        { timeout: 30_000, maxWait: 30_000 },
      );
    },

    async republishSegment(taskId, language, index, revision, replace) {
      return db.$transaction(
        async (tx) => {
          await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${"publish:" + taskId}))`;
          const key = { taskId_language_index: { taskId, language, index } };
          const seg = await tx.segment.findUnique({ where: key });
          if (!seg || seg.status !== "published" || seg.publishedRevision >= revision)
            return { replaced: false };
          await replace();
          await tx.segment.update({
            where: key,
            data: { publishedRevision: revision, publishedAt: new Date() },
          });
          // This language's final MP4 and subtitles (and the all-tracks MP4) hold the old audio: rebuild them.
          await tx.$executeRaw`UPDATE "Task" SET "finalLanguages" = array_remove("finalLanguages", ${language}), "finalReady" = false WHERE "id" = ${taskId}`;
          return { replaced: true };
        },
        { timeout: 30_000, maxWait: 30_000 },
      );
    },

    async markLanguageFinal(taskId, language) {
      // One statement: two languages finishing at once both see each other's mark.
      const rows = await db.$queryRaw<{ languages: string[]; finalLanguages: string[] }[]>`
        UPDATE "Task" SET "finalLanguages" = CASE WHEN ${language} = ANY("finalLanguages")
          THEN "finalLanguages" ELSE array_append("finalLanguages", ${language}) END
        WHERE "id" = ${taskId} RETURNING "languages", "finalLanguages"`;
      const row = rows[0];
      if (!row) return { allFinal: false, finalLanguages: [] };
      return {
        allFinal: row.languages.every((l) => row.finalLanguages.includes(l)),
        finalLanguages: row.finalLanguages,
      };
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
