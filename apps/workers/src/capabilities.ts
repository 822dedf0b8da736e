/**
 * Publishes what this worker process can do (its stages and their engines) to Redis, so the
 * web server can show readiness and refuse uploads nothing could dub. Refreshed every
 * PUBLISH_MS; the entry expires TTL_MS after the last refresh (a killed worker drops out).
 */
import { randomUUID } from "node:crypto";
import os from "node:os";
import type { Logger } from "@vitranslator/pipeline";
import { publishCapabilities, removeCapabilities } from "@vitranslator/queue/capability-store";
import type { createRedis } from "@vitranslator/queue";
import type { EngineStatus } from "@vitranslator/queue/capabilities";

type Redis = ReturnType<typeof createRedis>;

export const CAPABILITY_TIMING = { PUBLISH_MS: 10_000, TTL_MS: 30_000 } as const;

export function startCapabilityPublisher(opts: {
  redis: Redis;
  prefix: string;
  stages: readonly string[];
  report: () => Promise<EngineStatus[]> | EngineStatus[];
  log: Logger;
  publishMs?: number;
}): { workerId: string; publishNow(): Promise<void>; stop(): Promise<void> } {
  const workerId = `${os.hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  const publishNow = async () => {
    const engines = await opts.report();
    await publishCapabilities(
      opts.redis,
      opts.prefix,
      { workerId, host: os.hostname(), pid: process.pid, stages: [...opts.stages], at: Date.now(), engines },
      CAPABILITY_TIMING.TTL_MS,
    );
  };
  const tick = () =>
    publishNow().catch((err: unknown) => opts.log.warn({ err }, "could not publish the engines report"));
  void tick();
  const timer = setInterval(() => void tick(), opts.publishMs ?? CAPABILITY_TIMING.PUBLISH_MS);
  timer.unref();
  return {
    workerId,
    publishNow,
    async stop() {
      clearInterval(timer);
      await removeCapabilities(opts.redis, opts.prefix, workerId).catch(() => undefined);
    },
  };
}
