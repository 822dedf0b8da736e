/**
 * Task events over Redis Streams: one capped stream per task. Readers replay from an
 * event id and then block for new ones, so a reconnecting browser resumes without gaps.
 */
import type { TaskEvent } from "@vitranslator/pipeline/events";
import type { Redis } from "ioredis";

export type { TaskEvent };
export interface StoredEvent {
  id: string;
  event: TaskEvent;
}

const MAX_EVENTS_PER_TASK = 10_000;
export const streamKey = (prefix: string, taskId: string) => `${prefix}:events:${taskId}`;

/** A Redis stream id as clients send it back (`<ms>-<seq>`), or "0" for "from the start". */
const EVENT_ID = /^(0|\d{1,16}-\d{1,16})$/;
export const isEventId = (id: string): boolean => EVENT_ID.test(id);

/** Orders two stream ids (`<ms>-<seq>`, "0" first). */
export function compareEventIds(a: string, b: string): number {
  const [am = 0n, as = 0n] = a.split("-").map(BigInt);
  const [bm = 0n, bs = 0n] = b.split("-").map(BigInt);
  return am === bm ? Number(as - bs) || 0 : am < bm ? -1 : 1;
}

export class EventBus {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = "vt",
  ) {}

  async emit(taskId: string, event: TaskEvent): Promise<string> {
    const key = streamKey(this.prefix, taskId);
    const id = await this.redis.xadd(
      key,
      "MAXLEN",
      "~",
      String(MAX_EVENTS_PER_TASK),
      "*",
      "e",
      JSON.stringify(event),
    );
    // Streams of finished tasks expire on their own.
    await this.redis.expire(key, 30 * 24 * 3600);
    return id ?? "";
  }

  /** The id of the newest event, or "0" when there is none. */
  async lastId(taskId: string): Promise<string> {
    const last = await this.redis.xrevrange(streamKey(this.prefix, taskId), "+", "-", "COUNT", 1);
    return last[0]?.[0] ?? "0";
  }

  async deleteStream(taskId: string): Promise<void> {
    await this.redis.del(streamKey(this.prefix, taskId));
  }

  /**
   * Yields events after `afterId` ("0" = from the start), then waits for new ones until
   * the signal aborts. Needs a connection of its own (XREAD BLOCK holds it).
   */
  async *tail(opts: {
    taskId: string;
    afterId: string;
    signal: AbortSignal;
    blockMs?: number;
  }): AsyncGenerator<StoredEvent> {
    const key = streamKey(this.prefix, opts.taskId);
    let cursor = opts.afterId || "0";
    while (!opts.signal.aborted) {
      const reply = await this.redis.xread(
        "COUNT",
        200,
        "BLOCK",
        opts.blockMs ?? 5000,
        "STREAMS",
        key,
        cursor,
      );
      if (opts.signal.aborted) return;
      for (const [, entries] of reply ?? []) {
        for (const [id, fields] of entries) {
          cursor = id;
          const raw = fields[1];
          if (raw === undefined) continue;
          yield { id, event: JSON.parse(raw) as TaskEvent };
        }
      }
    }
  }
}
