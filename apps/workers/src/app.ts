/** Builds the workers for a set of stages; main.ts runs it, tests start it in-process. */
import { Worker } from "bullmq";
import { createDb, createTaskStore } from "@vitranslator/db";
import { createLocalStorage } from "@vitranslator/pipeline";
import type { AppLogger, Engines } from "@vitranslator/pipeline";
import { closeQueues, createQueues, createRedis, EventBus } from "@vitranslator/queue";
import type { StageName } from "@vitranslator/queue";
import { createEngines } from "./engines";
import { stageConcurrency } from "./env";
import type { WorkerEnv } from "./env";
import { createProcessor } from "./processor";

export interface RunningWorkers {
  workers: Worker[];
  /** Waits for in-flight jobs (up to `graceMs`), then closes every connection. */
  close(graceMs?: number): Promise<void>;
}

/** `engines` replaces the configured engines (the benchmark measures orchestration with instant ones). */
export function startWorkers(opts: { env: WorkerEnv; stages: StageName[]; log: AppLogger; engines?: Engines }): RunningWorkers {
  const { env, log } = opts;
  const db = createDb({ url: env.DATABASE_URL });
  const redis = createRedis(env.REDIS_URL);
  const queues = createQueues(redis, env.QUEUE_PREFIX);
  const deps = {
    db,
    store: createTaskStore(db),
    events: new EventBus(redis, env.QUEUE_PREFIX),
    queues,
    engines: opts.engines ?? createEngines(env, log),
    storage: createLocalStorage(env.STORAGE_DIR),
    config: {
      maxSpeed: env.ALIGN_MAX_SPEED,
      minSpeed: env.ALIGN_MIN_SPEED,
      maxShortenAttempts: env.ALIGN_MAX_SHORTEN_ATTEMPTS,
      ttsConcurrency: env.TTS_CONCURRENCY,
    },
    log,
  };
  const workers = opts.stages.map((stage) => {
    const worker = new Worker(stage, createProcessor(stage, deps), {
      connection: createRedis(env.REDIS_URL, { forWorker: true }),
      prefix: env.QUEUE_PREFIX,
      concurrency: stageConcurrency(stage, env.WORKER_CONCURRENCY),
      // ffmpeg and espeak run as child processes, so the event loop stays free to renew locks.
      lockDuration: 60_000,
    });
    worker.on("error", (err) => log.error({ err, stage }, "worker error"));
    return worker;
  });
  return {
    workers,
    async close(graceMs = 25_000) {
      // close() lets running jobs finish; one still running after the grace period is
      // handed back to the queue by BullMQ's stalled-job check and retried elsewhere.
      await Promise.race([
        Promise.all(workers.map((w) => w.close())),
        new Promise((r) => setTimeout(r, graceMs)),
      ]);
      await closeQueues(queues);
      redis.disconnect();
      await db.$disconnect();
    },
  };
}
