#!/usr/bin/env -S npx tsx
/**
 * The stage workers: one process serving all eight queues, or the subset named by
 * `--stages a,b` (or WORKER_STAGES). Run as many processes, on as many machines, as you
 * like against the same Redis, Postgres and storage root.
 */
import { parseArgs } from "node:util";
import { Worker } from "bullmq";
import { createDb, createTaskStore } from "@vitranslator/db";
import { createLocalStorage, createLogger } from "@vitranslator/pipeline";
import { createQueues, createRedis, closeQueues, EventBus, parseStages, QUEUE_PREFIX } from "@vitranslator/queue";
import { createEngines } from "./engines";
import { loadEnv, stageConcurrency } from "./env";
import { createProcessor } from "./processor";

const { values } = parseArgs({ options: { stages: { type: "string" } }, allowPositionals: false });
const env = loadEnv();
const log = createLogger({ level: env.LOG_LEVEL, format: env.LOG_FORMAT, bindings: { service: "workers", pid: process.pid } });
const served = parseStages(values.stages ?? env.WORKER_STAGES);

const db = createDb({ url: env.DATABASE_URL });
const redis = createRedis(env.REDIS_URL);
const events = new EventBus(redis, QUEUE_PREFIX);
const queues = createQueues(redis);
const deps = {
  db,
  store: createTaskStore(db),
  events,
  queues,
  engines: createEngines(env, log),
  storage: createLocalStorage(env.STORAGE_DIR),
  config: {
    maxSpeed: env.ALIGN_MAX_SPEED,
    minSpeed: env.ALIGN_MIN_SPEED,
    maxShortenAttempts: env.ALIGN_MAX_SHORTEN_ATTEMPTS,
    ttsConcurrency: env.TTS_CONCURRENCY,
  },
  log,
};

const workers = served.map((stage) => {
  const worker = new Worker(stage, createProcessor(stage, deps), {
    connection: createRedis(env.REDIS_URL, { forWorker: true }),
    prefix: QUEUE_PREFIX,
    concurrency: stageConcurrency(stage, env.WORKER_CONCURRENCY),
    // ffmpeg and espeak run as child processes, so the event loop stays free to renew locks.
    lockDuration: 60_000,
  });
  worker.on("error", (err) => log.error({ err, stage }, "worker error"));
  return worker;
});
log.info({ stages: served }, "workers ready");

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, "shutting down: finishing in-flight jobs");
  // close() waits for running jobs; a job not finished in time is handed back by BullMQ's stalled check.
  await Promise.race([Promise.all(workers.map((w) => w.close())), new Promise((r) => setTimeout(r, 25_000))]);
  await closeQueues(queues);
  redis.disconnect();
  await db.$disconnect();
  log.info({}, "stopped");
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
