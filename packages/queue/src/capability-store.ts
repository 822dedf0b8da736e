/**
 * Workers' capabilities in Redis: one key per worker process with a TTL (refreshed while
 * it runs, gone soon after it dies) and a sorted set of worker ids by expiry, so readers
 * find them without scanning the keyspace.
 */
import type { Redis } from "ioredis";
import { workerCapabilitiesSchema } from "./capabilities";
import type { WorkerCapabilities } from "./capabilities";

const indexKey = (prefix: string) => `${prefix}:workers`;
const entryKey = (prefix: string, id: string) => `${prefix}:worker:${id}`;

export async function publishCapabilities(
  redis: Redis,
  prefix: string,
  caps: WorkerCapabilities,
  ttlMs: number,
): Promise<void> {
  await redis
    .multi()
    .set(entryKey(prefix, caps.workerId), JSON.stringify(caps), "PX", ttlMs)
    .zadd(indexKey(prefix), Date.now() + ttlMs, caps.workerId)
    .exec();
}

export async function removeCapabilities(redis: Redis, prefix: string, workerId: string): Promise<void> {
  await redis.multi().del(entryKey(prefix, workerId)).zrem(indexKey(prefix), workerId).exec();
}

/** Every live worker's capabilities (expired and unreadable entries are left out). */
export async function readCapabilities(redis: Redis, prefix: string): Promise<WorkerCapabilities[]> {
  await redis.zremrangebyscore(indexKey(prefix), "-inf", Date.now());
  const ids = await redis.zrange(indexKey(prefix), 0, -1);
  if (ids.length === 0) return [];
  const raw = await redis.mget(...ids.map((id) => entryKey(prefix, id)));
  return raw.flatMap((r) => {
    if (!r) return [];
    try {
      const parsed = workerCapabilitiesSchema.safeParse(JSON.parse(r));
      return parsed.success ? [parsed.data] : [];
    } catch {
      return [];
    }
  });
}
