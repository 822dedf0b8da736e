/**
 * The web process's parts inside one test process: a database of its own, the shared Redis
 * (or a private one with a password) under a prefix of its own, the stage queues, a storage
 * folder, and loopback servers. `useWebStack` sets them up before the suite and takes them
 * all down after it.
 */
import { randomUUID } from "node:crypto";
import { rm } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll } from "vitest";
import { createTestDatabase } from "@vitranslator/db/testing";
import type { TestDatabase } from "@vitranslator/db/testing";
import { useTmpDir } from "@vitranslator/testkit/hooks";
import { createLocalStorage } from "@vitranslator/pipeline/storage";
import type { Storage } from "@vitranslator/pipeline/storage";
import { closeQueues, createQueues, createRedis, EventBus, SharedEventReader } from "@vitranslator/queue";
import type { StageQueues } from "@vitranslator/queue";
import { createEngineReader } from "../../server/engines";
import type { EngineReader } from "../../server/engines";
import { AppError, sendError } from "../../server/http-util";
import type { ServiceDeps } from "../../server/tasks-service";
import type { TrpcServerDeps } from "../../server/trpc-server";
import { startPrivateRedis } from "./redis-server";
import type { PrivateRedis } from "./redis-server";

export const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

/** A logger that keeps quiet. */
export const silentLog: TrpcServerDeps["log"] = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

export interface Listening {
  server: http.Server;
  url: string;
  port: number;
}

/** Serves `handler` on a free loopback port. */
export async function listen(handler: http.RequestListener): Promise<Listening> {
  const server = http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  return { server, url: `http://127.0.0.1:${port}`, port };
}

type PathHandler = (
  req: http.IncomingMessage,
  res: http.ServerResponse,
  pathname: string,
) => Promise<boolean>;

/** A handler of ours that takes a pathname (REST, the original endpoints): unknown paths 404 NOT_OURS, a throw 500 with its text. */
export function servePaths(handle: PathHandler): http.RequestListener {
  return (req, res) => {
    handle(req, res, new URL(req.url ?? "/", "http://x").pathname)
      .then((handled) => {
        if (!handled) sendError(res, new AppError("NOT_OURS", "not a REST path"));
      })
      .catch((e: unknown) => res.writeHead(500).end(String(e)));
  };
}

export interface WebStackOptions {
  /** Start of the storage folder's name under the system's temp folder. */
  name: string;
  /** A redis-server of the suite's own that needs this password (its clients can be counted). */
  privateRedisPassword?: string;
  /** A shared stream reader (with its own blocking connection), as the web process has one. */
  reader?: { blockMs?: number };
}

export interface WebStack {
  t: TestDatabase;
  redis: ReturnType<typeof createRedis>;
  /** The private redis-server, when the options asked for one. */
  privateRedis: PrivateRedis | null;
  prefix: string;
  queues: StageQueues;
  events: EventBus;
  reader: SharedEventReader;
  storageDir: string;
  storage: Storage;
  /** What createRestHandler and createHttpApi need, over this stack. */
  serviceDeps(
    over: Pick<ServiceDeps, "maxUploadBytes" | "maxDurationMs"> & Partial<ServiceDeps>,
  ): ServiceDeps;
  /** What the workers published to this stack's Redis, read afresh on every call. */
  engineReader(): EngineReader;
  /** What createTrpcServer needs, over this stack (a silent log, no admin token). */
  trpcDeps(over?: Partial<TrpcServerDeps>): TrpcServerDeps;
  /** `<storageDir>-<name>`: a folder beside the storage root, removed with it. */
  beside(name: string): string;
  /** listen(), closed when the suite ends. */
  listen(handler: http.RequestListener): Promise<Listening>;
}

export function useWebStack(opts: WebStackOptions): WebStack {
  const tmp = useTmpDir(opts.name);
  const servers: http.Server[] = [];
  const besides = new Set<string>();
  let blocking: ReturnType<typeof createRedis> | null = null;
  let reader: SharedEventReader | null = null;
  const stack = {
    prefix: `test-${randomUUID()}`,
    privateRedis: null,
    serviceDeps: (over) => ({
      db: stack.t.db,
      storage: stack.storage,
      queues: stack.queues,
      events: stack.events,
      ...over,
    }),
    engineReader: () => createEngineReader({ redis: stack.redis, prefix: stack.prefix, cacheMs: 0 }),
    trpcDeps: (over = {}) => ({
      db: stack.t.db,
      events: stack.events,
      reader: stack.reader,
      queues: stack.queues,
      storage: stack.storage,
      adminToken: null,
      log: silentLog,
      ...over,
    }),
    beside(name) {
      const dir = `${stack.storageDir}-${name}`;
      besides.add(dir);
      return dir;
    },
    async listen(handler) {
      const l = await listen(handler);
      servers.push(l.server);
      return l;
    },
  } as WebStack;

  beforeAll(async () => {
    stack.t = await createTestDatabase();
    if (opts.privateRedisPassword !== undefined)
      stack.privateRedis = await startPrivateRedis(opts.privateRedisPassword);
    const url = stack.privateRedis?.url ?? REDIS_URL;
    stack.redis = createRedis(url);
    stack.queues = createQueues(stack.redis, stack.prefix);
    stack.events = new EventBus(stack.redis, stack.prefix);
    if (opts.reader) {
      blocking = createRedis(url);
      stack.reader = reader = new SharedEventReader({
        blocking,
        commands: stack.redis,
        prefix: stack.prefix,
        blockMs: opts.reader.blockMs,
      });
    }
    stack.storageDir = tmp.dir;
    stack.storage = createLocalStorage(stack.storageDir);
  });

  afterAll(async () => {
    for (const s of servers) s.closeAllConnections();
    for (const s of servers) s.close();
    await reader?.close();
    blocking?.disconnect();
    if (stack.queues) {
      for (const q of Object.values(stack.queues)) await q.obliterate({ force: true }).catch(() => undefined);
      await closeQueues(stack.queues);
    }
    if (stack.redis) {
      await stack.redis.del(...(await stack.redis.keys(`${stack.prefix}*`)), "__none__");
      stack.redis.disconnect();
    }
    await stack.privateRedis?.stop();
    await stack.t?.drop();
    for (const dir of besides) await rm(dir, { recursive: true, force: true });
  });

  return stack;
}
