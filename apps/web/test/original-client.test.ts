/**
 * The original system's client (ViTranslator/VideoTrans) against this server, driven the way
 * it drives it: a cross-origin page uploads with `video`, `target_language` and
 * `generate_subtitle`, polls GET /task/<id> until `success`, plays /playlists/<id>.m3u8 (the
 * master playlist; renditions and chunks under /segments/<id>/) once `hls_ready`, and
 * downloads /download/<id>.
 * Real Postgres, Redis, ffmpeg, espeak-ng and a worker process; the OpenAI-compatible
 * endpoint (translation, transcription) is the test fake.
 */
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeSampleVideo, probeDurationMs, startFakeOpenAi } from "@vitranslator/testkit";
import type { FakeOpenAi, SampleVideo } from "@vitranslator/testkit";
import { useTmpDir } from "@vitranslator/testkit/hooks";
import { createHttpApi } from "../server/http-api";
import { REDIS_URL, servePaths, useWebStack } from "./support/server";

const CLIENT_ORIGIN = "http://client.example:8080";
const REPO = path.resolve(import.meta.dirname, "..", "..", "..");

const web = useWebStack({ name: "vt-orig-" });
let llm: FakeOpenAi;
let sample: SampleVideo;
const models = useTmpDir("vt-orig-models-");
let base: string;
let worker: ChildProcess | null = null;
let workerLog = "";

beforeAll(async () => {
  llm = await startFakeOpenAi({});
  sample = await makeSampleVideo({ dir: web.beside("in"), durationMs: 6000 });
  const api = createHttpApi(
    web.serviceDeps({ maxUploadBytes: 20 * 1024 * 1024, maxDurationMs: 60_000, engines: web.engineReader() }),
    { corsOrigins: [CLIENT_ORIGIN] },
  );
  base = (await web.listen(servePaths(api))).url;
}, 120_000);

afterAll(async () => {
  if (worker && worker.exitCode === null) {
    const exited = new Promise((r) => worker?.once("exit", r));
    worker.kill("SIGTERM");
    await exited;
  }
  await llm?.close();
});

/** The form the original client posts. */
async function uploadForm(): Promise<FormData> {
  const form = new FormData();
  form.set("video", new Blob([await readFile(sample.video)], { type: "video/mp4" }), "talk.mp4");
  form.set("target_language", "fr");
  form.set("generate_subtitle", "false");
  return form;
}

function startWorker() {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(REPO, "apps/workers/src/main.ts")], {
    cwd: REPO,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATABASE_URL: web.t.url,
      REDIS_URL,
      STORAGE_DIR: web.storageDir,
      QUEUE_PREFIX: web.prefix,
      LLM_BASE_URL: llm.url,
      LLM_API_KEY: "test",
      LLM_MODEL: "fake-translator",
      ASR_MODEL: "whisper-1",
      MODELS_DIR: models.dir,
      SEPARATOR: "none",
      LOG_LEVEL: "warn",
      LOG_FORMAT: "json",
      NODE_ENV: "test",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  worker = child;
  const keep = (b: Buffer) => (workerLog = (workerLog + b.toString()).slice(-8000));
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
}

interface TaskBody {
  task_id?: string;
  status: string;
  progress: number;
  message: string;
  hls_ready?: boolean;
  detail?: string;
  error?: { code: string };
}

describe("the original system's client", () => {
  it("is told at upload, with a code and what to start, when no worker is running", async () => {
    const res = await fetch(`${base}/upload`, { method: "POST", body: await uploadForm() });
    expect(res.status).toBe(409);
    const body = (await res.json()) as TaskBody;
    expect(body.status).toBe("error");
    expect(body.error?.code).toBe("NO_WORKERS");
    expect(body.detail).toMatch(/npm start/);
  });

  it("uploads cross-origin, polls to success, plays the HLS and downloads the MP4", async () => {
    startWorker();
    for (let waited = 0; ; waited += 250) {
      const r = (await fetch(`${base}/api/engines`).then((x) => x.json())) as { workers: number };
      if (r.workers > 0) break;
      if (waited > 60_000) throw new Error(`no worker published its engines; its log: ${workerLog}`);
      await new Promise((res) => setTimeout(res, 250));
    }

    // The browser's preflight (sent when the page adds its own headers) and the upload itself.
    const preflight = await fetch(`${base}/upload`, {
      method: "OPTIONS",
      headers: { origin: CLIENT_ORIGIN, "access-control-request-method": "POST" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe(CLIENT_ORIGIN);
    expect(preflight.headers.get("access-control-allow-methods")).toMatch(/POST/);
    const other = await fetch(`${base}/task/x`, { headers: { origin: "http://evil.example" } });
    expect(other.headers.get("access-control-allow-origin")).toBeNull();

    const up = await fetch(`${base}/upload`, {
      method: "POST",
      body: await uploadForm(),
      headers: { origin: CLIENT_ORIGIN },
    });
    expect(up.headers.get("access-control-allow-origin")).toBe(CLIENT_ORIGIN);
    const created = (await up.json()) as TaskBody;
    expect(up.status).toBe(200);
    expect(created).toMatchObject({ status: "processing", message: expect.any(String) as string });
    const id = created.task_id!;
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);

    // Poll as the client does; play as soon as the first part is in.
    const seen: TaskBody[] = [];
    let played = false;
    let last: TaskBody | undefined;
    const deadline = Date.now() + 240_000;
    while (Date.now() < deadline) {
      const res = await fetch(`${base}/task/${id}`, { headers: { origin: CLIENT_ORIGIN } });
      expect(res.headers.get("access-control-allow-origin")).toBe(CLIENT_ORIGIN);
      last = (await res.json()) as TaskBody;
      seen.push(last);
      expect(["processing", "success", "error"]).toContain(last.status);
      expect(Number.isInteger(last.progress) && last.progress >= 0 && last.progress <= 100).toBe(true);
      expect(typeof last.message).toBe("string");
      if (last.hls_ready && !played) played = await playsFirstChunk(id);
      if (last.status !== "processing") break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(last?.status, `task ended as ${JSON.stringify(last)}; worker log: ${workerLog}`).toBe("success");
    expect(last?.progress).toBe(100);
    expect(played || (await playsFirstChunk(id))).toBe(true);
    expect(seen.some((s) => s.status === "processing" && s.progress > 0 && s.progress < 100)).toBe(true);

    // The master playlist: every rendition under /segments/<id>/; each has ended, and its
    // chunks (relative URIs, so under /segments/<id>/ too) are served.
    const master = await (await fetch(`${base}/playlists/${id}.m3u8`)).text();
    expect(master).toMatch(/^#EXTM3U/);
    const renditions = playlistUris(master);
    expect(renditions.length).toBeGreaterThan(1);
    for (const rendition of renditions) {
      expect(rendition.startsWith(`/segments/${id}/`)).toBe(true);
      const text = await (await fetch(base + rendition, { headers: { origin: CLIENT_ORIGIN } })).text();
      expect(text).toContain("#EXT-X-ENDLIST");
      const chunks = playlistUris(text);
      expect(chunks.length).toBeGreaterThan(0);
      for (const uri of chunks) {
        const chunk = await fetch(new URL(uri, base + rendition), { headers: { origin: CLIENT_ORIGIN } });
        expect(chunk.status).toBe(200);
        expect(chunk.headers.get("access-control-allow-origin")).toBe(CLIENT_ORIGIN);
        if (uri.endsWith(".ts")) expect(new Uint8Array(await chunk.arrayBuffer())[0]).toBe(0x47); // MPEG-TS sync byte
      }
    }

    const mp4 = await fetch(`${base}/download/${id}`, { headers: { origin: CLIENT_ORIGIN } });
    expect(mp4.status).toBe(200);
    expect(mp4.headers.get("content-type")).toBe("video/mp4");
    const file = path.join(web.storageDir, "dl.mp4");
    await (await import("node:fs/promises")).writeFile(file, new Uint8Array(await mp4.arrayBuffer()));
    expect(Math.abs((await probeDurationMs(file)) - 6000)).toBeLessThan(600);
  }, 300_000);

  it("keeps generate_subtitle and target_language on the task (generate_subtitle=true burns subtitles in)", async () => {
    const form = await uploadForm();
    form.set("target_language", "es");
    form.set("generate_subtitle", "true");
    const res = await fetch(`${base}/upload`, { method: "POST", body: form });
    expect(res.status).toBe(200);
    const { task_id } = (await res.json()) as { task_id: string };
    const task = await web.t.db.task.findUniqueOrThrow({ where: { id: task_id } });
    expect([task.targetLanguage, (task.options as { burnSubtitles: boolean }).burnSubtitles]).toEqual([
      "es",
      true,
    ]);
    const status = (await fetch(`${base}/task/${task_id}`).then((r) => r.json())) as TaskBody;
    expect(status.status).toBe("processing");
    expect((await fetch(`${base}/download/${task_id}`)).status).toBe(409);
  });

  it("answers an unknown or malformed task id with status error, and no playlist", async () => {
    for (const id of ["AAAAAAAAAAAAAAAAAAAAAA", "..%2F..%2Fetc", "x"]) {
      const res = await fetch(`${base}/task/${id}`);
      expect(res.status).toBe(200);
      expect(((await res.json()) as TaskBody).status).toBe("error");
      expect((await fetch(`${base}/playlists/${id}.m3u8`)).status).toBe(404);
    }
    expect((await fetch(`${base}/download/AAAAAAAAAAAAAAAAAAAAAA`)).status).toBe(404);
  });
});

/** A playlist's URIs: its URI lines and its renditions' URI="…" attributes. */
function playlistUris(text: string): string[] {
  return [
    ...Array.from(text.matchAll(/URI="([^"]+)"/g), (m) => m[1]!),
    ...text.split("\n").filter((l) => l && !l.startsWith("#")),
  ];
}

/** What hls.js does first: read the master playlist, then the variant's playlist, fetch its first chunk. */
async function playsFirstChunk(id: string): Promise<boolean> {
  const res = await fetch(`${base}/playlists/${id}.m3u8`, { headers: { origin: CLIENT_ORIGIN } });
  if (res.status !== 200) return false;
  expect(res.headers.get("content-type")).toBe("application/vnd.apple.mpegurl");
  const variant = (await res.text()).split("\n").find((l) => l && !l.startsWith("#"));
  if (!variant) return false;
  const media = await fetch(base + variant);
  if (media.status !== 200) return false;
  const first = (await media.text()).split("\n").find((l) => l && !l.startsWith("#"));
  if (!first) return false;
  const chunk = await fetch(new URL(first, base + variant));
  return chunk.status === 200 && (await chunk.arrayBuffer()).byteLength > 0;
}
