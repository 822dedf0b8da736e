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
import type { Downloads, EngineStatus } from "@vitranslator/queue/capabilities";

type Redis = ReturnType<typeof createRedis>;

/** Every PUBLISH_MS, every DOWNLOAD_MS while a model download runs (the upload page shows its progress). */
export const CAPABILITY_TIMING = { PUBLISH_MS: 10_000, DOWNLOAD_MS: 2_000, TTL_MS: 30_000 } as const;

export function startCapabilityPublisher(opts: {
  redis: Redis;
  prefix: string;
  stages: readonly string[];
  report: () => Promise<EngineStatus[]> | EngineStatus[];
  /** The model download in this worker's MODELS_DIR, or null. */
  downloads?: () => Promise<Downloads | null>;
  log: Logger;
  publishMs?: number;
}): { workerId: string; publishNow(): Promise<void>; stop(): Promise<void> } {
  const workerId = `${os.hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  let downloading = false;
  const publishNow = async () => {
    const [engines, downloads] = await Promise.all([opts.report(), opts.downloads?.() ?? null]);
    downloading = downloads?.state === "running";
    await publishCapabilities(
      opts.redis,
      opts.prefix,
      {
        workerId,
        host: os.hostname(),
        pid: process.pid,
        stages: [...opts.stages],
        at: Date.now(),
        engines,
        downloads,
      },
      CAPABILITY_TIMING.TTL_MS,
    );
  };
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const tick = async () => {
    await publishNow().catch((err: unknown) =>
      opts.log.warn({ err }, "could not publish the engines report"),
    );
    if (stopped) return;
    const every = downloading
      ? CAPABILITY_TIMING.DOWNLOAD_MS
      : (opts.publishMs ?? CAPABILITY_TIMING.PUBLISH_MS);
    timer = setTimeout(() => void tick(), every);
    timer.unref();
  };
  void tick();
  return {
    workerId,
    publishNow,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await removeCapabilities(opts.redis, opts.prefix, workerId).catch(() => undefined);
    },
  };
}
