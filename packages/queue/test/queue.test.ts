import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { nextStage } from "@vitranslator/pipeline/graph";
import { EventBus, jobId, jobPriority, parseStages, STAGE_NAMES } from "../src/index";

const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
afterAll(() => redis.disconnect());

describe("stage wiring", () => {
  it("chains the eight stages in DESIGN order and ends at mix", () => {
    const order: string[] = ["segment"];
    let s = nextStage("segment");
    while (s) {
      order.push(s);
      s = nextStage(s);
    }
    expect(order).toEqual([...STAGE_NAMES]);
  });

  it("parses --stages and rejects unknown names", () => {
    expect(parseStages(undefined)).toEqual([...STAGE_NAMES]);
    expect(parseStages("tts, mix")).toEqual(["tts", "mix"]);
    expect(() => parseStages("tts,bogus")).toThrow(/Unknown stage\(s\): bogus/);
  });

  it("gives deterministic job ids and ranks first segments ahead of backlog", () => {
    expect(jobId("asr", { taskId: "t", segmentIndex: 2 })).toBe(
      jobId("asr", { taskId: "t", segmentIndex: 2 }),
    );
    expect(jobId("asr", { taskId: "t", segmentIndex: 2, revision: 1 })).not.toBe(
      jobId("asr", { taskId: "t", segmentIndex: 2 }),
    );
    expect(jobPriority({ taskId: "new", segmentIndex: 0 })).toBeLessThan(
      jobPriority({ taskId: "old", segmentIndex: 1 }),
    );
    expect(jobPriority({ taskId: "new" })).toBeLessThanOrEqual(
      jobPriority({ taskId: "old", segmentIndex: 0 }),
    );
    // A part a viewer seeked to goes ahead of its task's earlier parts, never ahead of a first part.
    const seek = jobPriority({ taskId: "t", segmentIndex: 9, seek: true });
    expect(seek).toBeLessThan(jobPriority({ taskId: "t", segmentIndex: 1 }));
    expect(seek).toBeGreaterThan(jobPriority({ taskId: "other", segmentIndex: 0 }));
  });
});

describe("event bus (Redis Streams)", () => {
  it("replays after an id and then tails new events", async () => {
    const prefix = `test-${randomUUID()}`;
    const bus = new EventBus(redis, prefix);
    const first = await bus.emit("t1", { type: "task", status: "queued" });
    await bus.emit("t1", { type: "published", language: "fr", index: 0, publishedCount: 1, segmentCount: 2 });
    expect(await bus.lastId("t1")).not.toBe(first);

    const reader = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
    const ac = new AbortController();
    const seen: string[] = [];
    const tail = (async () => {
      for await (const e of new EventBus(reader, prefix).tail({
        taskId: "t1",
        afterId: first,
        signal: ac.signal,
        blockMs: 200,
      })) {
        seen.push(e.event.type);
        if (seen.length === 2) ac.abort();
      }
    })();
    await bus.emit("t1", { type: "final", language: "fr", mp4: true, srt: true });
    await tail;
    reader.disconnect();
    // The event before `first` is not replayed; the one after it and the new one are.
    expect(seen).toEqual(["published", "final"]);
    await bus.deleteStream("t1");
  });
});
