/** Runs the real workers in-process against a private database, queue prefix and storage folder. */
import { randomUUID } from "node:crypto";
import { copyFile, mkdtemp, mkdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { getTaskSnapshot, newTaskId } from "@vitranslator/db";
import { createTask } from "@vitranslator/tasks";
import { createTestDatabase } from "@vitranslator/db/testing";
import type { TestDatabase } from "@vitranslator/db/testing";
import { createLogger } from "@vitranslator/service";
import { createQueues, createRedis, EventBus, closeQueues, STAGE_NAMES } from "@vitranslator/queue";
import type { StageName, TaskEvent } from "@vitranslator/queue";
import { startFakeOpenAi } from "@vitranslator/testkit";
import type { FakeOpenAi } from "@vitranslator/testkit";
import { startWorkers } from "../src/app";
import type { RunningWorkers } from "../src/app";
import { loadEnv } from "../src/env";
import type { WorkerEnv } from "../src/env";

export interface Harness {
  env: WorkerEnv;
  t: TestDatabase;
  llm: FakeOpenAi;
  storageDir: string;
  start(stages?: StageName[], overrides?: Partial<Record<string, string>>): RunningWorkers;
  submit(opts: {
    video: string;
    subtitles?: string;
    targetLanguage?: string;
    /** Every dub language (targetLanguage first); default: targetLanguage alone. */
    languages?: string[];
    sourceLanguage?: string;
    burnSubtitles?: boolean;
  }): Promise<string>;
  /**
   * Resolves with every event (after `afterId`, default all) once the task completes or
   * fails (or rejects after timeoutMs).
   */
  waitForEnd(taskId: string, timeoutMs?: number, afterId?: string): Promise<TaskEvent[]>;
  /** Id of the task's last event so far ("0" when none). */
  lastEventId(taskId: string): Promise<string>;
  snapshot(taskId: string, language?: string): ReturnType<typeof getTaskSnapshot>;
  /** Stops every worker started so far. */
  stopWorkers(): Promise<void>;
  close(): Promise<void>;
}

export async function createHarness(): Promise<Harness> {
  const t = await createTestDatabase();
  const llm = await startFakeOpenAi({});
  const storageDir = await mkdtemp(path.join(os.tmpdir(), "vt-workers-"));
  const prefix = `test-${randomUUID()}`;
  const raw: NodeJS.ProcessEnv = {
    DATABASE_URL: t.url,
    REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
    STORAGE_DIR: storageDir,
    QUEUE_PREFIX: prefix,
    LLM_BASE_URL: llm.url,
    LLM_API_KEY: "test",
    LLM_MODEL: "fake-translator",
    LOG_LEVEL: "warn",
    LOG_FORMAT: "json",
  };
  const env = loadEnv(raw);
  const redis = createRedis(env.REDIS_URL);
  const queues = createQueues(redis, prefix);
  const running: RunningWorkers[] = [];
  const log = createLogger({ level: "warn", format: "json" });

  return {
    env,
    t,
    llm,
    storageDir,
    start(stages = [...STAGE_NAMES], overrides = {}) {
      const w = startWorkers({ env: loadEnv({ ...raw, ...overrides }), stages, log });
      running.push(w);
      return w;
    },
    async submit(opts) {
      const id = newTaskId();
      const dir = path.join(storageDir, "tasks", id, "source");
      await mkdir(dir, { recursive: true });
      await copyFile(opts.video, path.join(dir, "original.mp4"));
      if (opts.subtitles) await copyFile(opts.subtitles, path.join(dir, "subtitles.srt"));
      // The same command the web server's upload calls.
      await createTask(
        { db: t.db, queues, events: new EventBus(redis, prefix) },
        {
          id,
          originalName: path.basename(opts.video),
          sourceLanguage: opts.sourceLanguage ?? "en",
          targetLanguage: opts.languages?.[0] ?? opts.targetLanguage ?? "fr",
          ...(opts.languages ? { languages: opts.languages } : {}),
          options: { burnSubtitles: opts.burnSubtitles ?? false },
          sourceFile: "source/original.mp4",
          subtitleFile: opts.subtitles ? "source/subtitles.srt" : null,
        },
      );
      return id;
    },
    lastEventId: (taskId) => new EventBus(redis, prefix).lastId(taskId),
    async waitForEnd(taskId, timeoutMs = 240_000, afterId = "0") {
      const reader = createRedis(env.REDIS_URL);
      const ac = new AbortController();
      const timer = setTimeout(() => ac.abort(), timeoutMs);
      const seen: TaskEvent[] = [];
      try {
        for await (const e of new EventBus(reader, prefix).tail({
          taskId,
          afterId,
          signal: ac.signal,
          blockMs: 1000,
        })) {
          seen.push(e.event);
          if (e.event.type === "task" && (e.event.status === "completed" || e.event.status === "failed"))
            return seen;
        }
        throw new Error(
          `task ${taskId} did not finish within ${timeoutMs} ms; events: ${JSON.stringify(seen.map((s) => s.type))}`,
        );
      } finally {
        clearTimeout(timer);
        reader.disconnect();
      }
    },
    snapshot: (taskId, language) => getTaskSnapshot(t.db, taskId, language),
    async stopWorkers() {
      await Promise.all(running.splice(0).map((w) => w.close(5000)));
    },
    async close() {
      await Promise.all(running.splice(0).map((w) => w.close(5000)));
      for (const q of Object.values(queues)) await q.obliterate({ force: true }).catch(() => undefined);
      await closeQueues(queues);
      await redis.del(...(await redis.keys(`${prefix}:*`)), "__none__");
      redis.disconnect();
      await llm.close();
      await t.drop();
      await rm(storageDir, { recursive: true, force: true });
    },
  };
}
