/**
 * One reader of task event streams per process. A single connection runs XREAD BLOCK over
 * every stream someone follows and fans each event out to that task's subscribers, so
 * the number of Redis connections does not grow with the number of viewers. A subscriber
 * first replays what it missed (XRANGE on the shared command connection), then takes live
 * events; when Redis goes away the reader waits and resumes from the same cursors.
 */
import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import type { StoredEvent, TaskEvent } from "./events";
import { compareEventIds, isEventId, streamKey } from "./events";

export interface LiveReaderOptions {
  /** Used by this reader only: XREAD BLOCK holds it. */
  blocking: Redis;
  /** Shared short commands: replay (XRANGE) and waking the blocking read. */
  commands: Redis;
  prefix: string;
  blockMs?: number;
  retryDelayMs?: number;
  /** Events queued for one subscriber before it falls back to replaying from its last id. */
  maxQueued?: number;
  onError?: (err: unknown) => void;
}

const PAGE = 200;

/** A subscriber's queue of live events; bounded, so a stalled client cannot grow it forever. */
class Mailbox {
  private items: StoredEvent[] = [];
  private wake: (() => void) | null = null;
  overflowed = false;

  constructor(private readonly max: number) {}

  push(e: StoredEvent): void {
    if (this.overflowed) return;
    if (this.items.length >= this.max) {
      this.overflowed = true;
      this.items = [];
    } else this.items.push(e);
    this.wake?.();
  }

  /** The next event; null when the signal aborts or the box overflowed (the caller replays). */
  async take(signal: AbortSignal): Promise<StoredEvent | null> {
    while (this.items.length === 0 && !this.overflowed && !signal.aborted) {
      await new Promise<void>((resolve) => {
        const done = () => {
          signal.removeEventListener("abort", done);
          this.wake = null;
          resolve();
        };
        this.wake = done;
        signal.addEventListener("abort", done, { once: true });
      });
    }
    if (signal.aborted || this.overflowed) return null;
    return this.items.shift() ?? null;
  }

  reset(): void {
    this.items = [];
    this.overflowed = false;
  }
}

interface Followed {
  /** The newest id the reader has handed out for this stream; null until it is known. */
  cursor: string | null;
  ready: Promise<void>;
  boxes: Set<Mailbox>;
}

function parse(id: string, fields: string[]): StoredEvent | null {
  const raw = fields[1];
  if (raw === undefined) return null;
  try {
    return { id, event: JSON.parse(raw) as TaskEvent };
  } catch {
    return null;
  }
}

export class SharedEventReader {
  private readonly followed = new Map<string, Followed>();
  private readonly wakeKey: string;
  private wakeCursor = "0";
  private closed = false;
  private readonly closing = new AbortController();
  private loop: Promise<void> | null = null;
  private readonly blockMs: number;
  private readonly retryDelayMs: number;
  private readonly maxQueued: number;

  constructor(private readonly opts: LiveReaderOptions) {
    this.wakeKey = `${opts.prefix}:events-wake:${randomUUID()}`;
    this.blockMs = opts.blockMs ?? 5000;
    this.retryDelayMs = opts.retryDelayMs ?? 500;
    this.maxQueued = opts.maxQueued ?? 2000;
  }

  /** Streams followed right now and their subscribers (for the load figures and tests). */
  stats(): { streams: number; subscribers: number } {
    let subscribers = 0;
    for (const f of this.followed.values()) subscribers += f.boxes.size;
    return { streams: this.followed.size, subscribers };
  }

  /**
   * Yields the task's events after `afterId` ("0": from the start), then live ones until the
   * signal aborts or the reader closes. `afterId` must be a stream id (see `isEventId`).
   */
  async *follow(opts: { taskId: string; afterId: string; signal: AbortSignal }): AsyncGenerator<StoredEvent> {
    if (!isEventId(opts.afterId)) throw new Error(`not an event id: ${opts.afterId.slice(0, 40)}`);
    const signal = AbortSignal.any([opts.signal, this.closing.signal]);
    const box = new Mailbox(this.maxQueued);
    const entry = this.join(opts.taskId, box);
    try {
      await entry.ready;
      let last = opts.afterId;
      while (!signal.aborted) {
        for await (const e of this.replay(opts.taskId, last, signal)) {
          last = e.id;
          yield e;
        }
        for (;;) {
          const e = await box.take(signal);
          if (!e) break;
          if (compareEventIds(e.id, last) <= 0) continue;
          last = e.id;
          yield e;
        }
        // Overflowed: the client is behind; what it missed is read back from the stream.
        box.reset();
      }
    } finally {
      this.leave(opts.taskId, box);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.closing.abort();
    await this.wake();
    await this.loop;
  }

  private join(taskId: string, box: Mailbox): Followed {
    let entry = this.followed.get(taskId);
    if (!entry) {
      const created: Followed = { cursor: null, ready: Promise.resolve(), boxes: new Set() };
      created.ready = this.newestId(taskId).then((id) => {
        created.cursor = id;
        void this.wake();
      });
      entry = created;
      this.followed.set(taskId, entry);
    }
    entry.boxes.add(box);
    this.loop ??= this.run();
    return entry;
  }

  private leave(taskId: string, box: Mailbox): void {
    const entry = this.followed.get(taskId);
    if (!entry) return;
    entry.boxes.delete(box);
    if (entry.boxes.size === 0) this.followed.delete(taskId);
  }

  /** The stream's newest id ("0" when empty), retried while Redis is away. */
  private async newestId(taskId: string): Promise<string> {
    for (;;) {
      try {
        const last = await this.opts.commands.xrevrange(
          streamKey(this.opts.prefix, taskId),
          "+",
          "-",
          "COUNT",
          1,
        );
        return last[0]?.[0] ?? "0";
      } catch (err) {
        if (this.closed) return "0";
        this.opts.onError?.(err);
        await this.pause();
      }
    }
  }

  private async *replay(taskId: string, afterId: string, signal: AbortSignal): AsyncGenerator<StoredEvent> {
    const key = streamKey(this.opts.prefix, taskId);
    let last = afterId;
    while (!signal.aborted) {
      let page: [string, string[]][];
      try {
        page = await this.opts.commands.xrange(key, last === "0" ? "-" : `(${last}`, "+", "COUNT", PAGE);
      } catch (err) {
        this.opts.onError?.(err);
        await this.pause();
        continue;
      }
      for (const [id, fields] of page) {
        last = id;
        const e = parse(id, fields);
        if (e) yield e;
      }
      if (page.length < PAGE) return;
    }
  }

  private async wake(): Promise<void> {
    try {
      await this.opts.commands
        .multi()
        .xadd(this.wakeKey, "MAXLEN", "1", "*", "w", "1")
        .expire(this.wakeKey, 3600)
        .exec();
    } catch {
      // The blocking read ends within blockMs anyway.
    }
  }

  private pause(): Promise<void> {
    return new Promise((r) => setTimeout(r, this.retryDelayMs));
  }

  private async run(): Promise<void> {
    const prefixLength = streamKey(this.opts.prefix, "").length;
    while (!this.closed) {
      const live = [...this.followed].filter(([, f]) => f.cursor !== null);
      const keys = [this.wakeKey, ...live.map(([id]) => streamKey(this.opts.prefix, id))];
      const ids = [this.wakeCursor, ...live.map(([, f]) => f.cursor!)];
      let reply: [string, [string, string[]][]][] | null;
      try {
        reply = await this.opts.blocking.xread(
          "COUNT",
          PAGE,
          "BLOCK",
          this.blockMs,
          "STREAMS",
          ...keys,
          ...ids,
        );
      } catch (err) {
        if (this.closed) break;
        this.opts.onError?.(err);
        await this.pause();
        continue;
      }
      for (const [key, entries] of reply ?? []) {
        if (key === this.wakeKey) {
          this.wakeCursor = entries.at(-1)?.[0] ?? this.wakeCursor;
          continue;
        }
        const entry = this.followed.get(key.slice(prefixLength));
        if (!entry) continue;
        for (const [id, fields] of entries) {
          // An entry re-created during the read starts at its own cursor: older ids are replayed.
          if (entry.cursor === null || compareEventIds(id, entry.cursor) <= 0) continue;
          entry.cursor = id;
          const e = parse(id, fields);
          if (e) for (const box of entry.boxes) box.push(e);
        }
      }
    }
    this.loop = null;
  }
}
