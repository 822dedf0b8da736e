/** The task commands on a real database and real queues, with the events they emit recorded. */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getTaskSnapshot, newTaskId, hashToken } from "@vitranslator/db";
import { createTestDatabase } from "@vitranslator/db/testing";
import type { TestDatabase } from "@vitranslator/db/testing";
import type { TaskEvent } from "@vitranslator/pipeline";
import { closeQueues, createQueues, createRedis, jobId } from "@vitranslator/queue";
import { createTaskStore } from "@vitranslator/db";
import {
  addLanguage,
  AppError,
  cancelTask,
  createTask,
  deleteTask,
  failTask,
  isTaskOwner,
  requireTaskOwner,
  retryTask,
  seekAhead,
} from "../src/index";
import type { TaskCommandDeps } from "../src/index";

const redis = createRedis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
const prefix = `test-${randomUUID()}`;
const queues = createQueues(redis, prefix);
const emitted: { taskId: string; event: TaskEvent }[] = [];
const removedMedia: string[] = [];
let t: TestDatabase;
let deps: TaskCommandDeps;

beforeAll(async () => {
  t = await createTestDatabase();
  deps = {
    db: t.db,
    queues,
    events: {
      emit: (taskId, event) => Promise.resolve(emitted.push({ taskId, event })),
      deleteStream: () => Promise.resolve(),
    },
    storage: { removeTask: (id) => Promise.resolve(void removedMedia.push(id)) },
  };
});
afterAll(async () => {
  await closeQueues(queues);
  await redis.del(...(await redis.keys(`${prefix}:*`)), "__none__");
  redis.disconnect();
  await t.drop();
});

const newTask = () => ({
  id: newTaskId(),
  originalName: "talk.mp4",
  sourceLanguage: "en",
  targetLanguage: "fr",
  options: {},
  sourceFile: "source/original.mp4",
  subtitleFile: null,
  durationMs: 12_000,
});

describe("task commands", () => {
  it("create: the row with only the owner token's hash, the queued event, the planning job", async () => {
    const task = newTask();
    const { ownerToken } = await createTask(deps, task);
    const row = await t.db.task.findUniqueOrThrow({ where: { id: task.id } });
    expect(row.ownerTokenHash).toBe(hashToken(ownerToken));
    expect(row.status).toBe("queued");
    expect(emitted).toContainEqual({
      taskId: task.id,
      event: { type: "task", status: "queued", durationMs: 12_000 },
    });
    expect(await queues.segment.getJob(jobId("segment", { taskId: task.id }))).toBeDefined();
  });

  it("fail once, then retry from the start; cancel; delete with its media", async () => {
    const task = newTask();
    await createTask(deps, task);
    const failure = { code: "LLM_DOWN", message: "the endpoint is down", stage: "translate" as const };
    expect(await failTask(deps, task.id, failure)).toBe(true);
    expect(await failTask(deps, task.id, failure)).toBe(false);
    expect(
      emitted.filter((e) => e.taskId === task.id && e.event.type === "task" && e.event.status === "failed"),
    ).toHaveLength(1);
    expect((await getTaskSnapshot(t.db, task.id))?.errorStage).toBe("translate");

    expect(await retryTask(deps, task.id)).toEqual({ resumed: 1 });
    expect((await getTaskSnapshot(t.db, task.id))?.status).not.toBe("failed");
    await expect(retryTask(deps, task.id)).rejects.toMatchObject({ code: "NOT_RETRYABLE", status: 409 });

    await cancelTask(deps, task.id);
    await expect(cancelTask(deps, task.id)).rejects.toBeInstanceOf(AppError);
    expect(await deleteTask(deps, task.id)).toEqual({ deleted: true });
    expect(removedMedia).toContain(task.id);
    expect(await t.db.task.findUnique({ where: { id: task.id } })).toBeNull();
    await expect(deleteTask(deps, task.id)).rejects.toMatchObject({ code: "TASK_NOT_FOUND", status: 404 });
  });

  it("seek ahead: the part under the playhead is queued next, as a seek job; a published or unknown one is not", async () => {
    const task = newTask();
    await createTask(deps, task);
    const store = createTaskStore(t.db);
    await store.saveProbe(task.id, {
      durationMs: 30_000,
      hasVideo: true,
      hasAudio: true,
      width: 1280,
      height: 720,
    });
    await store.savePlan(
      task.id,
      [
        { index: 0, startMs: 0, durationMs: 5000 },
        { index: 1, startMs: 5000, durationMs: 10_000 },
        { index: 2, startMs: 15_000, durationMs: 15_000 },
      ],
      6,
    );
    expect(await seekAhead(deps, task.id, 20_000)).toEqual({ part: 2 });
    const job = await queues.segment.getJob(jobId("segment", { taskId: task.id, segmentIndex: 2 }));
    expect(job?.data).toEqual({ taskId: task.id, segmentIndex: 2, seek: true });
    // Ranked behind every first part, ahead of the task's own earlier parts.
    expect(job?.opts.priority).toBe(3);
    await store.markSegmentMixed(task.id, "fr", 0, [5000]);
    await store.publishReady(task.id, "fr", () => Promise.resolve());
    expect(await seekAhead(deps, task.id, 1000)).toEqual({ part: 0 });
    expect(
      await queues.segment.getJob(jobId("segment", { taskId: task.id, segmentIndex: 0 })),
    ).toBeUndefined();
    expect(await seekAhead(deps, newTaskId(), 1000)).toEqual({ part: null });
  });
});

const eventsOf = (taskId: string) => emitted.filter((e) => e.taskId === taskId).map((e) => e.event);

describe("languages and glossary at creation", () => {
  it("keeps the languages in order, deduplicated and lower-cased; the first is the target", async () => {
    const task = { ...newTask(), languages: ["de", "fr", "DE", "pt-BR"] };
    await createTask(deps, task);
    const row = await t.db.task.findUniqueOrThrow({ where: { id: task.id } });
    expect([row.targetLanguage, row.languages]).toEqual(["de", ["de", "fr", "pt-br"]]);
  });

  it("refuses a non-tag, more than 8 languages and burned subtitles in two languages", async () => {
    await expect(createTask(deps, { ...newTask(), languages: ["fr", "../x"] })).rejects.toMatchObject({
      code: "UNSUPPORTED_LANGUAGE",
      status: 400,
    });
    const nine = ["en", "de", "es", "it", "pt", "ru", "ja", "ko", "zh"];
    await expect(createTask(deps, { ...newTask(), languages: nine })).rejects.toMatchObject({
      code: "TOO_MANY_LANGUAGES",
      status: 400,
    });
    await expect(
      createTask(deps, { ...newTask(), languages: ["fr", "de"], options: { burnSubtitles: true } }),
    ).rejects.toMatchObject({ code: "BURN_ONE_LANGUAGE", status: 400 });
    const burnOne = { ...newTask(), languages: ["fr"], options: { burnSubtitles: true } };
    await expect(createTask(deps, burnOne)).resolves.toBeDefined();
  });

  it("stores the glossary as given; refuses a bad line or one over the size cap", async () => {
    const task = {
      ...newTask(),
      glossary: "# terms\nViTranslator = ViTranslator\nmachine learning => apprentissage automatique\n",
    };
    await createTask(deps, task);
    const row = await t.db.task.findUniqueOrThrow({ where: { id: task.id } });
    expect(row.glossary).toBe(task.glossary);
    const comments = { ...newTask(), glossary: "# nothing yet\n" };
    await createTask(deps, comments);
    expect((await t.db.task.findUniqueOrThrow({ where: { id: comments.id } })).glossary).toBeNull();
    await expect(
      createTask(deps, { ...newTask(), glossary: "a = b\nno separator here" }),
    ).rejects.toMatchObject({
      code: "INVALID_GLOSSARY",
      status: 400,
    });
    await expect(
      createTask(deps, { ...newTask(), glossary: "term = translation\n".repeat(2000) }),
    ).rejects.toMatchObject({ code: "GLOSSARY_TOO_LARGE", status: 400 });
  });
});

describe("owner check", () => {
  it("answers 404 for no such task and 403 for a missing or wrong token", async () => {
    const task = newTask();
    const { ownerToken } = await createTask(deps, task);
    expect(await requireTaskOwner(t.db, task.id, ownerToken)).toEqual({ languages: ["fr"] });
    expect(await isTaskOwner(t.db, task.id, ownerToken)).toBe(true);
    expect(await isTaskOwner(t.db, task.id, ownerToken.slice(1))).toBe(false);
    await expect(requireTaskOwner(t.db, task.id, null)).rejects.toMatchObject({
      code: "NOT_OWNER",
      status: 403,
    });
    await expect(requireTaskOwner(t.db, task.id, "x")).rejects.toMatchObject({ code: "NOT_OWNER" });
    await expect(requireTaskOwner(t.db, newTaskId(), ownerToken)).rejects.toMatchObject({
      code: "TASK_NOT_FOUND",
      status: 404,
    });
  });
});

describe("add a language", () => {
  /** A task planned into three parts, the first two recognised, processing. */
  async function recognisedTask(over: Partial<ReturnType<typeof newTask>> & { options?: object } = {}) {
    const task = { ...newTask(), ...over };
    await createTask(deps, task);
    const store = createTaskStore(t.db);
    await t.db.task.update({ where: { id: task.id }, data: { status: "processing" } });
    await store.savePlan(
      task.id,
      [0, 1, 2].map((i) => ({ index: i, startMs: i * 5000, durationMs: 5000 })),
      6,
    );
    for (const k of [0, 1]) {
      await store.replaceSentences(task.id, k, [
        { index: k * 1000, startMs: k * 5000, endMs: k * 5000 + 4000, sourceText: `Hello ${k}.` },
      ]);
      await store.recordStageStart({ taskId: task.id, segmentIndex: k, stage: "asr" });
      await store.recordStageEnd({ taskId: task.id, segmentIndex: k, stage: "asr" });
    }
    return task.id;
  }

  it("copies the rows, tells viewers and queues translate for every recognised part in that language", async () => {
    const id = await recognisedTask();
    expect(await addLanguage(deps, { taskId: id, language: " ES " })).toEqual({
      language: "es",
      languages: ["fr", "es"],
    });
    expect(eventsOf(id)).toContainEqual({ type: "language", language: "es", languages: ["fr", "es"] });
    for (const k of [0, 1]) {
      const job = await queues.translate.getJob(
        jobId("translate", { taskId: id, segmentIndex: k, language: "es" }),
      );
      expect(job?.data).toEqual({ taskId: id, segmentIndex: k, language: "es" });
    }
    expect(
      await queues.translate.getJob(jobId("translate", { taskId: id, segmentIndex: 2, language: "es" })),
    ).toBeUndefined();
    const snap = await getTaskSnapshot(t.db, id, "es");
    expect([snap?.language, snap?.segments.length, snap?.sentences.map((s) => s.sourceText)]).toEqual([
      "es",
      3,
      ["Hello 0.", "Hello 1."],
    ]);
    // Not a processing event: the task was running already.
    expect(eventsOf(id).filter((e) => e.type === "task" && e.status === "processing")).toEqual([]);

    await expect(addLanguage(deps, { taskId: id, language: "es" })).rejects.toMatchObject({
      code: "LANGUAGE_EXISTS",
      status: 409,
    });
    await expect(addLanguage(deps, { taskId: id, language: "fr" })).rejects.toMatchObject({
      code: "LANGUAGE_EXISTS",
    });
  });

  it("reopens a finished task and says so", async () => {
    const id = await recognisedTask();
    await t.db.task.update({ where: { id }, data: { status: "completed", finalReady: true } });
    await addLanguage(deps, { taskId: id, language: "de" });
    const row = await t.db.task.findUniqueOrThrow({ where: { id } });
    expect([row.status, row.finalReady]).toEqual(["processing", false]);
    expect(eventsOf(id)).toContainEqual({ type: "task", status: "processing" });
  });

  it("refuses a bad tag, an unknown task, a failed task, burned subtitles, a language the engines lack", async () => {
    const id = await recognisedTask();
    await expect(addLanguage(deps, { taskId: id, language: "e$" })).rejects.toMatchObject({
      code: "UNSUPPORTED_LANGUAGE",
      status: 400,
    });
    await expect(addLanguage(deps, { taskId: newTaskId(), language: "es" })).rejects.toMatchObject({
      code: "TASK_NOT_FOUND",
      status: 404,
    });
    const checkEngines = (language: string) =>
      Promise.resolve(language === "de" ? null : new AppError("UNSUPPORTED_LANGUAGE", "not spoken"));
    await expect(addLanguage(deps, { taskId: id, language: "sw", checkEngines })).rejects.toMatchObject({
      code: "UNSUPPORTED_LANGUAGE",
    });
    await expect(addLanguage(deps, { taskId: id, language: "de", checkEngines })).resolves.toMatchObject({
      language: "de",
    });
    const burned = await recognisedTask({ options: { burnSubtitles: true } });
    await expect(addLanguage(deps, { taskId: burned, language: "es" })).rejects.toMatchObject({
      code: "BURN_ONE_LANGUAGE",
      status: 400,
    });
    await failTask(deps, id, { code: "X", message: "x", stage: "translate" });
    await expect(addLanguage(deps, { taskId: id, language: "it" })).rejects.toMatchObject({
      code: "TASK_NOT_ACTIVE",
      status: 409,
    });
    expect((await t.db.task.findUniqueOrThrow({ where: { id } })).languages).toEqual(["fr", "de"]);
  });
});
