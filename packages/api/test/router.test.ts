import { describe, expect, it } from "vitest";
import { createTaskStore, failTask, hashToken, newTaskId } from "@vitranslator/db";
import { createTestTask, TEST_OWNER_TOKEN } from "@vitranslator/db/testing";
import type { TaskEvent } from "@vitranslator/queue";
import { appRouter } from "../src/index";
import { useApiStack } from "./support";

const api = useApiStack({ follow: true });
const caller = () => appRouter.createCaller(api.ctx);
const newTask = () => createTestTask(api.t.db);

describe("task router", () => {
  it("returns a snapshot with the event id to resume from, and 404 for unknown ids", async () => {
    const id = await newTask();
    await createTaskStore(api.t.db).savePlan(id, [{ index: 0, startMs: 0, durationMs: 5000 }], 6);
    const eventId = await api.events.emit(id, { type: "task", status: "processing" });
    const snap = await caller().task.get({ id });
    expect(snap.lastEventId).toBe(eventId);
    expect(snap.task.segments).toHaveLength(1);
    expect(snap.links.playlistUrl).toBe(`/media/${id}/hls/index.m3u8`);
    // The owner's token hash never leaves the server.
    expect(JSON.stringify(snap)).not.toContain(hashToken(TEST_OWNER_TOKEN));
    await expect(caller().task.get({ id: newTaskId() })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(caller().task.get({ id: "../../etc/passwd" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
  });

  it("streams tracked events after lastEventId, so a client can resume without gaps", async () => {
    const id = await newTask();
    const first = await api.events.emit(id, { type: "task", status: "processing" });
    const second = await api.events.emit(id, {
      type: "published",
      language: "fr",
      index: 0,
      publishedCount: 1,
      segmentCount: 2,
    });
    const ac = new AbortController();
    const iterable = await appRouter
      .createCaller(api.ctx, { signal: ac.signal })
      .task.events({ id, lastEventId: first });
    const got: { id: string; type: TaskEvent["type"] }[] = [];
    const later = api.events.emit(id, {
      type: "published",
      language: "fr",
      index: 1,
      publishedCount: 2,
      segmentCount: 2,
    });
    for await (const item of iterable) {
      const [eventId, data] = item as unknown as [string, TaskEvent];
      got.push({ id: eventId, type: data.type });
      if (got.length === 2) break;
    }
    ac.abort();
    expect(got[0]).toEqual({ id: second, type: "published" });
    expect(got[1]).toEqual({ id: await later, type: "published" });
  });

  it("refuses to follow an unknown task or a bogus event id, at once", async () => {
    const ac = new AbortController();
    const sub = appRouter.createCaller(api.ctx, { signal: ac.signal });
    await expect(sub.task.events({ id: newTaskId(), lastEventId: null })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    const id = await newTask();
    for (const bogus of ["bogus", "1-2-3", "-1", "9".repeat(60), "(0"])
      await expect(sub.task.events({ id, lastEventId: bogus })).rejects.toMatchObject({
        code: "BAD_REQUEST",
      });
    ac.abort();
  });

  it("shows the public a public message for a failed task; the stored detail is for /admin only", async () => {
    const detail =
      "LLM at http://10.0.0.7:8000/v1 answered 502: <html>upstream trace</html>; ffmpeg stderr: /srv/storage/tasks/x/in.mp4: Invalid data";
    const id = await newTask();
    await failTask(api.t.db, id, { code: "LLM_UNAVAILABLE", message: detail, stage: "translate" });
    await api.events.emit(id, {
      type: "task",
      status: "failed",
      errorCode: "LLM_UNAVAILABLE",
      errorMessage: detail,
    });
    const snap = await caller().task.get({ id });
    expect(snap.task.errorCode).toBe("LLM_UNAVAILABLE");
    expect(snap.task.errorMessage).not.toContain("10.0.0.7");
    expect(snap.task.errorMessage).toContain(id);
    expect(JSON.stringify(snap)).not.toContain("upstream trace");
    const ac = new AbortController();
    const iterable = await appRouter
      .createCaller(api.ctx, { signal: ac.signal })
      .task.events({ id, lastEventId: null });
    for await (const item of iterable) {
      const [, data] = item as unknown as [string, TaskEvent];
      expect(JSON.stringify(data)).not.toContain("/srv/storage");
      expect(data).toMatchObject({ type: "task", status: "failed", errorCode: "LLM_UNAVAILABLE" });
      break;
    }
    ac.abort();
    // The operator still has the detail.
    expect((await api.t.db.task.findUniqueOrThrow({ where: { id } })).errorMessage).toBe(detail);
    // A bad-input error's own message is written for users and is shown as it is.
    const user = await newTask();
    const own = "The video has no audio track and no subtitles, so there is nothing to dub.";
    await failTask(api.t.db, user, { code: "NO_AUDIO", message: own, stage: "segment" });
    expect((await caller().task.get({ id: user })).task.errorMessage).toBe(own);
  });
});
