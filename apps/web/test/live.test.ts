/**
 * The live view and tRPC surface as a stranger would use them: the real tRPC HTTP and
 * WebSocket server of the web process (without Next), real Postgres, and a private Redis
 * that needs a password, so its client count is exact and REDIS_URL's auth is exercised.
 */
import http from "node:http";
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { newTaskId } from "@vitranslator/db";
import type { Db } from "@vitranslator/db";
import { createTestTask } from "@vitranslator/db/testing";
import { createLocalStorage } from "@vitranslator/pipeline";
import { closeQueues, createQueues, createRedis } from "@vitranslator/queue";
import { createTrpcServer } from "../server/trpc-server";
import type { TrpcServerDeps } from "../server/trpc-server";
import { useWebStack } from "./support/server";

const stack = useWebStack({
  name: "vt-live-",
  privateRedisPassword: "p@ss w0rd/with:odd chars",
  reader: { blockMs: 1000 },
});
const logged: object[] = [];
const log = { info: () => undefined, warn: () => undefined, error: (o: object) => void logged.push(o) };

/** A web-like server: tRPC HTTP under /api/trpc/, the WebSocket on upgrade. */
async function serve(over: Partial<TrpcServerDeps> = {}) {
  const api = createTrpcServer(
    stack.trpcDeps({
      storage: createLocalStorage("/nonexistent-vt-storage"),
      log,
      limits: { wsConnectionsPerIp: 6, feedsPerConnection: 8, allowedOrigins: ["https://friend.example"] },
      ...over,
    }),
  );
  const { server, port, url } = await stack.listen((req, res) => {
    if (req.url?.startsWith("/api/trpc/")) api.handleHttp(req, res);
    else res.writeHead(404).end();
  });
  server.on("upgrade", (req: http.IncomingMessage, socket, head: Buffer) => {
    if (!api.handleUpgrade(req, socket, head)) socket.destroy();
  });
  return { api, http: url, ws: `ws://127.0.0.1:${port}/api/trpc-ws`, port };
}
let web: Awaited<ReturnType<typeof serve>>;

beforeAll(async () => {
  web = await serve();
});

const newTask = () => createTestTask(stack.t.db);
const redisServer = () => stack.privateRedis!;

interface Reply {
  id: number | null;
  result?: { type: string; id?: string; data?: unknown };
  error?: { message: string; data?: { code?: string; appCode?: string } };
}

/** A raw tRPC WebSocket client: send any message, wait for replies. */
async function connect(url = web.ws, headers: Record<string, string> = {}) {
  const ws = new WebSocket(url, { headers });
  const replies: Reply[] = [];
  const waiters: (() => void)[] = [];
  ws.on("message", (raw: Buffer) => {
    const text = raw.toString();
    if (text === "PING" || text === "PONG") return;
    const parsed = JSON.parse(text) as Reply | Reply[];
    replies.push(...(Array.isArray(parsed) ? parsed : [parsed]));
    for (const w of waiters.splice(0)) w();
  });
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("unexpected-response", (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once("error", reject);
  });
  return {
    ws,
    replies,
    subscribe(id: number, input: unknown) {
      ws.send(JSON.stringify({ id, method: "subscription", params: { path: "task.events", input } }));
    },
    async until(pred: (r: Reply[]) => boolean, ms = 5000): Promise<Reply[]> {
      const end = Date.now() + ms;
      while (!pred(replies)) {
        if (Date.now() > end)
          throw new Error(`no such reply within ${ms} ms: ${JSON.stringify(replies).slice(0, 500)}`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 100);
        });
      }
      return replies;
    },
    close: () => ws.close(),
  };
}

const clientCount = async () =>
  String(await stack.redis.call("CLIENT", "LIST"))
    .trim()
    .split("\n").length;
const dataFor = (replies: Reply[], id: number) =>
  replies.filter((r) => r.id === id && r.result?.type === "data");
const errorFor = (replies: Reply[], id: number) => replies.find((r) => r.id === id && r.error)?.error;

describe("live feeds over the WebSocket", () => {
  it("serves many viewers from one shared reader: Redis connections do not grow with them", async () => {
    const task = await newTask();
    await stack.events.emit(task, { type: "task", status: "processing" });
    const probe = await connect();
    probe.subscribe(1, { id: task, lastEventId: null });
    await probe.until((r) => dataFor(r, 1).length === 1);
    const before = await clientCount();
    const viewers = await Promise.all(Array.from({ length: 5 }, () => connect()));
    for (const v of viewers) for (let i = 1; i <= 7; i++) v.subscribe(i, { id: task, lastEventId: null });
    for (const v of viewers)
      await v.until((r) => [1, 2, 3, 4, 5, 6, 7].every((i) => dataFor(r, i).length === 1));
    await stack.events.emit(task, {
      type: "published",
      language: "fr",
      index: 0,
      publishedCount: 1,
      segmentCount: 1,
    });
    for (const v of viewers)
      await v.until((r) => [1, 2, 3, 4, 5, 6, 7].every((i) => dataFor(r, i).length === 2));
    expect(stack.reader.stats().subscribers).toBe(36);
    expect(await clientCount()).toBe(before);
    for (const v of [probe, ...viewers]) v.close();
  });

  it("refuses 300 subscriptions in one message, a ninth feed on a connection, and a seventh connection from one IP", async () => {
    const task = await newTask();
    const before = await clientCount();
    const c = await connect();
    c.ws.send(
      JSON.stringify(
        Array.from({ length: 300 }, (_, i) => ({
          id: i + 1,
          method: "subscription",
          params: { path: "task.events", input: { id: task, lastEventId: null } },
        })),
      ),
    );
    await c.until((r) => r.length >= 300);
    expect(c.replies.every((r) => r.error?.data?.code === "BAD_REQUEST")).toBe(true);
    expect(stack.reader.stats().subscribers).toBe(0);
    for (let i = 1; i <= 9; i++) c.subscribe(1000 + i, { id: task, lastEventId: null });
    await c.until((r) => errorFor(r, 1009) !== undefined);
    const refused = errorFor(c.replies, 1009)!;
    expect(refused.data).toMatchObject({ code: "TOO_MANY_REQUESTS", appCode: "TOO_MANY_FEEDS" });
    expect(await clientCount()).toBe(before);
    const more = await Promise.all(Array.from({ length: 5 }, () => connect()));
    await expect(connect()).rejects.toThrow("HTTP 429");
    // A closed connection frees its place.
    more[0]!.close();
    await new Promise((r) => setTimeout(r, 200));
    (await connect()).close();
    for (const m of [c, ...more]) m.close();
  });

  it("refuses an unknown task and a bogus lastEventId at once, and never loops on them", async () => {
    const task = await newTask();
    const c = await connect();
    c.subscribe(1, { id: newTaskId(), lastEventId: null });
    c.subscribe(2, { id: task, lastEventId: "bogus-id" });
    c.subscribe(3, { id: task, lastEventId: "99999999999999999999999-0" });
    await c.until((r) => [1, 2, 3].every((i) => errorFor(r, i)));
    expect(errorFor(c.replies, 1)!.data?.code).toBe("NOT_FOUND");
    expect(errorFor(c.replies, 2)!.data?.code).toBe("BAD_REQUEST");
    expect(errorFor(c.replies, 3)!.data?.code).toBe("BAD_REQUEST");
    expect(stack.reader.stats().subscribers).toBe(0);
    c.close();
  });

  it("closes the socket on a message over the size cap", async () => {
    const c = await connect();
    const closed = new Promise<number>((r) => c.ws.once("close", (code) => r(code)));
    c.ws.send("x".repeat(200 * 1024));
    expect(await closed).toBe(1009);
  });

  it("lets only its own origin and listed ones open the socket", async () => {
    await expect(connect(web.ws, { origin: "https://evil.example" })).rejects.toThrow("HTTP 403");
    (await connect(web.ws, { origin: `http://127.0.0.1:${web.port}` })).close();
    (await connect(web.ws, { origin: "https://friend.example" })).close();
    // Scripts send no Origin: cross-site rules are for browsers.
    (await connect(web.ws)).close();
  });
});

describe("tRPC over HTTP", () => {
  const call = (path: string, init: RequestInit = {}) => fetch(`${web.http}/api/trpc/${path}`, init);

  it("serves no subscriptions as server-sent events", async () => {
    const task = await newTask();
    const input = encodeURIComponent(JSON.stringify({ id: task, lastEventId: null }));
    const res = await call(`task.events?input=${input}`, { headers: { accept: "text/event-stream" } });
    expect(res.status).toBe(405);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("METHOD_NOT_ALLOWED");
    expect(stack.reader.stats().subscribers).toBe(0);
  });

  it("answers 413 to a body over the cap without reading it, and 400 to a batch over the cap", async () => {
    // 200 MB declared: refused from the header, before the body is read.
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(`${web.http}/api/trpc/task.editSentence`, {
        method: "POST",
        headers: { "content-type": "application/json", "content-length": String(200 * 1024 * 1024) },
      });
      req.on("response", (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      req.write(Buffer.alloc(1024 * 1024, 0x20));
    });
    expect(status).toBe(413);
    // Chunked, no length declared: cut off at the cap while it streams.
    const chunked = await call("task.editSentence", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: new ReadableStream({
        start(c) {
          for (let i = 0; i < 8; i++) c.enqueue(new Uint8Array(128 * 1024).fill(0x20));
          c.close();
        },
      }),
      duplex: "half",
    } as RequestInit);
    expect(chunked.status).toBe(413);
    const task = await newTask();
    const paths = Array.from({ length: 11 }, () => "task.get").join(",");
    const input = encodeURIComponent(
      JSON.stringify(Object.fromEntries(Array.from({ length: 11 }, (_, i) => [i, { id: task }]))),
    );
    expect((await call(`${paths}?batch=1&input=${input}`)).status).toBe(400);
    const ten = Array.from({ length: 10 }, () => "task.get").join(",");
    const tenInput = encodeURIComponent(
      JSON.stringify(Object.fromEntries(Array.from({ length: 10 }, (_, i) => [i, { id: task }]))),
    );
    expect((await call(`${ten}?batch=1&input=${tenInput}`)).status).toBe(200);
  });

  it("answers an internal fault with a generic message and an error id; the log has the detail", async () => {
    const failing = {
      task: {
        findUnique: () => {
          throw new Error(
            "connect ECONNREFUSED db-primary.internal:5432 (/srv/app/packages/db/src/client.ts)",
          );
        },
      },
    } as unknown as Db;
    const broken = await serve({ db: failing });
    const input = encodeURIComponent(JSON.stringify({ id: newTaskId() }));
    const res = await fetch(`${broken.http}/api/trpc/task.get?input=${input}`);
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toMatch(/db-primary|\/srv\/app|ECONNREFUSED|stack|at .*\.ts/);
    const body = JSON.parse(text) as { error: { message: string; data: { errorId: string } } };
    const errorId = body.error.data.errorId;
    expect(body.error.message).toContain(errorId);
    expect(JSON.stringify(logged.find((l) => (l as { errorId?: string }).errorId === errorId))).toContain(
      "db-primary.internal",
    );
  });
});

describe("Redis with a password (REDIS_URL)", () => {
  it("works for commands, the shared reader and BullMQ queues and workers; without it Redis refuses", async () => {
    const { Worker } = await import("bullmq");
    const name = `auth-${randomUUID()}`;
    const done = new Promise<string>((resolve) => {
      const worker = new Worker(
        "segment",
        async (job) => {
          resolve(String((job.data as { taskId: string }).taskId));
          await worker.close();
        },
        { connection: createRedis(redisServer().url, { forWorker: true }), prefix: name },
      );
    });
    const own = createQueues(stack.redis, name);
    await own.segment.add("segment", { taskId: "with-auth" });
    expect(await done).toBe("with-auth");
    await closeQueues(own);
    const anonymous = createRedis(`redis://127.0.0.1:${redisServer().port}`);
    anonymous.on("error", () => undefined);
    await expect(anonymous.ping()).rejects.toThrow(/NOAUTH/);
    anonymous.disconnect();
  });
});
