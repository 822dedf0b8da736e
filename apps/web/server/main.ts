/**
 * The web server: Next.js pages, the REST API and media files, tRPC over HTTP, and the
 * tRPC WebSocket server for live progress — on one port.
 */
import http from "node:http";
import path from "node:path";
import { errorIdOf, internalErrorMessage } from "@vitranslator/api";
import { createDb } from "@vitranslator/db";
import { createLogger } from "@vitranslator/service/logger";
import { createLocalStorage } from "@vitranslator/pipeline/storage";
import { closeQueues, createQueues, createRedis, EventBus, SharedEventReader } from "@vitranslator/queue";
import { loadEnv, pinNodeEnv } from "./env";
import { createDependencyCheck } from "./health";
import { applyRequestTimeouts, sendJson } from "./http-util";
import { createMinutesQuota } from "./quota";
import { clientIp, createRateLimiter } from "./rate-limit";
import { createEngineReader } from "./engines";
import { createHttpApi } from "./http-api";
import { createTrpcServer } from "./trpc-server";
import { markWatchRequest } from "./watch-link";

const env = loadEnv();
pinNodeEnv(env);
const log = createLogger({
  level: env.LOG_LEVEL,
  format: env.LOG_FORMAT,
  bindings: { service: "web", pid: process.pid },
});
const db = createDb({ url: env.DATABASE_URL });
const redis = createRedis(env.REDIS_URL);
// The one connection that blocks on the task streams every viewer of this process follows.
const blocking = createRedis(env.REDIS_URL);
const events = new EventBus(redis, env.QUEUE_PREFIX);
const reader = new SharedEventReader({
  blocking,
  commands: redis,
  prefix: env.QUEUE_PREFIX,
  onError: (err) => log.warn({ err }, "event stream read failed; resuming"),
});
const queues = createQueues(redis, env.QUEUE_PREFIX);
const storage = createLocalStorage(env.STORAGE_DIR);
// ioredis reconnects by itself; without a listener each failed attempt is an unhandled error event.
redis.on("error", (err) => log.warn({ err }, "redis connection error"));
blocking.on("error", () => undefined); // reported by the reader's onError

const rateLimiter = createRateLimiter({
  redis,
  prefix: env.QUEUE_PREFIX,
  perMinute: env.RATE_LIMIT_PER_MINUTE,
  limits: { edits: env.EDIT_RATE_LIMIT_PER_MINUTE, api: env.API_RATE_LIMIT_PER_MINUTE },
  trustProxyHops: env.TRUST_PROXY,
});
/** What the workers can do: upload refusals, GET /api/engines, the add-language check. */
const engines = createEngineReader({ redis, prefix: env.QUEUE_PREFIX });
const rest = createHttpApi(
  {
    db,
    storage,
    queues,
    events,
    maxUploadBytes: env.MAX_UPLOAD_MB * 1024 * 1024,
    maxDurationMs: env.MAX_DURATION_MIN * 60_000,
    limits: { maxUploadMb: env.MAX_UPLOAD_MB, maxDurationMin: env.MAX_DURATION_MIN },
    rateLimiter,
    mediaCaps: { maxPixels: env.MAX_VIDEO_PIXELS, maxFps: env.MAX_VIDEO_FPS, maxStreams: env.MAX_STREAMS },
    quota: createMinutesQuota({
      redis,
      prefix: env.QUEUE_PREFIX,
      perIpPerDay: env.QUOTA_MINUTES_PER_IP_PER_DAY,
      perDay: env.QUOTA_MINUTES_PER_DAY,
      clientIp: (req) => clientIp(req, env.TRUST_PROXY),
    }),
    checkDependencies: createDependencyCheck({ db, redis }),
    engines,
  },
  { corsOrigins: env.CORS_ORIGINS },
);
const api = createTrpcServer({
  db,
  events,
  reader,
  queues,
  storage,
  adminToken: env.ADMIN_TOKEN ?? null,
  rateLimiter,
  engines,
  log,
  limits: {
    wsConnectionsPerIp: env.WS_MAX_CONNECTIONS_PER_IP,
    feedsPerConnection: env.WS_MAX_FEEDS_PER_CONNECTION,
    allowedOrigins: env.WS_ALLOWED_ORIGINS,
    trustProxyHops: env.TRUST_PROXY,
  },
});

// Imported after NODE_ENV is pinned: React and Next choose their build from it.
const { default: next } = await import("next");
const nextApp = next({ dev: env.NODE_ENV === "development", dir: path.resolve(import.meta.dirname, "..") });
const handleNext = nextApp.getRequestHandler();
await nextApp.prepare();

const UPLOAD_PATHS = new Set(["/api/tasks", "/upload"]);

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://localhost");
  const route = async () => {
    if (url.pathname.startsWith("/api/trpc/")) return api.handleHttp(req, res);
    if (await rest(req, res, url.pathname)) return;
    await markWatchRequest(req, url.pathname, db);
    await handleNext(req, res);
  };
  route().catch((err: unknown) => {
    const errorId = errorIdOf(err);
    log.error(
      { err, stack: err instanceof Error ? err.stack : undefined, errorId, path: url.pathname },
      "request failed",
    );
    if (!res.headersSent)
      sendJson(res, 500, {
        error: { code: "INTERNAL_ERROR", message: internalErrorMessage(errorId), errorId },
      });
    else res.destroy();
  });
});
applyRequestTimeouts(server, {
  requestMs: env.REQUEST_TIMEOUT_S * 1000,
  uploadIdleMs: env.UPLOAD_IDLE_TIMEOUT_S * 1000,
  isUpload: (req) => req.method === "POST" && UPLOAD_PATHS.has(new URL(req.url ?? "/", "http://x").pathname),
});

const nextUpgrade = nextApp.getUpgradeHandler();
server.on("upgrade", (req: http.IncomingMessage, socket, head: Buffer) => {
  if (!api.handleUpgrade(req, socket, head)) void nextUpgrade(req, socket, head);
});

server.listen(env.PORT, env.HOST, () => {
  const addr = server.address();
  const port = typeof addr === "object" && addr ? addr.port : env.PORT;
  log.info({ port }, `ViTranslator web listening on http://localhost:${port}`);
});

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, "shutting down");
  api.close();
  server.close();
  server.closeAllConnections();
  await reader.close();
  await closeQueues(queues);
  blocking.disconnect();
  redis.disconnect();
  await db.$disconnect();
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
