/**
 * The real stack for the benchmark, the browser tests and chaos: a private database, queue
 * prefix and storage folder, the web server and N worker processes (as `npm start` runs
 * them), the local OpenAI-protocol stand-in for translation, and — for runs that restart
 * them — a private Redis and Postgres.
 *
 * The database comes from the caller (`@vitranslator/db/testing`): testkit is a dev
 * dependency of the packages db depends on, so it cannot depend on db itself.
 */
import { randomUUID } from "node:crypto";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { startFakeOpenAi } from "../fake-openai";
import type { FakeOpenAi, FakeOpenAiBehaviour } from "../fake-openai";
import { freePort } from "../net";
import { StackProcess } from "./process";
import { ThrowawayPostgres, ThrowawayRedis } from "./services";

export const REPO_ROOT = path.resolve(import.meta.dirname, "..", "..", "..", "..");

export interface StackDatabase {
  url: string;
  drop(): Promise<void>;
}

export interface StackOptions<D extends StackDatabase> {
  /** Creates the private database; `adminUrl` is the private Postgres's when one was asked for. */
  database: (ctx: { adminUrl: string | null }) => Promise<D>;
  /** Names the temp folder, the queue prefix and the API key: `vt-<name>-…`, `<name>-<uuid>`. */
  name?: string;
  /** Worker processes started at once (default 1). */
  workers?: number;
  /** The web server's mode; `false` starts none. Production needs `npm run build` first. */
  web?: "production" | "development" | false;
  /** A stand-in LLM started here (default: one at 0 ms latency), or an endpoint of the caller's. */
  llm?: { latencyMs?: number; behaviour?: FakeOpenAiBehaviour } | { url: string };
  /** A throwaway Redis / Postgres on their own ports (for runs that restart them). */
  privateRedis?: boolean;
  privatePostgres?: boolean;
  /** Extra variables for every process (they win over the defaults). */
  env?: Record<string, string>;
  /** Also write each process's output to `<dir>/<process>.log`. */
  logFiles?: boolean;
  /** How long the web server may take to answer /readyz (default 90 s). */
  webReadyMs?: number;
}

export interface Stack<D extends StackDatabase> {
  /** The temp folder holding storage, logs and the private services' files. */
  dir: string;
  storageDir: string;
  baseUrl: string;
  port: number;
  queuePrefix: string;
  /** The environment every process gets. */
  env: NodeJS.ProcessEnv;
  db: D;
  llm: FakeOpenAi | null;
  redis: ThrowawayRedis | null;
  postgres: ThrowawayPostgres | null;
  web: StackProcess | null;
  workers: StackProcess[];
  /** Starts one more worker process. */
  addWorker(): StackProcess;
  /** Adds worker processes or stops the newest ones (SIGTERM) until there are `n`. */
  setWorkers(n: number): Promise<void>;
  /** Resolves once the web server answers /readyz (its database and Redis are reachable). */
  waitForWeb(timeoutMs?: number): Promise<void>;
  /** The output tail of every process, for a failure message. */
  logs(): string;
  /**
   * Ends everything. `kill` sends SIGKILL instead of a graceful SIGTERM; `keepFiles` leaves
   * the temp folder (logs, storage) for a post-mortem.
   */
  stop(opts?: { kill?: boolean; keepFiles?: boolean }): Promise<void>;
}

const reportCrash = (p: StackProcess, code: number) =>
  process.stderr.write(`${p.name} exited with code ${code}\n${p.tail}\n`);

export async function startStack<D extends StackDatabase>(opts: StackOptions<D>): Promise<Stack<D>> {
  const name = opts.name ?? "stack";
  const dir = await mkdtemp(path.join(os.tmpdir(), `vt-${name}-`));
  const storageDir = path.join(dir, "storage");
  await mkdir(storageDir, { recursive: true });
  const cleanups: (() => Promise<void>)[] = [];
  const undo = async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    let redis: ThrowawayRedis | null = null;
    if (opts.privateRedis) {
      const r = new ThrowawayRedis(await freePort(), path.join(dir, "redis"));
      await r.start();
      cleanups.push(() => r.stop());
      redis = r;
    }
    let postgres: ThrowawayPostgres | null = null;
    if (opts.privatePostgres) {
      const pg = new ThrowawayPostgres(await freePort(), path.join(dir, "pg"));
      await pg.init();
      cleanups.push(() => Promise.resolve(pg.stopIfRunning()));
      postgres = pg;
    }
    const db = await opts.database({ adminUrl: postgres?.adminUrl ?? null });
    cleanups.push(() => db.drop());
    let llm: FakeOpenAi | null = null;
    let llmUrl: string;
    if (opts.llm && "url" in opts.llm) llmUrl = opts.llm.url;
    else {
      const fake = await startFakeOpenAi({
        latencyMs: opts.llm?.latencyMs ?? 0,
        ...(opts.llm?.behaviour ? { behaviour: opts.llm.behaviour } : {}),
      });
      cleanups.push(() => fake.close());
      llm = fake;
      llmUrl = fake.url;
    }
    const port = await freePort();
    const queuePrefix = `${name}-${randomUUID()}`;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: db.url,
      REDIS_URL: redis?.url ?? process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
      STORAGE_DIR: storageDir,
      QUEUE_PREFIX: queuePrefix,
      PORT: String(port),
      HOST: "127.0.0.1",
      LLM_BASE_URL: llmUrl,
      LLM_API_KEY: `${name}-key`,
      LLM_MODEL: "fake-translator",
      LOG_LEVEL: "warn",
      LOG_FORMAT: "json",
      NODE_ENV: opts.web === "development" ? "development" : "production",
      ...opts.env,
    };
    const processes: StackProcess[] = [];
    cleanups.push(async () => {
      await Promise.all(processes.map((p) => p.kill("SIGKILL")));
    });
    const launch = (procName: string, file: string) => {
      const p = new StackProcess({
        name: procName,
        file,
        cwd: REPO_ROOT,
        env,
        onCrash: reportCrash,
        ...(opts.logFiles ? { logFile: path.join(dir, `${procName}.log`) } : {}),
      });
      processes.push(p);
      return p.start();
    };
    let workerCount = 0;
    const baseUrl = `http://127.0.0.1:${port}`;
    const ready = () =>
      fetch(`${baseUrl}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
    const web = opts.web === false ? null : launch("web", "apps/web/server/main.ts");

    const stack: Stack<D> = {
      dir,
      storageDir,
      baseUrl,
      port,
      queuePrefix,
      env,
      db,
      llm,
      redis,
      postgres,
      web,
      workers: [],
      addWorker() {
        const w = launch(`worker-${workerCount++}`, "apps/workers/src/main.ts");
        stack.workers.push(w);
        return w;
      },
      async setWorkers(n) {
        while (stack.workers.length > n) await stack.workers.pop()!.stop();
        while (stack.workers.length < n) stack.addWorker();
      },
      async waitForWeb(timeoutMs = opts.webReadyMs ?? 90_000) {
        if (!web) throw new Error("this stack has no web server");
        const deadline = Date.now() + timeoutMs;
        for (;;) {
          if (!web.alive) throw new Error(`the web server exited; its output:\n${web.tail}`);
          if (await ready()) return;
          if (Date.now() > deadline)
            throw new Error(`the web server was not ready within ${timeoutMs} ms; its output:\n${web.tail}`);
          await new Promise((r) => setTimeout(r, 200));
        }
      },
      logs() {
        return processes.map((p) => `--- ${p.name} ---\n${p.tail}`).join("\n");
      },
      async stop(stopOpts = {}) {
        await Promise.all(processes.map((p) => (stopOpts.kill ? p.kill("SIGKILL") : p.stop())));
        await Promise.all(processes.map((p) => p.closeLog()));
        await llm?.close().catch(() => undefined);
        await db
          .drop()
          .catch((e: Error) => process.stderr.write(`could not drop the database: ${e.message}\n`));
        postgres?.stopIfRunning();
        await redis?.stop();
        if (!stopOpts.keepFiles) await rm(dir, { recursive: true, force: true });
      },
    };
    for (let i = 0; i < (opts.workers ?? 1); i++) stack.addWorker();
    if (web) await stack.waitForWeb();
    return stack;
  } catch (e) {
    await undo();
    throw e;
  }
}
