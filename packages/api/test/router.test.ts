import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTask, createTaskStore, hashToken, newTaskId } from "@vitranslator/db";
import { createTestDatabase } from "@vitranslator/db/testing";
import type { TestDatabase } from "@vitranslator/db/testing";
import { createLocalStorage } from "@vitranslator/pipeline";
import { closeQueues, createQueues, createRedis, EventBus } from "@vitranslator/queue";
import type { TaskEvent } from "@vitranslator/queue";
import { appRouter } from "../src/index";
import type { ApiContext } from "../src/index";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const prefix = `test-${randomUUID()}`;
const redis = createRedis(REDIS_URL);
const queues = createQueues(redis, prefix);
let t: TestDatabase;
let ctx: ApiContext;
let caller: ReturnType<typeof appRouter.createCaller>;

beforeAll(async () => {
  t = await createTestDatabase();
  ctx = {
    db: t.db,
    events: new EventBus(redis, prefix),
    openEventReader() {
      const conn = createRedis(REDIS_URL);
      return { bus: new EventBus(conn, prefix), close: () => conn.disconnect() };
    },
    queues,
    storage: createLocalStorage("/nonexistent-vt-storage"),
    adminToken: null,
    requestAdminToken: null,
  };
  caller = appRouter.createCaller(ctx);
});
afterAll(async () => {
  await closeQueues(queues);
  await redis.del(...(await redis.keys(`${prefix}:*`)), "__none__");
  redis.disconnect();
  await t.drop();
});

describe("task router", () => {
  it("returns a snapshot with the event id to resume from, and 404 for unknown ids", async () => {
    const id = newTaskId();
    await createTask(t.db, {
      id,
      originalName: "a.mp4",
      sourceLanguage: null,
      targetLanguage: "fr",
      options: {},
      ownerTokenHash: hashToken("x"),
      sourceFile: "source/original.mp4",
      subtitleFile: null,
    });
    await createTaskStore(t.db).savePlan(id, [{ index: 0, startMs: 0, durationMs: 5000 }], 6);
    const bus = new EventBus(redis, prefix);
    const eventId = await bus.emit(id, { type: "task", status: "processing" });
    const snap = await caller.task.get({ id });
    expect(snap.lastEventId).toBe(eventId);
    expect(snap.task.segments).toHaveLength(1);
    expect(snap.links.playlistUrl).toBe(`/media/${id}/hls/index.m3u8`);
    // The owner's token hash never leaves the server.
    expect(JSON.stringify(snap)).not.toContain(hashToken("x"));
    await expect(caller.task.get({ id: newTaskId() })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(caller.task.get({ id: "../../etc/passwd" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("streams tracked events after lastEventId, so a client can resume without gaps", async () => {
    const id = newTaskId();
    const bus = new EventBus(redis, prefix);
    const first = await bus.emit(id, { type: "task", status: "processing" });
    const second = await bus.emit(id, { type: "published", index: 0, publishedCount: 1, segmentCount: 2 });
    const ac = new AbortController();
    const iterable = await appRouter
      .createCaller(ctx, { signal: ac.signal })
      .task.events({ id, lastEventId: first });
    const got: { id: string; type: TaskEvent["type"] }[] = [];
    const later = bus.emit(id, { type: "published", index: 1, publishedCount: 2, segmentCount: 2 });
    for await (const item of iterable) {
      const [eventId, data] = item as unknown as [string, TaskEvent];
      got.push({ id: eventId, type: data.type });
      if (got.length === 2) break;
    }
    ac.abort();
    expect(got[0]).toEqual({ id: second, type: "published" });
    expect(got[1]).toEqual({ id: await later, type: "published" });
  });
});
