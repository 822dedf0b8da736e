/**
 * The web server: Next.js pages, the REST API and media files, tRPC over HTTP, and the
 * tRPC WebSocket server for live progress — on one port.
 */
import http from "node:http";
import path from "node:path";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import { applyWSSHandler } from "@trpc/server/adapters/ws";
import next from "next";
import { WebSocketServer } from "ws";
import { appRouter } from "@vitranslator/api";
import type { ApiContext } from "@vitranslator/api";
import { createDb } from "@vitranslator/db";
import { createLogger } from "@vitranslator/pipeline/logger";
import { createLocalStorage } from "@vitranslator/pipeline/storage";
import { closeQueues, createQueues, createRedis, EventBus } from "@vitranslator/queue";
import { loadEnv } from "./env";
import { createDependencyCheck } from "./health";
import { createMinutesQuota } from "./quota";
import { clientIp, createRateLimiter } from "./rate-limit";
import { createEngineReader } from "./engines";
import { createHttpApi } from "./http-api";
import { ResumingEventBus } from "./resuming-event-bus";
import { markWatchRequest } from "./watch-link";

const env = loadEnv();
const log = createLogger({
  level: env.LOG_LEVEL,
  format: env.LOG_FORMAT,
  bindings: { service: "web", pid: process.pid },
});
const db = createDb({ url: env.DATABASE_URL });
const redis = createRedis(env.REDIS_URL);
const events = new EventBus(redis, env.QUEUE_PREFIX);
const queues = createQueues(redis, env.QUEUE_PREFIX);
const storage = createLocalStorage(env.STORAGE_DIR);
// ioredis reconnects by itself; without a listener each failed attempt is an unhandled error event.
redis.on("error", (err) => log.warn({ err }, "redis connection error"));

const context = (opts?: { req?: http.IncomingMessage }): ApiContext => ({
  db,
  events,
  queues,
  storage,
  adminToken: env.ADMIN_TOKEN ?? null,
  requestAdminToken: headerValue(opts?.req?.headers["x-admin-token"]),
  openEventReader() {
    const conn = createRedis(env.REDIS_URL);
    conn.on("error", () => undefined); // reported once per retry by the bus below
    const bus = new ResumingEventBus(conn, env.QUEUE_PREFIX, (err) =>
      log.warn({ err }, "event stream read failed; resuming"),
    );
    return { bus, close: () => conn.disconnect() };
  },
});

function headerValue(h: string | string[] | undefined): string | null {
  return (Array.isArray(h) ? h[0] : h) ?? null;
}

const rest = createHttpApi(
  {
    db,
    storage,
    queues,
    events,
    maxUploadBytes: env.MAX_UPLOAD_MB * 1024 * 1024,
    maxDurationMs: env.MAX_DURATION_MIN * 60_000,
    limits: { maxUploadMb: env.MAX_UPLOAD_MB, maxDurationMin: env.MAX_DURATION_MIN },
    mediaCaps: { maxPixels: env.MAX_VIDEO_PIXELS, maxFps: env.MAX_VIDEO_FPS, maxStreams: env.MAX_STREAMS },
    quota: createMinutesQuota({
      redis,
      prefix: env.QUEUE_PREFIX,
      perIpPerDay: env.QUOTA_MINUTES_PER_IP_PER_DAY,
      perDay: env.QUOTA_MINUTES_PER_DAY,
      clientIp: (req) => clientIp(req, env.TRUST_PROXY),
    }),
    ...(env.RATE_LIMIT_PER_MINUTE > 0
      ? {
          rateLimiter: createRateLimiter({
            redis,
            prefix: env.QUEUE_PREFIX,
            perMinute: env.RATE_LIMIT_PER_MINUTE,
            trustProxy: env.TRUST_PROXY,
          }),
        }
      : {}),
    checkDependencies: createDependencyCheck({ db, redis }),
    engines: createEngineReader({ redis, prefix: env.QUEUE_PREFIX }),
  },
  { corsOrigins: env.CORS_ORIGINS },
);
const trpcHttp = createHTTPHandler({ router: appRouter, basePath: "/api/trpc/", createContext: context });

const nextApp = next({ dev: env.NODE_ENV === "development", dir: path.resolve(import.meta.dirname, "..") });
const handleNext = nextApp.getRequestHandler();
await nextApp.prepare();

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://localhost");
  const route = async () => {
    if (url.pathname.startsWith("/api/trpc/")) return trpcHttp(req, res);
    if (await rest(req, res, url.pathname)) return;
    await markWatchRequest(req, url.pathname, db);
    await handleNext(req, res);
  };
  route().catch((err: unknown) => {
    log.error({ err, path: url.pathname }, "request failed");
    if (!res.headersSent) {
      res.writeHead(500, { "content-type": "application/json" });
      res.end(
        JSON.stringify({ error: { code: "INTERNAL_ERROR", message: "Something went wrong on the server." } }),
      );
    } else res.destroy();
  });
});

const wss = new WebSocketServer({ noServer: true });
const wsHandler = applyWSSHandler({
  wss,
  router: appRouter,
  createContext: context,
  keepAlive: { enabled: true, pingMs: 30_000, pongWaitMs: 5_000 },
});
const nextUpgrade = nextApp.getUpgradeHandler();
server.on("upgrade", (req, socket, head) => {
  if (req.url?.startsWith("/api/trpc-ws")) {
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit("connection", ws, req));
  } else {
    void nextUpgrade(req, socket, head);
  }
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
  wsHandler.broadcastReconnectNotification();
  wss.close();
  server.close();
  server.closeAllConnections();
  await closeQueues(queues);
  redis.disconnect();
  await db.$disconnect();
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
