#!/usr/bin/env -S npx tsx
/**
 * The stage workers: one process serving all eight queues, or the subset named by
 * `--stages a,b` (or WORKER_STAGES). Run as many processes, on as many machines, as you
 * like against the same Redis, Postgres and storage root.
 */
import { parseArgs } from "node:util";
import { createLogger } from "@vitranslator/service";
import { parseStages } from "@vitranslator/queue";
import { startWorkers } from "./app";
import { loadEnv } from "./env";

const { values } = parseArgs({ options: { stages: { type: "string" } }, allowPositionals: false });
const env = loadEnv();
const log = createLogger({
  level: env.LOG_LEVEL,
  format: env.LOG_FORMAT,
  bindings: { service: "workers", pid: process.pid },
});
const stages = parseStages(values.stages ?? env.WORKER_STAGES);
const running = startWorkers({ env, stages, log });
log.info({ stages }, "workers ready");

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, "shutting down: finishing in-flight jobs");
  await running.close();
  log.info({}, "stopped");
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
