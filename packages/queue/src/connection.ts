import { Redis } from "ioredis";

/** BullMQ workers need maxRetriesPerRequest null; one connection factory for all uses. */
export function createRedis(url: string, opts: { forWorker?: boolean } = {}): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: opts.forWorker ? null : 3,
    enableReadyCheck: true,
    lazyConnect: false,
  });
}
