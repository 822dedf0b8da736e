/** The owner's edit mutation and the admin procedures, against real Postgres and Redis/BullMQ. */
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createTaskStore, failTask, recordStageEnd, recordStageStart } from "@vitranslator/db";
import { createTestTask } from "@vitranslator/db/testing";
import { enqueue } from "@vitranslator/queue";
import type { TaskEvent } from "@vitranslator/queue";
import { AppError, appRouter } from "../src/index";
import type { ApiContext } from "../src/index";
import { useApiStack } from "./support";

const api = useApiStack();
const { redis, prefix, queues, events: bus } = api;
const ADMIN = "s3cret-admin";
const OWNER = "owner-token";

const caller = (over: Partial<ApiContext> = {}) => appRouter.createCaller({ ...api.ctx, ...over });
const admin = () => caller({ adminToken: ADMIN, requestAdminToken: ADMIN });
type EditInput = Parameters<ReturnType<typeof caller>["task"]["editSentence"]>[0];
/** The edit mutation, sent with this owner token (the real one unless told). */
const edit = (input: EditInput, token = OWNER) =>
  caller({ requestOwnerToken: token }).task.editSentence(input);

/** A task with two segments of two sentences each; segment 0 is published. */
async function publishedTask(name = "talk.mp4"): Promise<string> {
  const id = await createTestTask(api.t.db, { originalName: name, sourceLanguage: "en", ownerToken: OWNER });
  const store = createTaskStore(api.t.db);
  await api.t.db.task.update({ where: { id }, data: { status: "processing" } });
  await store.savePlan(
    id,
    [0, 1].map((i) => ({ index: i, startMs: i * 10_000, durationMs: 10_000 })),
    11,
  );
  for (const seg of [0, 1]) {
    await store.replaceSentences(id, seg, [
      { index: seg * 1000, startMs: seg * 10_000, endMs: seg * 10_000 + 4000, sourceText: `Hello ${seg}.` },
      {
        index: seg * 1000 + 1,
        startMs: seg * 10_000 + 5000,
        endMs: seg * 10_000 + 9000,
        sourceText: `Bye ${seg}.`,
      },
    ]);
    await store.updateSentences(id, "fr", [
      { index: seg * 1000, translation: `[fr] Hello ${seg}.` },
      { index: seg * 1000 + 1, translation: `[fr] Bye ${seg}.` },
    ]);
  }
  await store.markSegmentMixed(id, "fr", 0, [10_000]);
  await store.publishReady(id, "fr", () => Promise.resolve());
  return id;
}

async function eventsOf(id: string): Promise<TaskEvent[]> {
  const entries = await redis.xrange(`${prefix}:events:${id}`, "-", "+");
  return entries.map(([, fields]) => JSON.parse(fields[1]!) as TaskEvent);
}

describe("task.editSentence", () => {
  it("refuses anyone but the owner, and viewers are told they are not the owner", async () => {
    const id = await publishedTask();
    await expect(edit({ id, index: 0, translation: "Bonjour." }, "someone-else")).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    expect(await caller({ requestOwnerToken: "someone-else" }).task.isOwner({ id })).toEqual({
      owner: false,
    });
    expect(await caller({ requestOwnerToken: OWNER }).task.isOwner({ id })).toEqual({ owner: true });
    // The token counts only as the x-owner-token header, never as an input (queries put
    // their input in the URL).
    expect(await caller().task.isOwner({ id, ownerToken: "owner-token" } as { id: string })).toEqual({
      owner: false,
    });
    await expect(
      caller().task.editSentence({ id, index: 0, translation: "B.", ownerToken: "owner-token" } as never),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    const s = await api.t.db.sentence.findUniqueOrThrow({
      where: { taskId_language_index: { taskId: id, language: "fr", index: 0 } },
    });
    expect(s.translation).toBe("[fr] Hello 0.");
  });

  it("updates the line, bumps the segment revision and queues only that segment from modelin", async () => {
    const id = await publishedTask();
    const res = await edit({ id, index: 1, translation: "Au revoir, tout le monde." });
    expect(res).toEqual({ segmentIndex: 0, revision: 1, fromStage: "modelin" });
    const job = await queues.modelin.getJob(`modelin.${id}.0.fr.1`);
    expect(job?.data).toEqual({ taskId: id, segmentIndex: 0, language: "fr", revision: 1 });
    const snap = await caller().task.get({ id });
    expect(snap.task.sentences.find((s) => s.index === 1)).toMatchObject({
      translation: "Au revoir, tout le monde.",
      revision: 1,
    });
    expect(snap.task.segments[0]).toMatchObject({ revision: 1, publishedRevision: 0 });
    const events = await eventsOf(id);
    expect(events.map((e) => e.type)).toEqual(["sentences", "redub"]);
    expect(events[1]).toEqual({
      type: "redub",
      language: "fr",
      segmentIndex: 0,
      sentenceIndex: 1,
      revision: 1,
      status: "queued",
    });
    // A second edit while the segment is being re-dubbed waits for it.
    await expect(edit({ id, index: 0, translation: "Salut." })).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("re-translates from the translate stage when the source text changes", async () => {
    const id = await publishedTask();
    const res = await edit({ id, index: 0, sourceText: "Good morning." });
    expect(res.fromStage).toBe("translate");
    expect(await queues.translate.getJob(`translate.${id}.0.fr.1`)).toBeTruthy();
    const s = await api.t.db.sentence.findUniqueOrThrow({
      where: { taskId_language_index: { taskId: id, language: "fr", index: 0 } },
    });
    expect([s.sourceText, s.translation]).toEqual(["Good morning.", null]);
  });

  it("refuses lines of a part not yet published, and unchanged text", async () => {
    const id = await publishedTask();
    await expect(edit({ id, index: 1000, translation: "x" })).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(edit({ id, index: 0, translation: "[fr] Hello 0." })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
  });
});

describe("task.addLanguage and a second language", () => {
  const add = (id: string, language: string, token: string | null = OWNER, over: Partial<ApiContext> = {}) =>
    caller({ requestOwnerToken: token, ...over }).task.addLanguage({ id, language });

  it("refuses anyone but the owner (the token is the x-owner-token header only)", async () => {
    const id = await publishedTask();
    await expect(add(id, "es", null)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(add(id, "es", "someone-else")).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      caller().task.addLanguage({ id, language: "es", ownerToken: OWNER } as never),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await api.t.db.task.findUniqueOrThrow({ where: { id } })).languages).toEqual(["fr"]);
    expect(await api.t.db.sentence.count({ where: { taskId: id, language: "es" } })).toBe(0);
  });

  it("adds a language once, through the engines check; unknown tasks are 404", async () => {
    const id = await publishedTask();
    const checkEngines = (language: string) =>
      Promise.resolve(language === "sw" ? new AppError("UNSUPPORTED_LANGUAGE", "not spoken") : null);
    await expect(add(id, "sw", OWNER, { checkEngines })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      cause: { code: "UNSUPPORTED_LANGUAGE" },
    });
    await expect(add(id, "not a tag")).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await add(id, "es", OWNER, { checkEngines })).toEqual({ language: "es", languages: ["fr", "es"] });
    await expect(add(id, "es")).rejects.toMatchObject({
      code: "CONFLICT",
      cause: { code: "LANGUAGE_EXISTS" },
    });
    await expect(add("AAAAAAAAAAAAAAAAAAAAAA", "es")).rejects.toMatchObject({ code: "NOT_FOUND" });
    const events = await eventsOf(id);
    expect(events).toContainEqual({ type: "language", language: "es", languages: ["fr", "es"] });
  });

  it("shows one language's transcript and re-dubs a line in that language only", async () => {
    const id = await publishedTask();
    await add(id, "es");
    const store = createTaskStore(api.t.db);
    await store.updateSentences(id, "es", [
      { index: 0, translation: "[es] Hello 0." },
      { index: 1, translation: "[es] Bye 0." },
    ]);
    await store.markSegmentMixed(id, "es", 0, [10_000]);
    await store.publishReady(id, "es", () => Promise.resolve());

    const snap = await caller().task.get({ id, language: "es" });
    expect(snap.task.language).toBe("es");
    expect(snap.task.languages).toEqual(["fr", "es"]);
    expect(snap.task.sentences.map((x) => x.translation)).toEqual([
      "[es] Hello 0.",
      "[es] Bye 0.",
      null,
      null,
    ]);
    expect(snap.links.languages.es).toEqual({
      mp4Url: `/api/tasks/${id}/download?language=es`,
      srtUrl: `/api/tasks/${id}/subtitles.srt?language=es`,
      vttUrl: `/api/tasks/${id}/subtitles.vtt?language=es`,
    });
    expect(snap.links.allTracksUrl).toBe(`/api/tasks/${id}/download/all`);
    expect((await caller().task.get({ id })).task.language).toBe("fr");

    expect(await edit({ id, language: "es", index: 0, translation: "Hola." })).toMatchObject({
      segmentIndex: 0,
      fromStage: "modelin",
    });
    expect((await queues.modelin.getJob(`modelin.${id}.0.es.1`))?.data).toMatchObject({ language: "es" });
    const fr = await api.t.db.sentence.findUniqueOrThrow({
      where: { taskId_language_index: { taskId: id, language: "fr", index: 0 } },
    });
    expect(fr.translation).toBe("[fr] Hello 0.");
    expect((await eventsOf(id)).filter((e) => e.type === "redub")).toEqual([
      { type: "redub", language: "es", segmentIndex: 0, sentenceIndex: 0, revision: 1, status: "queued" },
    ]);
  });
});

describe("admin", () => {
  it("is disabled without ADMIN_TOKEN and refuses a wrong token", async () => {
    expect(await caller().admin.enabled()).toEqual({ enabled: false });
    await expect(caller().admin.tasks({})).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
    await expect(
      caller({ adminToken: ADMIN, requestAdminToken: "s3cret-admim" }).admin.tasks({}),
    ).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(caller({ adminToken: ADMIN }).admin.login()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    expect(await admin().admin.login()).toEqual({ ok: true });
  });

  it("searches the history and sums stage timings per stage", async () => {
    const id = await publishedTask("Quarterly Review.mp4");
    for (const seg of [0, 1]) {
      await recordStageStart(api.t.db, { taskId: id, segmentIndex: seg, stage: "tts" });
      await recordStageEnd(api.t.db, { taskId: id, segmentIndex: seg, stage: "tts" });
    }
    await api.t.db.stageRun.updateMany({ where: { taskId: id, stage: "tts" }, data: { durationMs: 1500 } });
    await recordStageStart(api.t.db, { taskId: id, segmentIndex: 1, stage: "align" });
    await recordStageEnd(api.t.db, { taskId: id, segmentIndex: 1, stage: "align", errorCode: "LLM_TIMEOUT" });
    const rows = await admin().admin.tasks({ query: "quarterly" });
    expect(rows.map((r) => r.id)).toEqual([id]);
    expect(rows[0]!.stages.find((s) => s.stage === "tts")).toEqual({
      stage: "tts",
      totalMs: 3000,
      runs: 2,
      errors: 0,
    });
    expect(rows[0]!.stageErrors).toEqual([{ segmentIndex: 1, stage: "align", errorCode: "LLM_TIMEOUT" }]);
    expect((await admin().admin.tasks({ query: id })).map((r) => r.id)).toEqual([id]);
    expect(await admin().admin.tasks({ query: "quarterly", status: "failed" })).toEqual([]);
    expect(await admin().admin.tasks({ query: "quarterly", language: "de" })).toEqual([]);
    expect(await admin().admin.tasks({ query: "quarterly", to: "2000-01-01" })).toEqual([]);
    const today = new Date().toISOString().slice(0, 10);
    expect(await admin().admin.tasks({ query: "quarterly", from: today, to: today })).toHaveLength(1);
  });

  it("retries a failed task from each segment's failed stage", async () => {
    const id = await publishedTask();
    const store = createTaskStore(api.t.db);
    await store.setSegmentStage(id, 1, "tts", "fr");
    await failTask(api.t.db, id, { code: "TTS_FAILED", message: "boom", stage: "align" });
    await expect(admin().admin.cancel({ id })).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await admin().admin.retry({ id })).toEqual({ resumed: 1 });
    expect((await queues.align.getJob(`align.${id}.1.fr.1`))?.data).toEqual({
      taskId: id,
      segmentIndex: 1,
      language: "fr",
      revision: 1,
    });
    const task = await api.t.db.task.findUniqueOrThrow({ where: { id } });
    expect([task.status, task.errorCode]).toEqual(["processing", null]);
    await expect(admin().admin.retry({ id })).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("cancels a running task and removes its waiting jobs; deletes a task with its media and events", async () => {
    const id = await publishedTask();
    await api.t.db.task.update({ where: { id }, data: { status: "processing" } });
    await enqueue(queues, "tts", { taskId: id, segmentIndex: 1 });
    const other = await publishedTask();
    await enqueue(queues, "tts", { taskId: other, segmentIndex: 1 });
    expect(await admin().admin.cancel({ id })).toEqual({ removedJobs: 1 });
    expect(await queues.tts.getJob(`tts.${id}.1.0`)).toBeUndefined();
    expect(await queues.tts.getJob(`tts.${other}.1.0`)).toBeTruthy();
    expect((await api.t.db.task.findUniqueOrThrow({ where: { id } })).status).toBe("cancelled");

    const dir = path.join(api.storageDir, "tasks", other, "hls");
    await mkdir(dir, { recursive: true });
    await bus.emit(other, { type: "task", status: "processing" });
    expect(await admin().admin.delete({ id: other })).toEqual({ deleted: true });
    expect(existsSync(path.join(api.storageDir, "tasks", other))).toBe(false);
    expect(await api.t.db.sentence.count({ where: { taskId: other } })).toBe(0);
    expect(await redis.exists(`${prefix}:events:${other}`)).toBe(0);
    expect(await queues.tts.getJob(`tts.${other}.1.0`)).toBeUndefined();
    await expect(admin().admin.delete({ id: other })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("reports queue depths and the workers BullMQ sees", async () => {
    const q = await admin().admin.queues();
    expect(q.map((s) => s.stage)).toContain("mix");
    expect(q.find((s) => s.stage === "tts")?.counts).toHaveProperty("waiting");
  });
});
