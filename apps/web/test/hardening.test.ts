/** Smaller hardening cases of the web server: proxies, rate limits, vanishing files, slow uploads. */
import { unlink, writeFile } from "node:fs/promises";
import http from "node:http";
import type { IncomingMessage } from "node:http";
import path from "node:path";
import type * as FsPromises from "node:fs/promises";
import { describe, expect, it, vi } from "vitest";
import { failTask } from "@vitranslator/db";
import { createTestTask } from "@vitranslator/db/testing";
import { isAppError } from "@vitranslator/api";
import { applyRequestTimeouts, RecentFiles, sendError, sendFile } from "../server/http-util";
import { clientIp, createRateLimiter } from "../server/rate-limit";
import { createRestHandler } from "../server/rest";
import { createTrpcServer } from "../server/trpc-server";
import { listen, servePaths, useWebStack } from "./support/server";

// Lets a test remove a file right after the server opened or looked at it.
const fsHooks = vi.hoisted(() => ({ afterLookup: null as ((file: string) => Promise<void>) | null }));
vi.mock("node:fs/promises", async (importOriginal) => {
  const real = await importOriginal<typeof FsPromises>();
  const hooked =
    <A extends unknown[], R>(fn: (...a: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const result = await fn(...args);
      if (fsHooks.afterLookup && typeof args[0] === "string") await fsHooks.afterLookup(args[0]);
      return result;
    };
  const stat = hooked(real.stat);
  const open = hooked(real.open);
  return { ...real, default: { ...real, stat, open }, stat, open };
});

const web = useWebStack({ name: "vt-hard-", reader: {} });

const fakeReq = (remoteAddress: string, xff?: string) =>
  ({
    socket: { remoteAddress },
    headers: xff === undefined ? {} : { "x-forwarded-for": xff },
  }) as unknown as IncomingMessage;

describe("client address behind proxies (TRUST_PROXY hops)", () => {
  it("ignores X-Forwarded-For unless proxies are configured, then counts hops from the right", () => {
    expect(clientIp(fakeReq("10.0.0.1", "6.6.6.6"), 0)).toBe("10.0.0.1");
    // One proxy appends the address it saw; whatever the client wrote is further left.
    expect(clientIp(fakeReq("10.0.0.1", "6.6.6.6, 203.0.113.9"), 1)).toBe("203.0.113.9");
    expect(clientIp(fakeReq("10.0.0.1", "6.6.6.6, 203.0.113.9, 10.0.0.2"), 2)).toBe("203.0.113.9");
    expect(clientIp(fakeReq("10.0.0.1"), 1)).toBe("10.0.0.1");
    expect(clientIp(fakeReq("10.0.0.1", "203.0.113.9"), 3)).toBe("203.0.113.9");
  });

  it("counts a client that rotates a spoofed X-Forwarded-For as one client", async () => {
    const limiter = createRateLimiter({
      redis: web.redis,
      prefix: `${web.prefix}-spoof`,
      perMinute: 2,
      trustProxyHops: 1,
    });
    for (const spoof of ["1.1.1.1", "2.2.2.2"])
      await limiter.check(fakeReq("10.0.0.1", `${spoof}, 198.51.100.7`), "tasks");
    await expect(limiter.check(fakeReq("10.0.0.1", "3.3.3.3, 198.51.100.7"), "tasks")).rejects.toMatchObject({
      code: "RATE_LIMITED",
    });
  });
});

describe("rate limits beyond task creation", () => {
  it("limits tRPC calls and REST status reads per client", async () => {
    const { redis, prefix } = web;
    const id = await createTestTask(web.t.db);
    const rateLimiter = createRateLimiter({
      redis,
      prefix: `${prefix}-api`,
      perMinute: 1,
      limits: { api: 3, edits: 1 },
    });
    const api = createTrpcServer(web.trpcDeps({ rateLimiter }));
    const rest = createRestHandler(
      web.serviceDeps({
        maxUploadBytes: 1024,
        maxDurationMs: 1000,
        rateLimiter: createRateLimiter({ redis, prefix: `${prefix}-rest`, perMinute: 1, limits: { api: 3 } }),
      }),
    );
    const restPaths = servePaths(rest);
    const { server, url } = await listen((req, res) => {
      if (req.url?.startsWith("/api/trpc/")) api.handleHttp(req, res);
      else restPaths(req, res);
    });
    const four = async (pathname: string) => {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await fetch(url + pathname)).status);
      return statuses;
    };
    try {
      const input = encodeURIComponent(JSON.stringify({ id }));
      expect(await four(`/api/trpc/task.get?input=${input}`)).toEqual([200, 200, 200, 429]);
      expect(await four(`/api/tasks/${id}`)).toEqual([200, 200, 200, 429]);
      const limited = await fetch(`${url}/api/tasks/${id}/download`);
      expect([limited.status, limited.headers.get("retry-after") !== null]).toEqual([429, true]);
    } finally {
      server.close();
    }
  });
});

describe("task errors in the REST status", () => {
  it("give the public message for the code; the detail stays in the database for /admin", async () => {
    const id = await createTestTask(web.t.db);
    const detail =
      "ffmpeg exited 1: /srv/storage/tasks/abc/source/original.mp4: moov atom not found (at mix.ts:42)";
    await failTask(web.t.db, id, { code: "INTERNAL_ERROR", message: detail, stage: "mix" });
    const rest = createRestHandler(web.serviceDeps({ maxUploadBytes: 1024, maxDurationMs: 1000 }));
    const { server, url } = await listen(servePaths(rest));
    try {
      const body = (await (await fetch(`${url}/api/tasks/${id}`)).json()) as {
        status: string;
        error: { code: string; message: string; errorId: string };
      };
      expect(body.status).toBe("failed");
      expect(body.error.code).toBe("INTERNAL_ERROR");
      expect(body.error.errorId).toBe(id);
      expect(JSON.stringify(body)).not.toMatch(/ffmpeg|\/srv|moov|mix\.ts/);
    } finally {
      server.close();
    }
  });
});

describe("media files", () => {
  it("survives a file that disappears while it is being served", async () => {
    const file = path.join(web.storageDir, "chunk.ts");
    const errors: unknown[] = [];
    const onUncaught = (e: unknown) => errors.push(e);
    process.on("uncaughtException", onUncaught);
    const { server, url } = await listen((req, res) => {
      sendFile(req, res, file).catch((e: unknown) => (isAppError(e) ? sendError(res, e) : res.destroy()));
    });
    try {
      for (let i = 0; i < 5; i++) {
        // Small files are sent in one read, large ones streamed: both paths.
        const size = i % 2 ? 5 * 1024 * 1024 : 256 * 1024;
        await writeFile(file, Buffer.alloc(size, i));
        fsHooks.afterLookup = async (p) => {
          if (p === file) await unlink(file).catch(() => undefined);
        };
        const res = await fetch(url, { signal: AbortSignal.timeout(5000) }).catch(() => null);
        fsHooks.afterLookup = null;
        // Either the whole file (it was open before it went) or a clean 404.
        if (res?.status === 200) expect((await res.arrayBuffer()).byteLength).toBe(size);
        else expect(res?.status).toBe(404);
      }
      await new Promise((r) => setTimeout(r, 100));
      expect(errors).toEqual([]);
    } finally {
      fsHooks.afterLookup = null;
      process.off("uncaughtException", onUncaught);
      server.close();
    }
  });
});

describe("recently served chunks", () => {
  it("are kept for a moment only, within a byte budget, oldest dropped first", async () => {
    const recent = new RecentFiles({ maxBytes: 10, ttlMs: 50 });
    recent.set("a", Buffer.alloc(4));
    recent.set("b", Buffer.alloc(4));
    recent.set("c", Buffer.alloc(4));
    expect([recent.get("a"), recent.get("b")?.length, recent.get("c")?.length]).toEqual([null, 4, 4]);
    recent.set("huge", Buffer.alloc(11));
    expect(recent.get("huge")).toBeNull();
    await new Promise((r) => setTimeout(r, 80));
    expect(recent.get("b")).toBeNull();
  });
});

describe("request timeouts", () => {
  it("lets a slow upload run past the normal request limit while bytes flow, and cuts silence and slow requests", async () => {
    const { server, url } = await listen((req, res) => {
      let n = 0;
      req.on("data", (d: Buffer) => (n += d.length));
      req.on("end", () => res.end(String(n)));
    });
    applyRequestTimeouts(server, {
      requestMs: 400,
      uploadIdleMs: 300,
      isUpload: (req) => req.url === "/upload",
    });
    // Node's own whole-request limit (300 s by default) is what cut slow 2 GB uploads.
    expect(server.requestTimeout).toBe(0);
    const { port } = new URL(url);
    const send = (pathname: string, gapsMs: number[]) =>
      new Promise<string>((resolve) => {
        const req = http.request({ port, host: "127.0.0.1", path: pathname, method: "POST" });
        req.on("response", (res) => {
          let body = "";
          res.on("data", (d: Buffer) => (body += d.toString()));
          res.on("end", () => resolve(body));
        });
        req.on("error", () => resolve("cut"));
        void (async () => {
          for (const gap of gapsMs) {
            await new Promise((r) => setTimeout(r, gap));
            if (req.destroyed) return;
            req.write(Buffer.alloc(1000));
          }
          req.end();
        })();
      });
    try {
      // 1.2 s of upload, a chunk every 100 ms: three times the normal request limit.
      expect(await send("/upload", Array(12).fill(100) as number[])).toBe("12000");
      expect(await send("/upload", [50, 700])).toBe("cut");
      expect(await send("/other", Array(8).fill(100) as number[])).toBe("cut");
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
