/** The shared stream reader against a real Redis: one blocking connection for every follower. */
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import type { StoredEvent, TaskEvent } from "../src/index";
import { compareEventIds, EventBus, isEventId, SharedEventReader } from "../src/index";

const URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const commands = new Redis(URL);
const opened: Redis[] = [];
const connection = () => {
  const r = new Redis(URL);
  r.on("error", () => undefined);
  opened.push(r);
  return r;
};
afterAll(() => {
  for (const r of [commands, ...opened]) r.disconnect();
});

const published = (index: number): TaskEvent => ({
  type: "published",
  language: "fr",
  index,
  publishedCount: index + 1,
  segmentCount: 100,
});

/** Collects `n` events of one follower, then stops it. */
async function take(
  iterable: AsyncIterable<StoredEvent>,
  n: number,
  ac: AbortController,
): Promise<StoredEvent[]> {
  const got: StoredEvent[] = [];
  for await (const e of iterable) {
    got.push(e);
    if (got.length === n) break;
  }
  ac.abort();
  return got;
}

describe("event ids", () => {
  it("accepts stream ids and 0, refuses anything else, and orders ids numerically", () => {
    expect(["0", "1700000000000-0", "1-99"].every(isEventId)).toBe(true);
    expect(["", "bogus", "1-2-3", "-1", "(0", "$", "+", "1".repeat(40)].some(isEventId)).toBe(false);
    expect(compareEventIds("10-0", "9-5")).toBeGreaterThan(0);
    expect(compareEventIds("5-10", "5-9")).toBeGreaterThan(0);
    expect(compareEventIds("0", "1-0")).toBeLessThan(0);
    expect(compareEventIds("7-1", "7-1")).toBe(0);
  });
});

describe("SharedEventReader", () => {
  it("serves many followers of many tasks over one blocking connection, replay then live, no gap or repeat", async () => {
    const prefix = `test-${randomUUID()}`;
    const bus = new EventBus(commands, prefix);
    const blocking = connection();
    const reader = new SharedEventReader({ blocking, commands, prefix, blockMs: 1000 });
    const tasks = ["a", "b", "c"];
    const history = new Map<string, string[]>();
    for (const t of tasks) history.set(t, [await bus.emit(t, published(0)), await bus.emit(t, published(1))]);
    const ac = new AbortController();
    // 60 followers: from the start, after the first event, and from the newest event.
    const runs = Array.from({ length: 60 }, (_, i) => {
      const task = tasks[i % 3]!;
      const past = history.get(task)!;
      const variant = Math.floor(i / 3) % 3;
      const from = ["0", past[0]!, past[1]!][variant]!;
      const expected = 4 - variant;
      const follower = reader.follow({ taskId: task, afterId: from, signal: ac.signal });
      return { task, expected, got: take(follower, expected, new AbortController()) };
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(reader.stats()).toEqual({ streams: 3, subscribers: 60 });
    for (const t of tasks)
      history.get(t)!.push(await bus.emit(t, published(2)), await bus.emit(t, published(3)));
    for (const run of runs) {
      const ids = (await run.got).map((e) => e.id);
      const all = history.get(run.task)!;
      expect(ids).toEqual(all.slice(all.length - run.expected));
    }
    ac.abort();
    await new Promise((r) => setTimeout(r, 50));
    expect(reader.stats()).toEqual({ streams: 0, subscribers: 0 });
    await reader.close();
  });

  it("resumes after its connection is killed, and a follower that falls behind replays what it missed", async () => {
    const prefix = `test-${randomUUID()}`;
    const bus = new EventBus(commands, prefix);
    const blocking = connection();
    const errors: unknown[] = [];
    const reader = new SharedEventReader({
      blocking,
      commands,
      prefix,
      blockMs: 1000,
      retryDelayMs: 50,
      maxQueued: 3,
      onError: (e) => errors.push(e),
    });
    const ac = new AbortController();
    const follower = reader.follow({ taskId: "t", afterId: "0", signal: ac.signal });
    const iterator: AsyncIterator<StoredEvent> = follower[Symbol.asyncIterator]();
    const firstId = await bus.emit("t", published(0));
    expect(((await iterator.next()).value as StoredEvent).id).toBe(firstId);
    // The blocking connection dies mid-read (a Redis failover looks the same to the reader).
    const id = await blocking.client("ID");
    await commands.client("KILL", "ID", String(id));
    const more: string[] = [];
    for (let i = 1; i <= 10; i++) more.push(await bus.emit("t", published(i)));
    // The follower did not read while 10 events arrived (over its queue of 3): it gets all
    // of them anyway, in order, once.
    const got: string[] = [];
    while (got.length < 10) got.push(((await iterator.next()).value as StoredEvent).id);
    expect(got).toEqual(more);
    ac.abort();
    await iterator.return?.(undefined);
    await reader.close();
  });
});
