/** The workers' configuration: read and validated here only. */
import { dbEnv } from "@vitranslator/db/env";
import { queueEnv } from "@vitranslator/queue/env";
import { logEnv, parseEnv, storageEnv } from "@vitranslator/service/env";
import { z } from "zod";
import { engineEnvShape } from "./engines/registries";

const num = (def: number) => z.coerce.number().positive().default(def);

const schema = z.object({
  ...dbEnv,
  ...queueEnv,
  ...storageEnv,
  ...logEnv,
  /**
   * Engine variables: the shared ones, each engine declaration's own (engines/<kind>/<name>.ts)
   * and one selector per kind (ASR_ENGINE, TRANSLATION_ENGINE, TTS_ENGINE, SEPARATOR,
   * SEGMENT_DETECTOR, DIARIZATION), each taking "auto", an engine's name or its "off" value.
   */
  ...engineEnvShape,
  ALIGN_MAX_SPEED: z.coerce.number().min(1).max(2).default(1.2),
  ALIGN_MIN_SPEED: z.coerce.number().min(0.5).max(1).default(0.93),
  ALIGN_MAX_SHORTEN_ATTEMPTS: z.coerce.number().int().min(0).max(5).default(2),
  TTS_CONCURRENCY: num(2),
  WORKER_CONCURRENCY: num(2),
  WORKER_STAGES: z.string().optional(),
  /** Finished tasks older than this lose their media, rows and event streams. */
  RETENTION_DAYS: num(30),
  HOUSEKEEPING_INTERVAL_MIN: num(60),
  /** Serves GET /healthz on this port when set. */
  WORKER_HEALTH_PORT: z.coerce.number().int().min(0).max(65535).optional(),
});

export type WorkerEnv = z.infer<typeof schema>;

export function loadEnv(source: NodeJS.ProcessEnv = process.env): WorkerEnv {
  return parseEnv(schema, source, "worker");
}

/** Per-stage concurrency override: WORKER_CONCURRENCY_TTS=4 etc. */
export function stageConcurrency(
  stage: string,
  fallback: number,
  source: NodeJS.ProcessEnv = process.env,
): number {
  const v = Number(source[`WORKER_CONCURRENCY_${stage.toUpperCase()}`]);
  return Number.isFinite(v) && v > 0 ? Math.floor(v) : fallback;
}
