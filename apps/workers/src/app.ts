/** Builds the workers for a set of stages; main.ts runs it, tests start it in-process. */
import { Worker } from "bullmq";
import { createDb, createTaskStore } from "@vitranslator/db";
import { failTask } from "@vitranslator/tasks";
import { createLocalStorage, readModelPackProgress } from "@vitranslator/pipeline";
import type { Engines } from "@vitranslator/pipeline";
import type { AppLogger } from "@vitranslator/service";
import { closeQueues, createQueues, createRedis, EventBus } from "@vitranslator/queue";
import type { StageName } from "@vitranslator/queue";
import { startCapabilityPublisher } from "./capabilities";
import { createEngineSet, enginesOf, reportEngines, reportGivenEngines } from "./engines";
import { stageConcurrency } from "./env";
import type { WorkerEnv } from "./env";
import { checkHealth, startHealthServer } from "./health";
import { startHousekeeping } from "./housekeeping";
import { createProcessor } from "./processor";

/**
 * A SIGKILLed worker's job is found by the stalled-job check once its lock expires, so
 * recovery takes about LOCK_MS + STALLED_CHECK_MS. Locks are renewed every LOCK_MS / 2,
 * which the event loop can always do (heavy work runs in child processes). A job whose
 * worker died MAX_STALLED times is failed (and its task with it) rather than looping.
 */
export const WORKER_TIMING = { LOCK_MS: 15_000, STALLED_CHECK_MS: 5_000, MAX_STALLED: 5 } as const;

export interface RunningWorkers {
  workers: Worker[];
  /** Waits for in-flight jobs (up to `graceMs`), then closes every connection. */
  close(graceMs?: number): Promise<void>;
}

/** `engines` replaces the configured engines (the benchmark measures orchestration with instant ones). */
export function startWorkers(opts: {
  env: WorkerEnv;
  stages: StageName[];
  log: AppLogger;
  engines?: Engines;
}): RunningWorkers {
  const { env, log } = opts;
  const db = createDb({ url: env.DATABASE_URL });
  const redis = createRedis(env.REDIS_URL);
  const queues = createQueues(redis, env.QUEUE_PREFIX);
  const engineSet = opts.engines ? null : createEngineSet(env, log);
  const engines = opts.engines ?? enginesOf(engineSet ?? createEngineSet(env, log));
  const deps = {
    db,
    store: createTaskStore(db),
    events: new EventBus(redis, env.QUEUE_PREFIX),
    queues,
    engines,
    storage: createLocalStorage(env.STORAGE_DIR),
    config: {
      maxSpeed: env.ALIGN_MAX_SPEED,
      minSpeed: env.ALIGN_MIN_SPEED,
      maxShortenAttempts: env.ALIGN_MAX_SHORTEN_ATTEMPTS,
      ttsConcurrency: env.TTS_CONCURRENCY,
    },
    log,
  };
  // Without listeners a lost connection would be an unhandled 'error' event; ioredis
  // reconnects on its own and BullMQ resumes, so logging is all there is to do.
  redis.on("error", (err) => log.warn({ err }, "redis connection error"));
  for (const q of Object.values(queues)) q.on("error", (err) => log.warn({ err }, "queue connection error"));
  // BullMQ does not close a connection it was given: close() does.
  const connections: ReturnType<typeof createRedis>[] = [];
  const workers = opts.stages.map((stage) => {
    const connection = createRedis(env.REDIS_URL, { forWorker: true });
    connections.push(connection);
    connection.on("error", (err) => log.warn({ err, stage }, "worker redis connection error"));
    const worker = new Worker(stage, createProcessor(stage, deps), {
      connection,
      prefix: env.QUEUE_PREFIX,
      concurrency: stageConcurrency(stage, env.WORKER_CONCURRENCY),
      lockDuration: WORKER_TIMING.LOCK_MS,
      stalledInterval: WORKER_TIMING.STALLED_CHECK_MS,
      maxStalledCount: WORKER_TIMING.MAX_STALLED,
    });
    worker.on("error", (err) => log.error({ err, stage }, "worker error"));
    // The processor fails the task itself on bad input or its last attempt; a job that
    // stalled too often never reaches it, so its task is failed here.
    worker.on("failed", (job, err) => {
      if (!job || !/stalled more than allowable limit/i.test(err.message)) return;
      const taskId = (job.data as { taskId?: string }).taskId;
      if (!taskId) return;
      const failure = {
        code: "JOB_STALLED",
        message: "A worker died while running this step too many times.",
        stage,
      };
      void failTask(deps, taskId, failure).catch((e: unknown) =>
        log.error({ err: e, taskId }, "could not fail a stalled task"),
      );
    });
    return worker;
  });
  const housekeeping = startHousekeeping(
    { db, redis, storage: deps.storage, events: deps.events, prefix: env.QUEUE_PREFIX, log },
    { retentionDays: env.RETENTION_DAYS, intervalMs: env.HOUSEKEEPING_INTERVAL_MIN * 60_000 },
  );
  const capabilities = startCapabilityPublisher({
    redis,
    prefix: env.QUEUE_PREFIX,
    stages: opts.stages,
    report: () =>
      engineSet ? reportEngines(engineSet, opts.stages) : reportGivenEngines(engines, opts.stages),
    downloads: () => readModelPackProgress(env.MODELS_DIR),
    log,
  });
  const health =
    env.WORKER_HEALTH_PORT === undefined
      ? null
      : startHealthServer({
          port: env.WORKER_HEALTH_PORT,
          check: () => checkHealth({ db, redis, stages: opts.stages }),
        }).catch((err: unknown) => {
          log.error({ err, port: env.WORKER_HEALTH_PORT }, "health server not started");
          return null;
        });
  return {
    workers,
    async close(graceMs = 25_000) {
      // close() lets running jobs finish; one still running after the grace period is
      // handed back to the queue by BullMQ's stalled-job check and retried elsewhere.
      housekeeping.stop();
      await capabilities.stop();
      (await health)?.close();
      await Promise.race([
        Promise.all(workers.map((w) => w.close())),
        new Promise((r) => setTimeout(r, graceMs).unref()),
      ]);
      await closeQueues(queues);
      for (const c of connections) c.disconnect();
      redis.disconnect();
      await db.$disconnect();
      if (engineSet) await engineSet.close();
      else engines.tts.close?.();
    },
  };
}
