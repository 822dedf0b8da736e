/** The task commands on a real database and real queues, with the events they emit recorded. */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getTaskSnapshot, newTaskId, hashToken } from "@vitranslator/db";
import { createTestDatabase } from "@vitranslator/db/testing";
import type { TestDatabase } from "@vitranslator/db/testing";
import type { TaskEvent } from "@vitranslator/pipeline";
import { closeQueues, createQueues, createRedis, jobId } from "@vitranslator/queue";
import { createTaskStore } from "@vitranslator/db";
import { AppError, cancelTask, createTask, deleteTask, failTask, retryTask, seekAhead } from "../src/index";
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
    await store.markSegmentMixed(task.id, 0, [5000]);
    await store.publishReady(task.id, () => Promise.resolve());
    expect(await seekAhead(deps, task.id, 1000)).toEqual({ part: 0 });
    expect(
      await queues.segment.getJob(jobId("segment", { taskId: task.id, segmentIndex: 0 })),
    ).toBeUndefined();
    expect(await seekAhead(deps, newTaskId(), 1000)).toEqual({ part: null });
  });
});
