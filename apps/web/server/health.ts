/** Reachability of the web server's dependencies, each check bounded so a probe never hangs. */
import type { Db } from "@vitranslator/db";
import type { Redis } from "ioredis";

const within = <T>(p: Promise<T>, ms: number) =>
  Promise.race([
    p,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error("timeout")), ms).unref()),
  ]);

export function createDependencyCheck(deps: { db: Db; redis: Redis; timeoutMs?: number }) {
  const ms = deps.timeoutMs ?? 2000;
  return async (): Promise<{ db: boolean; redis: boolean }> => {
    const [db, redis] = await Promise.all([
      within(deps.db.$queryRaw`SELECT 1`, ms).then(
        () => true,
        () => false,
      ),
      within(deps.redis.ping(), ms).then(
        () => true,
        () => false,
      ),
    ]);
    return { db, redis };
  };
}
