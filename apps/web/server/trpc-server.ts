/**
 * tRPC over HTTP and over the WebSocket, with the caps a public server needs: request
 * bodies and WebSocket messages size-capped (413 / close 1009), batches capped, browsers
 * from other origins refused at the upgrade, WebSocket connections per IP and task feeds
 * per connection capped, and every feed read through the process's one shared stream
 * reader. Internal faults reach clients as a generic message with an error id; the log
 * has the detail under the same id.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import { applyWSSHandler } from "@trpc/server/adapters/ws";
import type { TRPCError } from "@trpc/server";
import { AppError, appRouter, errorIdOf } from "@vitranslator/api";
import type { ApiContext } from "@vitranslator/api";
import type { Db } from "@vitranslator/db";
import type { Logger, Storage } from "@vitranslator/pipeline";
import type { EventBus, SharedEventReader, StageQueues } from "@vitranslator/queue";
import { WebSocketServer } from "ws";
import { languageCheck } from "./engines";
import type { EngineReader } from "./engines";
import { sendError } from "./http-util";
import { LiveLimits } from "./live-limits";
import { clientIp } from "./rate-limit";
import type { RateLimiter } from "./rate-limit";

export const WS_PATH = "/api/trpc-ws";
const HTTP_BASE = "/api/trpc/";

/** Procedure paths that are subscriptions: served over the WebSocket only. */
const SUBSCRIPTIONS = new Set(
  Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>)
    .filter(([, p]) => p._def.type === "subscription")
    .map(([name]) => name),
);

export interface ApiLimits {
  /** Largest tRPC request body and WebSocket message, in bytes. */
  maxBodyBytes: number;
  /** Most calls in one HTTP batch or one WebSocket message. */
  maxBatchSize: number;
  wsConnectionsPerIp: number;
  feedsPerConnection: number;
  /** Origins allowed to open the WebSocket besides the page's own ("*": any). */
  allowedOrigins: string[];
  trustProxyHops: number;
}

export const DEFAULT_API_LIMITS: ApiLimits = {
  maxBodyBytes: 64 * 1024,
  maxBatchSize: 10,
  wsConnectionsPerIp: 50,
  feedsPerConnection: 8,
  allowedOrigins: [],
  trustProxyHops: 0,
};

export interface TrpcServerDeps {
  db: Db;
  events: EventBus;
  reader: SharedEventReader;
  queues: StageQueues;
  storage: Storage;
  adminToken: string | null;
  rateLimiter?: RateLimiter;
  /** What the workers can do, for task.addLanguage (absent: the language catalogue). */
  engines?: EngineReader;
  log: Logger;
  limits?: Partial<ApiLimits>;
}

function header(req: IncomingMessage, name: string): string | null {
  const h = req.headers[name];
  return (Array.isArray(h) ? h[0] : h) ?? null;
}

/**
 * Same origin (the Origin's host is the Host the browser connected to) or on the list. A
 * request without Origin is not a browser's, so cross-site rules do not apply to it.
 */
export function originAllowed(req: IncomingMessage, allowed: string[], trustProxyHops: number): boolean {
  const origin = header(req, "origin");
  if (!origin) return true;
  if (allowed.includes("*") || allowed.includes(origin)) return true;
  const hosts = [header(req, "host")];
  if (trustProxyHops > 0) hosts.push(header(req, "x-forwarded-host"));
  try {
    const { host } = new URL(origin);
    return hosts.some((h) => h !== null && h.toLowerCase() === host.toLowerCase());
  } catch {
    return false;
  }
}

function refuseUpgrade(socket: Duplex, status: number, err: AppError): void {
  const body = JSON.stringify({ error: { code: err.code, message: err.message } });
  const reason = status === 403 ? "Forbidden" : "Too Many Requests";
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

export function createTrpcServer(deps: TrpcServerDeps) {
  const limits: ApiLimits = { ...DEFAULT_API_LIMITS, ...deps.limits };
  const live = new LiveLimits({
    connectionsPerIp: limits.wsConnectionsPerIp,
    feedsPerConnection: limits.feedsPerConnection,
  });

  const context = (
    req: IncomingMessage,
    feeds: ReturnType<LiveLimits["feedCounter"]> | null,
  ): ApiContext => ({
    db: deps.db,
    events: deps.events,
    queues: deps.queues,
    storage: deps.storage,
    adminToken: deps.adminToken,
    requestAdminToken: header(req, "x-admin-token"),
    requestOwnerToken: header(req, "x-owner-token"),
    checkEngines: languageCheck(deps.engines),
    ...(deps.rateLimiter ? { rateLimit: (bucket) => deps.rateLimiter!.check(req, bucket) } : {}),
    followTask(opts) {
      if (!feeds)
        throw new AppError("METHOD_NOT_ALLOWED", `Live progress is served over the WebSocket (${WS_PATH}).`);
      const release = feeds.acquire();
      // The feed may be dropped before it is ever read; the signal frees its slot then too.
      opts.signal.addEventListener("abort", release, { once: true });
      const source = deps.reader.follow(opts);
      return (async function* () {
        try {
          yield* source;
        } finally {
          release();
        }
      })();
    },
  });

  const onError = ({ error, path }: { error: TRPCError; path: string | undefined }) => {
    if (error.code !== "INTERNAL_SERVER_ERROR") return;
    const cause = error.cause ?? error;
    deps.log.error(
      {
        err: cause,
        stack: cause instanceof Error ? cause.stack : undefined,
        errorId: errorIdOf(error),
        path,
      },
      "api call failed",
    );
  };

  const trpcHttp = createHTTPHandler({
    router: appRouter,
    basePath: HTTP_BASE,
    maxBodySize: limits.maxBodyBytes,
    maxBatchSize: limits.maxBatchSize,
    createContext: ({ req }) => context(req, null),
    onError,
  });

  const tooLarge = () =>
    new AppError("BODY_TOO_LARGE", `The request body is over the ${limits.maxBodyBytes / 1024} KiB limit.`);

  const handleHttp = (req: IncomingMessage, res: ServerResponse): void => {
    // A declared length over the cap is refused before a byte of the body is read.
    if (Number(req.headers["content-length"] ?? 0) > limits.maxBodyBytes) {
      res.setHeader("connection", "close");
      sendError(res, tooLarge());
      res.once("finish", () => req.socket.destroy());
      return;
    }
    const pathname = new URL(req.url ?? "/", "http://x").pathname;
    const paths = decodeURIComponent(pathname.slice(HTTP_BASE.length)).split(",");
    if (paths.some((p) => SUBSCRIPTIONS.has(p))) {
      sendError(
        res,
        new AppError("METHOD_NOT_ALLOWED", `Live progress is served over the WebSocket (${WS_PATH}).`),
      );
      return;
    }
    void trpcHttp(req, res);
  };

  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxBodyBytes });
  const wsHandler = applyWSSHandler({
    wss,
    router: appRouter,
    maxBatchSize: limits.maxBatchSize,
    // tRPC creates the context once per connection, so each connection gets its own counter.
    createContext: ({ req }) => context(req, live.feedCounter()),
    keepAlive: { enabled: true, pingMs: 30_000, pongWaitMs: 5_000 },
    onError,
  });

  /** Takes a WebSocket upgrade for the tRPC path; false when the path is someone else's. */
  const handleUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): boolean => {
    if (!req.url?.startsWith(WS_PATH)) return false;
    if (!originAllowed(req, limits.allowedOrigins, limits.trustProxyHops)) {
      refuseUpgrade(
        socket,
        403,
        new AppError(
          "ORIGIN_NOT_ALLOWED",
          "Pages from this origin may not open the live feed (WS_ALLOWED_ORIGINS).",
        ),
      );
      return true;
    }
    const release = live.openConnection(clientIp(req, limits.trustProxyHops));
    if (!release) {
      refuseUpgrade(
        socket,
        429,
        new AppError(
          "TOO_MANY_CONNECTIONS",
          "Too many live connections from your address; close some pages.",
        ),
      );
      return true;
    }
    socket.once("close", release);
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit("connection", ws, req));
    return true;
  };

  return {
    handleHttp,
    handleUpgrade,
    /** Open WebSocket connections (for the load figures and tests). */
    connections: () => live.connections(),
    close() {
      wsHandler.broadcastReconnectNotification();
      wss.close();
    },
  };
}
