/**
 * `npm start`: applies migrations, then runs the web server (pages, REST, tRPC HTTP+WS)
 * and one worker process serving all eight stages, and prints the URL. When models of the
 * default pack are missing it fetches them in the background (MODELS_AUTO_DOWNLOAD=0: it
 * only says what is missing); the workers pick each model up once it is in place.
 * Postgres and Redis come from DATABASE_URL / REDIS_URL (local, or `docker compose up postgres redis`).
 */
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { Redis } from "ioredis";
import { DEFAULT_MODEL_PACK, firstStartModels } from "@vitranslator/pipeline";
import { migrate } from "../packages/db/src/migrate";

const root = path.resolve(import.meta.dirname, "..");
// Settings from .env (copy .env.example); variables already set in the shell win.
if (existsSync(path.join(root, ".env"))) process.loadEnvFile(path.join(root, ".env"));
const env = {
  ...process.env,
  DATABASE_URL: process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/vitranslator",
  REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
  STORAGE_DIR: path.resolve(root, process.env.STORAGE_DIR ?? "storage"),
  PORT: process.env.PORT ?? "3000",
  // Absolute, so the web server (progress banner) and the workers look in the same folder.
  MODELS_DIR: path.resolve(root, process.env.MODELS_DIR ?? "models"),
};

/** A connection URL for messages: the credentials are never printed. */
const withoutCredentials = (url: string) => url.replace(/\/\/[^@/]*@/, "//***@");

async function checkServices() {
  try {
    const result = await migrate({ url: env.DATABASE_URL });
    console.log(`database ready (${result.applied.length} migration(s) applied)`);
  } catch (e) {
    console.error(
      `Cannot prepare PostgreSQL at ${withoutCredentials(env.DATABASE_URL)}: ${(e as Error).message}`,
    );
    console.error("Start it (e.g. `docker compose up -d postgres redis`) or set DATABASE_URL.");
    process.exit(1);
  }
  const redis = new Redis(env.REDIS_URL, {
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
    lazyConnect: true,
  });
  // The failure is reported below, once.
  redis.on("error", () => undefined);
  try {
    await redis.connect();
    await redis.ping();
  } catch (e) {
    console.error(
      `Cannot reach Redis at ${withoutCredentials(env.REDIS_URL)}: ${(e as Error).message}. Start it or set REDIS_URL.`,
    );
    process.exit(1);
  } finally {
    redis.disconnect();
  }
}

await checkServices();
const tsx = path.join(root, "node_modules", ".bin", "tsx");
const children: ChildProcess[] = [
  spawn(tsx, ["apps/web/server/main.ts"], { cwd: root, env, stdio: "inherit" }),
  spawn(tsx, ["apps/workers/src/main.ts"], { cwd: root, env, stdio: "inherit" }),
];
console.log(
  `\n  ViTranslator: http://localhost:${env.PORT}\n  (workers: all stages; media in ${env.STORAGE_DIR})\n`,
);

// Never awaited: the app serves while the models arrive (progress also in MODELS_DIR/.downloads/status.json).
const downloads = new AbortController();
firstStartModels({
  modelsDir: env.MODELS_DIR,
  entries: DEFAULT_MODEL_PACK,
  autoDownload: process.env.MODELS_AUTO_DOWNLOAD !== "0",
  signal: downloads.signal,
  print: (text) => console.log(text.replace(/^/gm, "[models] ")),
}).catch((e: unknown) => {
  if (!downloads.signal.aborted) console.error(`[models] download stopped: ${(e as Error).message}`);
});

let stopping = false;
const stop = (signal: NodeJS.Signals) => {
  if (stopping) return;
  stopping = true;
  downloads.abort();
  for (const c of children) c.kill(signal);
};
for (const c of children) {
  c.on("exit", (code) => {
    if (!stopping) {
      console.error(`a process exited (code ${code ?? "?"}); stopping the others`);
      stop("SIGTERM");
      process.exitCode = code ?? 1;
    }
  });
}
process.on("SIGINT", () => stop("SIGINT"));
process.on("SIGTERM", () => stop("SIGTERM"));
