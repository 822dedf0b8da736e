import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTask,
  createTaskStore,
  failTask,
  getTaskSnapshot,
  hashToken,
  newTaskId,
  tokenMatches,
} from "../src/index";
import type { PublishedTrack } from "@vitranslator/pipeline";
import { addTaskLanguage, getTaskSummary } from "../src/index";
import { createTestDatabase, createTestTask } from "../testing";
import type { TestDatabase } from "../testing";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => t.drop());

async function newTask() {
  const id = newTaskId();
  await createTask(t.db, {
    id,
    originalName: "clip.mp4",
    sourceLanguage: "en",
    targetLanguage: "fr",
    options: {},
    ownerTokenHash: hashToken("secret"),
    sourceFile: "source/original.mp4",
    subtitleFile: null,
  });
  return id;
}

describe("task store", () => {
  it("task ids carry 128 random bits and owner tokens are checked by hash", () => {
    const ids = new Set(Array.from({ length: 1000 }, newTaskId));
    expect(ids.size).toBe(1000);
    expect([...ids][0]).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(tokenMatches("secret", hashToken("secret"))).toBe(true);
    expect(tokenMatches("other", hashToken("secret"))).toBe(false);
  });

  it("plans idempotently and replaces a segment's sentences", async () => {
    const id = await newTask();
    const store = createTaskStore(t.db);
    const plan = [
      { index: 0, startMs: 0, durationMs: 8000 },
      { index: 1, startMs: 8000, durationMs: 22000 },
    ];
    await store.savePlan(id, plan, 23);
    await store.savePlan(id, plan, 23);
    const sentences = [
      { index: 0, startMs: 500, endMs: 3000, sourceText: "Hello." },
      { index: 1, startMs: 4000, endMs: 7000, sourceText: "World." },
    ];
    await store.replaceSentences(id, 0, sentences);
    await store.replaceSentences(id, 0, sentences);
    await store.updateSentences(id, "fr", [{ index: 1, translation: "Monde.", speed: 1.1 }]);
    const snap = await getTaskSnapshot(t.db, id);
    expect(snap?.segments.map((s) => s.index)).toEqual([0, 1]);
    expect(snap?.sentences.map((s) => [s.index, s.translation, s.speed])).toEqual([
      [0, null, null],
      [1, "Monde.", 1.1],
    ]);
  });

  it("publishes strictly in order, once, under concurrent callers", async () => {
    const id = await newTask();
    const store = createTaskStore(t.db);
    await store.savePlan(
      id,
      [0, 1, 2].map((i) => ({ index: i, startMs: i * 10000, durationMs: 10000 })),
      11,
    );
    const writes: { indexes: number[]; complete: boolean }[] = [];
    const write = (tracks: PublishedTrack[]) => {
      const [fr] = tracks;
      writes.push({ indexes: fr!.published.map((s) => s.index), complete: fr!.complete });
      return Promise.resolve();
    };
    // Segment 1 finishes first: nothing may be published before 0.
    await store.markSegmentMixed(id, "fr", 1, [6000, 4010]);
    const early = await store.publishReady(id, "fr", write);
    expect(early.newlyPublished).toEqual([]);
    await store.markSegmentMixed(id, "fr", 0, [4000, 6020]);
    await store.markSegmentMixed(id, "fr", 2, [10000]);
    const results = await Promise.all([
      store.publishReady(id, "fr", write),
      store.publishReady(id, "fr", write),
      store.publishReady(id, "fr", write),
    ]);
    const all = results.flatMap((r) => r.newlyPublished).sort();
    expect(all).toEqual([0, 1, 2]);
    expect(results.some((r) => r.complete)).toBe(true);
    expect(writes.at(-1)).toEqual({ indexes: [0, 1, 2], complete: true });
    // A retried mix job must not take a published segment back.
    await store.markSegmentMixed(id, "fr", 0, [1]);
    expect((await store.getSegment(id, 0))?.status).toBe("published");
    expect((await store.getSegment(id, 0))?.hlsDurationMs).toBe(10020);
    expect((await store.getSegment(id, 0))?.chunkMs).toEqual([4000, 6020]);
    const snap = await getTaskSnapshot(t.db, id);
    expect(snap?.publishedCount).toBe(3);
    expect(snap?.firstSegmentAt).not.toBeNull();
  });

  it("fails a task once and keeps a finished one finished", async () => {
    const id = await newTask();
    expect(await failTask(t.db, id, { code: "X", message: "boom", stage: "asr" })).toBe(true);
    expect(await failTask(t.db, id, { code: "Y", message: "again", stage: "tts" })).toBe(false);
    const snap = await getTaskSnapshot(t.db, id);
    expect([snap?.status, snap?.errorCode]).toEqual(["failed", "X"]);
  });

  it("keeps one row per language for parts and sentences; a snapshot is one language's", async () => {
    const id = await createTestTask(t.db, { languages: ["fr", "de"] });
    const store = createTaskStore(t.db);
    expect((await getTaskSummary(t.db, id))?.languages).toEqual(["fr", "de"]);
    await store.savePlan(id, [{ index: 0, startMs: 0, durationMs: 5000 }], 6);
    await store.replaceSentences(id, 0, [{ index: 0, startMs: 0, endMs: 2000, sourceText: "Hi." }]);
    await store.updateSentences(id, "de", [{ index: 0, translation: "Hallo." }]);
    const de = await getTaskSnapshot(t.db, id, "de");
    expect([de?.language, de?.sentences.map((s) => s.translation)]).toEqual(["de", ["Hallo."]]);
    const fr = await getTaskSnapshot(t.db, id, "xx");
    expect([fr?.language, fr?.sentences.map((s) => s.translation)]).toEqual(["fr", [null]]);
    await store.markSegmentMixed(id, "de", 0, [5000]);
    const out = await store.publishReady(id, "de", () => Promise.resolve());
    expect(out.tracks.map((tr) => [tr.language, tr.complete])).toEqual([
      ["fr", false],
      ["de", true],
    ]);
    // The summary's count is the first language's.
    expect((await getTaskSummary(t.db, id))?.publishedCount).toBe(0);
    expect(await store.markLanguageFinal(id, "de")).toEqual({ allFinal: false, finalLanguages: ["de"] });
    expect((await getTaskSummary(t.db, id))?.finalLanguages).toEqual(["de"]);
  });

  it("adds a language by copying the first language's rows, once", async () => {
    const id = await createTestTask(t.db);
    const store = createTaskStore(t.db);
    await t.db.task.update({ where: { id }, data: { status: "processing" } });
    await store.savePlan(id, [{ index: 0, startMs: 0, durationMs: 5000 }], 6);
    await store.replaceSentences(id, 0, [
      { index: 0, startMs: 0, endMs: 2000, sourceText: "Hi.", speaker: "A" },
    ]);
    await store.recordStageStart({ taskId: id, segmentIndex: 0, stage: "asr" });
    await store.recordStageEnd({ taskId: id, segmentIndex: 0, stage: "asr" });
    expect(await addTaskLanguage(t.db, id, "es")).toEqual({
      ok: true,
      languages: ["fr", "es"],
      readyParts: [0],
    });
    const es = await getTaskSnapshot(t.db, id, "es");
    expect(es?.sentences.map((s) => [s.sourceText, s.speaker, s.translation])).toEqual([["Hi.", "A", null]]);
    expect(await addTaskLanguage(t.db, id, "es")).toEqual({ ok: false, code: "LANGUAGE_EXISTS" });
    expect(await addTaskLanguage(t.db, newTaskId(), "es")).toEqual({ ok: false, code: "TASK_NOT_FOUND" });
  });

  it("shares a first part's rate out among the tasks it went ahead of, not those started with it", async () => {
    await t.db.task.updateMany({ data: { status: "completed" } });
    const now = Date.now();
    const at = (ms: number) => new Date(now + ms);
    const [early, withIt, id] = [await newTask(), await newTask(), await newTask()];
    // Past its first part when `id` started: its later parts now share the machine with `id`'s.
    await t.db.task.update({
      where: { id: early },
      data: { status: "processing", startedAt: at(-60_000), firstSegmentAt: at(-50_000) },
    });
    // Started with `id`: its first part was made alongside `id`'s.
    await t.db.task.update({ where: { id: withIt }, data: { status: "processing", startedAt: at(-10_000) } });
    await t.db.task.update({ where: { id }, data: { status: "processing", startedAt: at(-10_000) } });
    await createTaskStore(t.db).savePlan(
      id,
      [0, 1].map((i) => ({ index: i, startMs: i * 5000, durationMs: 5000 })),
      6,
    );
    await t.db.segment.updateMany({
      where: { taskId: id, index: 0 },
      data: { status: "published", publishedAt: at(-7500) },
    });
    // 5 s made in 2.5 s (2x), a quarter in reserve on a shared machine, shared with `early` only.
    expect((await getTaskSnapshot(t.db, id))?.dubRate).toBeCloseTo((2 * 0.75) / 2, 9);
  });
});
