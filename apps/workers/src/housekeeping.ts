/**
 * Periodic clean-up, run by whichever worker process takes the sweep's Redis lock first:
 * finished tasks past retention lose their rows, media and event stream; task folders
 * without a row (an upload that died half-way, a job that wrote after a delete) are
 * removed once they are an hour old.
 */
import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import { existingTaskIds, listExpiredTasks, purgeTask } from "@vitranslator/db";
import type { Db } from "@vitranslator/db";
import type { Storage } from "@vitranslator/pipeline";
import type { AppLogger } from "@vitranslator/service";
import type { EventBus } from "@vitranslator/queue";
import type { Redis } from "ioredis";

export const ORPHAN_AGE_MS = 60 * 60_000;

export interface HousekeepingDeps {
  db: Db;
  redis: Redis;
  storage: Storage;
  events: EventBus;
  prefix: string;
  log: AppLogger;
}

export interface SweepResult {
  expired: string[];
  orphans: string[];
}

export async function sweep(
  deps: HousekeepingDeps,
  opts: { retentionDays: number; now?: Date },
): Promise<SweepResult> {
  const now = opts.now ?? new Date();
  const before = new Date(now.getTime() - opts.retentionDays * 24 * 3600_000);
  const expired: string[] = [];
  for (;;) {
    const batch = await listExpiredTasks(deps.db, { before, limit: 100 });
    if (batch.length === 0) break;
    for (const id of batch) {
      await purgeTask(
        {
          db: deps.db,
          removeMedia: (taskId) => deps.storage.removeTask(taskId),
          removeEvents: (taskId) => deps.events.deleteStream(taskId),
        },
        id,
      );
      expired.push(id);
    }
  }
  const orphans: string[] = [];
  const tasksRoot = path.join(deps.storage.root, "tasks");
  const names = await readdir(tasksRoot).catch(() => [] as string[]);
  const old: string[] = [];
  for (const name of names) {
    const info = await stat(path.join(tasksRoot, name)).catch(() => null);
    if (info?.isDirectory() && now.getTime() - info.mtimeMs > ORPHAN_AGE_MS) old.push(name);
  }
  const known = await existingTaskIds(deps.db, old);
  for (const name of old) {
    if (known.has(name)) continue;
    await deps.storage
      .removeTask(name)
      .catch((err: unknown) => deps.log.warn({ err, name }, "orphan not removed"));
    orphans.push(name);
  }
  if (expired.length || orphans.length)
    deps.log.info({ expired: expired.length, orphans: orphans.length }, "housekeeping");
  return { expired, orphans };
}

/** Sweeps every `intervalMs`; the lock makes one process do it per interval across the fleet. */
export function startHousekeeping(
  deps: HousekeepingDeps,
  opts: { retentionDays: number; intervalMs: number },
): { stop(): void } {
  const lockKey = `${deps.prefix}:housekeeping`;
  const tick = async () => {
    const got = await deps.redis.set(lockKey, String(process.pid), "PX", opts.intervalMs, "NX");
    if (got === "OK") await sweep(deps, { retentionDays: opts.retentionDays });
  };
  const run = () => void tick().catch((err: unknown) => deps.log.warn({ err }, "housekeeping failed"));
  const first = setTimeout(run, 10_000);
  const timer = setInterval(run, opts.intervalMs);
  first.unref();
  timer.unref();
  return {
    stop() {
      clearTimeout(first);
      clearInterval(timer);
    },
  };
}
