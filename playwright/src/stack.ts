/**
 * Starts the real stack for browser tests: a private Postgres database, a private queue
 * prefix and storage folder, the web server and a worker process (as `npm start` runs
 * them), and the local OpenAI-protocol stand-in for translation.
 */
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createTestDatabase } from "@vitranslator/db/testing";
import type { TestDatabase } from "@vitranslator/db/testing";
import { freePort, startFakeOpenAi } from "@vitranslator/testkit";
import type { FakeOpenAi } from "@vitranslator/testkit";

export const ROOT = path.resolve(import.meta.dirname, "..", "..");

export interface Stack {
  baseUrl: string;
  storageDir: string;
  db: TestDatabase;
  llm: FakeOpenAi;
  logs: string[];
  stop(): Promise<void>;
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`web server exited with ${child.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`web server not healthy after ${timeoutMs} ms`);
}

export async function startStack(
  opts: { llmLatencyMs?: number; env?: Record<string, string> } = {},
): Promise<Stack> {
  const db = await createTestDatabase();
  const llm = await startFakeOpenAi({ latencyMs: opts.llmLatencyMs ?? 0 });
  const storageDir = await mkdtemp(path.join(os.tmpdir(), "vt-e2e-"));
  const port = await freePort();
  const env = {
    ...process.env,
    DATABASE_URL: db.url,
    REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
    STORAGE_DIR: storageDir,
    QUEUE_PREFIX: `e2e-${randomUUID()}`,
    PORT: String(port),
    HOST: "127.0.0.1",
    LLM_BASE_URL: llm.url,
    LLM_API_KEY: "e2e",
    LLM_MODEL: "fake-translator",
    LOG_FORMAT: "json",
    NODE_ENV: "production",
    ...opts.env,
  };
  const tsx = path.join(ROOT, "node_modules", ".bin", "tsx");
  const logs: string[] = [];
  const children = [
    spawn(tsx, ["apps/web/server/main.ts"], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] }),
    spawn(tsx, ["apps/workers/src/main.ts"], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] }),
  ];
  for (const c of children) {
    c.stdout?.on("data", (d: Buffer) => logs.push(d.toString()));
    c.stderr?.on("data", (d: Buffer) => logs.push(d.toString()));
  }
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitForHealth(`${baseUrl}/healthz`, children[0]!, 60_000);
  return {
    baseUrl,
    storageDir,
    db,
    llm,
    logs,
    async stop() {
      await Promise.all(
        children.map(
          (c) =>
            new Promise<void>((resolve) => {
              if (c.exitCode !== null) return resolve();
              const kill = setTimeout(() => c.kill("SIGKILL"), 10_000);
              c.on("exit", () => {
                clearTimeout(kill);
                resolve();
              });
              c.kill("SIGTERM");
            }),
        ),
      );
      await llm.close();
      await db.drop();
      await rm(storageDir, { recursive: true, force: true });
    },
  };
}
