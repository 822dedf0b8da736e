/**
 * The benchmark's stack: a private database, queue prefix and storage folder, the web
 * server as a process, and worker processes that can be added and stopped. Processes run
 * as `node --import tsx` (no wrapper process), so their peak RSS can be read from /proc.
 */
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { freePort } from "@vitranslator/testkit";
import { createTestDatabase } from "@vitranslator/db/testing";
import type { TestDatabase } from "@vitranslator/db/testing";

export const ROOT = path.resolve(import.meta.dirname, "..");

export interface BenchStack {
  baseUrl: string;
  env: NodeJS.ProcessEnv;
  db: TestDatabase;
  web: ChildProcess;
  workers: ChildProcess[];
  setWorkers(n: number): Promise<void>;
  stop(): Promise<void>;
}

function launch(file: string, env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", file], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let tail = "";
  child.stderr?.on("data", (d: Buffer) => (tail = (tail + d.toString()).slice(-4000)));
  child.on("exit", (code, signal) => {
    if (code && code !== 0 && signal === null) process.stderr.write(`${file} exited ${code}\n${tail}\n`);
  });
  return child;
}

async function stopChild(c: ChildProcess): Promise<void> {
  if (c.exitCode !== null || c.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const kill = setTimeout(() => c.kill("SIGKILL"), 15_000);
    c.on("exit", () => {
      clearTimeout(kill);
      resolve();
    });
    c.kill("SIGTERM");
  });
}

/** Peak resident memory (VmHWM) of a live process, in MB. */
export async function peakRssMb(pid: number | undefined): Promise<number | null> {
  if (!pid) return null;
  try {
    const status = await readFile(`/proc/${pid}/status`, "utf8");
    const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1]);
    return Number.isFinite(kb) ? Math.round(kb / 1024) : null;
  } catch {
    return null;
  }
}

export async function startBenchStack(opts: { llmUrl: string; workers: number }): Promise<BenchStack> {
  const db = await createTestDatabase();
  const storageDir = await mkdtemp(path.join(os.tmpdir(), "vt-bench-"));
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: db.url,
    REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
    STORAGE_DIR: storageDir,
    QUEUE_PREFIX: `bench-${randomUUID()}`,
    PORT: String(port),
    HOST: "127.0.0.1",
    LLM_BASE_URL: opts.llmUrl,
    LLM_API_KEY: "bench",
    LLM_MODEL: "fake-translator",
    LOG_LEVEL: "warn",
    LOG_FORMAT: "json",
    NODE_ENV: "production",
  };
  const web = launch("apps/web/server/main.ts", env);
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(`${baseUrl}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline || web.exitCode !== null) throw new Error("web server did not start");
    await new Promise((r) => setTimeout(r, 200));
  }
  const stack: BenchStack = {
    baseUrl,
    env,
    db,
    web,
    workers: [],
    async setWorkers(n) {
      while (stack.workers.length > n) await stopChild(stack.workers.pop()!);
      while (stack.workers.length < n) stack.workers.push(launch("apps/workers/src/main.ts", env));
    },
    async stop() {
      await Promise.all([...stack.workers, web].map(stopChild));
      await db.drop();
      await rm(storageDir, { recursive: true, force: true });
    },
  };
  await stack.setWorkers(opts.workers);
  return stack;
}
