/** The REST surface against real Postgres, Redis, ffprobe and the storage folder. */
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { makeSampleVideo } from "@vitranslator/testkit";
import type { SampleVideo } from "@vitranslator/testkit";
import { createRestHandler } from "../server/rest";
import { listen, servePaths, useWebStack } from "./support/server";

const web = useWebStack({ name: "vt-web-" });
const caps = { maxUploadBytes: 2 * 1024 * 1024, maxDurationMs: 60_000 };
let base: string;
let sample: SampleVideo;

beforeAll(async () => {
  sample = await makeSampleVideo({ dir: web.beside("in"), durationMs: 8000 });
  base = (await web.listen(servePaths(createRestHandler(web.serviceDeps(caps))))).url;
});

interface ApiBody {
  id: string;
  task_id: string;
  watchUrl: string;
  playlistUrl: string;
  ownerToken: string;
  error: { code: string; message: string };
}

async function post(pathname: string, form: FormData) {
  const res = await fetch(base + pathname, { method: "POST", body: form });
  return { status: res.status, body: (await res.json()) as ApiBody };
}

async function videoForm(opts: { name?: string; target?: string; bytes?: Blob; subtitles?: string } = {}) {
  const { readFile } = await import("node:fs/promises");
  const form = new FormData();
  form.set("targetLanguage", opts.target ?? "fr");
  form.set("video", opts.bytes ?? new Blob([await readFile(sample.video)]), opts.name ?? "clip.mp4");
  if (opts.subtitles !== undefined) form.set("subtitles", new Blob([opts.subtitles]), "subs.srt");
  return form;
}

const taskDirs = async () => readdir(path.join(web.storageDir, "tasks")).catch(() => [] as string[]);

describe("POST /api/tasks", () => {
  it("creates a task, keeps the upload inside its folder and queues the first stage", async () => {
    const { readFile } = await import("node:fs/promises");
    const res = await post(
      "/api/tasks",
      await videoForm({
        name: "../../../etc/ünïcødé name.mp4",
        subtitles: await readFile(sample.srt, "utf8"),
      }),
    );
    expect(res.status).toBe(201);
    expect(res.body.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(res.body.watchUrl).toBe(`/watch/${res.body.id}`);
    expect(res.body.playlistUrl).toBe(`/media/${res.body.id}/hls/index.m3u8`);
    expect(typeof res.body.ownerToken).toBe("string");
    const dir = path.join(web.storageDir, "tasks", res.body.id, "source");
    // The upload, its subtitles, and the upload check's result (planning does not probe again).
    expect((await readdir(dir)).sort()).toEqual(["admitted.json", "original.mp4", "subtitles.srt"]);
    const task = await web.t.db.task.findUniqueOrThrow({ where: { id: res.body.id } });
    expect(task.originalName).toBe("ünïcødé name.mp4");
    expect(await web.queues.segment.getJobCounts("prioritized", "waiting")).toMatchObject({ prioritized: 1 });

    const status = await fetch(`${base}/api/tasks/${res.body.id}`).then((r) => r.json() as Promise<unknown>);
    expect(status).toEqual({
      id: res.body.id,
      status: "queued",
      progress: 0,
      segments: { total: 0, published: 0 },
      languages: ["fr"],
      finalLanguages: [],
    });
    const playlist = await fetch(base + res.body.playlistUrl);
    expect(playlist.status).toBe(404);
    const download = await fetch(`${base}/api/tasks/${res.body.id}/download`);
    expect(download.status).toBe(409);
  });

  it("refuses a file that is not a video, and keeps nothing", async () => {
    const before = await taskDirs();
    const res = await post("/api/tasks", await videoForm({ bytes: new Blob(["definitely not a video"]) }));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("INVALID_MEDIA");
    expect(await taskDirs()).toEqual(before);
  });

  it("answers 413 for an upload over the cap, from the declared length or while streaming", async () => {
    const before = await taskDirs();
    const res = await post(
      "/api/tasks",
      await videoForm({ bytes: new Blob([new Uint8Array(4 * 1024 * 1024)]) }),
    );
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe("UPLOAD_TOO_LARGE");
    // Chunked, with no length declared: the cap is hit while the body streams in.
    const { Readable } = await import("node:stream");
    const form = await videoForm({ bytes: new Blob([new Uint8Array(2.5 * 1024 * 1024)]) });
    const encoded = new Response(form);
    const streamed = await fetch(base + "/api/tasks", {
      method: "POST",
      headers: { "content-type": encoded.headers.get("content-type")! },
      body: Readable.toWeb(Readable.from(Buffer.from(await encoded.arrayBuffer()))) as ReadableStream,
      duplex: "half",
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(await taskDirs()).toEqual(before);
  });

  it("refuses unsupported languages and a missing file; subtitles are left to the worker", async () => {
    expect((await post("/api/tasks", await videoForm({ target: "xx-klingon" }))).body.error.code).toBe(
      "UNSUPPORTED_LANGUAGE",
    );
    // Parsed by the segment stage (INVALID_SUBTITLES there), never inside the request.
    expect(
      (await post("/api/tasks", await videoForm({ subtitles: "this is not\nan srt file" }))).status,
    ).toBe(201);
    const form = new FormData();
    form.set("targetLanguage", "fr");
    expect((await post("/api/tasks", form)).body.error.code).toBe("NO_VIDEO");
  });

  it("answers 404 for unknown or malformed ids, and never serves outside a task folder", async () => {
    expect((await fetch(`${base}/api/tasks/AAAAAAAAAAAAAAAAAAAAAA`)).status).toBe(404);
    expect((await fetch(`${base}/api/tasks/..%2F..%2Fetc`)).status).toBe(404);
    expect((await fetch(`${base}/media/..%2F..%2F/hls/index.m3u8`)).status).toBe(404);
    await writeFile(path.join(web.storageDir, "secret.txt"), "x");
    expect((await fetch(`${base}/media/tasks/hls/..%2F..%2Fsecret.txt`)).status).toBe(404);
    expect(existsSync(path.join(web.storageDir, "secret.txt"))).toBe(true);
  });
});

describe("bad uploads", () => {
  const sampleBytes = async () =>
    new Uint8Array(await (await import("node:fs/promises")).readFile(sample.video));

  it("refuses a zero-byte file and a truncated MP4 as INVALID_MEDIA, keeping nothing", async () => {
    const before = await taskDirs();
    const empty = await post("/api/tasks", await videoForm({ bytes: new Blob([]) }));
    expect([empty.status, empty.body.error.code]).toEqual([400, "INVALID_MEDIA"]);
    // The sample has its index (moov) at the end: cut it off and nothing can be read.
    const bytes = await sampleBytes();
    const truncated = await post(
      "/api/tasks",
      await videoForm({ bytes: new Blob([bytes.subarray(0, Math.floor(bytes.length / 2))]) }),
    );
    expect([truncated.status, truncated.body.error.code]).toEqual([400, "INVALID_MEDIA"]);
    expect(await taskDirs()).toEqual(before);
  });

  it("keeps a 300-character unicode name as text only (cut to 255), never as a path", async () => {
    const name = `${"ü".repeat(150)}${"../".repeat(40)}x.mp4`;
    const res = await post("/api/tasks", await videoForm({ name }));
    expect(res.status).toBe(201);
    const task = await web.t.db.task.findUniqueOrThrow({ where: { id: res.body.id } });
    expect(task.originalName.length).toBeLessThanOrEqual(255);
    expect(task.sourceFile).toBe("source/original.mp4");
    expect((await readdir(path.join(web.storageDir, "tasks", res.body.id, "source"))).sort()).toEqual([
      "admitted.json",
      "original.mp4",
    ]);
  });

  it("refuses a video longer than the limit", async () => {
    const long = await makeSampleVideo({
      dir: web.beside("long"),
      durationMs: 61_000,
      lines: [{ startMs: 500, text: "Hi." }],
      width: 64,
      height: 36,
      fps: 5,
    });
    const { readFile } = await import("node:fs/promises");
    const res = await post("/api/tasks", await videoForm({ bytes: new Blob([await readFile(long.video)]) }));
    expect([res.status, res.body.error.code]).toEqual([400, "MEDIA_TOO_LONG"]);
  });

  it("accepts an audio-only file (it is dubbed to an audio-only stream)", async () => {
    const dir = web.beside("in");
    const m4a = path.join(dir, "voice.m4a");
    const { spawnSync } = await import("node:child_process");
    spawnSync("ffmpeg", ["-y", "-v", "error", "-i", sample.video, "-vn", "-c:a", "copy", m4a]);
    const { readFile } = await import("node:fs/promises");
    const res = await post(
      "/api/tasks",
      await videoForm({ bytes: new Blob([await readFile(m4a)]), name: "voice.m4a" }),
    );
    expect(res.status).toBe(201);
    const task = await web.t.db.task.findUniqueOrThrow({ where: { id: res.body.id } });
    expect(task.sourceFile).toBe("source/original.m4a");
  });
});

describe("rate limit and health", () => {
  it("answers 429 with Retry-After past RATE_LIMIT_PER_MINUTE, counted in Redis; /readyz checks DB and Redis", async () => {
    const { createRateLimiter } = await import("../server/rate-limit");
    const { createDependencyCheck } = await import("../server/health");
    const { redis, prefix } = web;
    const limited = createRestHandler(
      web.serviceDeps({
        ...caps,
        rateLimiter: createRateLimiter({ redis, prefix: `${prefix}-rl`, perMinute: 1 }),
        checkDependencies: createDependencyCheck({ db: web.t.db, redis }),
      }),
    );
    const { server: s, url } = await listen(servePaths(limited));
    try {
      const first = await fetch(`${url}/api/tasks`, { method: "POST", body: await videoForm() });
      expect(first.status).toBe(201);
      const before = await taskDirs();
      const second = await fetch(`${url}/api/tasks`, { method: "POST", body: await videoForm() });
      expect(second.status).toBe(429);
      expect(Number(second.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(((await second.json()) as ApiBody).error.code).toBe("RATE_LIMITED");
      expect(await taskDirs()).toEqual(before);
      const ready = await fetch(`${url}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ ok: true, service: "web", db: true, redis: true });
      const health = (await fetch(`${url}/healthz`).then((r) => r.json())) as { db: boolean; redis: boolean };
      expect([health.db, health.redis]).toEqual([true, true]);
    } finally {
      s.close();
      await redis.del(...(await redis.keys(`${prefix}-rl:*`)), "__none__");
    }
  });

  it("never serves a file through a symlink that leads out of the storage root", async () => {
    const { mkdir, symlink } = await import("node:fs/promises");
    const id = "SymlinkTaskAAAAAAAAAAA";
    const hls = path.join(web.storageDir, "tasks", id, "hls");
    await mkdir(hls, { recursive: true });
    const outside = path.join(os.tmpdir(), `vt-outside-${randomUUID()}.m3u8`);
    await writeFile(outside, "#EXTM3U\nSECRET\n");
    await symlink(outside, path.join(hls, "index.m3u8"));
    try {
      const res = await fetch(`${base}/media/${id}/hls/index.m3u8`);
      expect(res.status).toBe(404);
      expect(await res.text()).not.toContain("SECRET");
    } finally {
      await rm(outside, { force: true });
      await rm(path.join(web.storageDir, "tasks", id), { recursive: true, force: true });
    }
  });
});
