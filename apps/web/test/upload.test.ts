/** receiveUpload against hostile files and the minutes quota, with real ffprobe and Redis. */
import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import type http from "node:http";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRedis } from "@vitranslator/queue";
import { useTmpDir } from "@vitranslator/testkit/hooks";
import { AppError, sendError, sendJson } from "../server/http-util";
import { createMinutesQuota } from "../server/quota";
import type { MinutesQuota } from "../server/quota";
import { receiveUpload } from "../server/upload";
import type { MediaCaps } from "@vitranslator/pipeline/media/admission";
import { listen, REDIS_URL } from "./support/server";

const redis = createRedis(REDIS_URL);
const prefix = `test-${randomUUID()}`;
const tmp = useTmpDir("vt-upload-");
let dir: string;
let base: string;
let server: http.Server;
/** What the next request is checked with. */
let setup: { quota?: MinutesQuota; mediaCaps?: MediaCaps; maxDurationMs: number } = { maxDurationMs: 60_000 };

function ffmpeg(...args: string[]): void {
  const r = spawnSync("ffmpeg", ["-v", "error", "-y", ...args]);
  if (r.status !== 0) throw new Error(`ffmpeg failed: ${String(r.stderr)}`);
}

beforeAll(async () => {
  dir = tmp.dir;
  let n = 0;
  ({ server, url: base } = await listen((req, res) => {
    const taskDir = path.join(dir, "tasks", String(n++));
    receiveUpload({ req, taskDir, maxBytes: 4 * 1024 * 1024, videoField: "video", ...setup })
      .then((u) =>
        sendJson(res, 201, { durationMs: u.video.info.durationMs, subtitles: u.subtitles, taskDir }),
      )
      .catch((e: unknown) => {
        if (e instanceof AppError) sendError(res, e);
        else sendJson(res, 500, { error: { code: "INTERNAL", message: String(e) } });
      });
  }));
});

afterAll(async () => {
  server?.close();
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

interface Body {
  durationMs: number;
  taskDir: string;
  error: { code: string; message: string };
}

async function upload(file: string | Buffer, opts: { subtitles?: string; ip?: string } = {}) {
  const form = new FormData();
  const bytes = typeof file === "string" ? await readFile(file) : file;
  form.set("video", new Blob([new Uint8Array(bytes)]), "clip.mp4");
  if (opts.subtitles !== undefined) form.set("subtitles", new Blob([opts.subtitles]), "subs.srt");
  const res = await fetch(base, {
    method: "POST",
    body: form,
    headers: { "x-test-ip": opts.ip ?? "1.2.3.4" },
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Body };
}

const taskDirs = async () => readdir(path.join(dir, "tasks")).catch(() => [] as string[]);

const video = (name: string, seconds: number, size = "64x36") => {
  const out = path.join(dir, name);
  ffmpeg(
    ...[
      "-f",
      "lavfi",
      "-i",
      `testsrc=s=${size}:r=5:d=${seconds}`,
      "-f",
      "lavfi",
      "-i",
      `sine=d=${seconds}`,
    ].concat(["-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", out]),
  );
  return out;
};

describe("receiveUpload: what a stranger uploads", () => {
  it("refuses an HLS playlist posing as a video, which would pull another task's chunk into this dub", async () => {
    const chunk = path.join(dir, "other-task-seg_0_0.ts");
    ffmpeg("-f", "lavfi", "-i", "sine=d=2", "-c:a", "aac", "-f", "mpegts", chunk);
    const playlist = `#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXTINF:2,\n${chunk}\n#EXT-X-ENDLIST\n`;
    const res = await upload(Buffer.from(playlist));
    expect([res.status, res.body.error.code]).toEqual([400, "UNSUPPORTED_FORMAT"]);
  });

  it("refuses a raw H.264 elementary stream without decoding it", async () => {
    const raw = path.join(dir, "raw.h264");
    ffmpeg("-f", "lavfi", "-i", "testsrc=s=64x36:d=1", "-c:v", "libx264", "-f", "h264", raw);
    const res = await upload(raw);
    expect([res.status, res.body.error.code]).toEqual([400, "UNSUPPORTED_FORMAT"]);
  });

  it("refuses a picture over MAX_VIDEO_PIXELS and a frame rate over MAX_VIDEO_FPS", async () => {
    const clip = video("big.mp4", 1, "320x240");
    setup = { maxDurationMs: 60_000, mediaCaps: { maxPixels: 160 * 120, maxFps: 120, maxStreams: 8 } };
    expect((await upload(clip)).body.error.code).toBe("VIDEO_TOO_LARGE");
    setup = { maxDurationMs: 60_000, mediaCaps: { maxPixels: 320 * 240, maxFps: 4, maxStreams: 8 } };
    expect((await upload(clip)).body.error.code).toBe("FRAME_RATE_TOO_HIGH");
    setup = { maxDurationMs: 60_000 };
  });

  it("plans from the real length: an 8 KB MP3 whose header claims 3 h is 1 s long", async () => {
    const short = path.join(dir, "short.mp3");
    ffmpeg("-f", "lavfi", "-i", "sine=d=1", "-c:a", "libmp3lame", "-b:a", "32k", short);
    const bytes = await readFile(short);
    const tag = bytes.indexOf("Info") >= 0 ? bytes.indexOf("Info") : bytes.indexOf("Xing");
    bytes.writeUInt32BE(Math.round((3 * 3600 * 44_100) / 1152), tag + 8);
    const res = await upload(bytes);
    expect(res.status).toBe(201);
    expect(Math.abs(res.body.durationMs - 1000)).toBeLessThan(150);
  });

  it("never parses subtitles in the request: 100 000 '<' in a cue is stored at once for the worker", async () => {
    const clip = video("clip.mp4", 1);
    const hostile = `1\n00:00:00,100 --> 00:00:00,900\n${"<".repeat(100_000)}\n`;
    const started = performance.now();
    const res = await upload(clip, { subtitles: hostile });
    expect(res.status).toBe(201);
    // Tag stripping by regex took ~10 s here (and blocked every other request meanwhile).
    expect(performance.now() - started).toBeLessThan(3000);
    expect(await readFile(path.join(res.body.taskDir, "source/subtitles.srt"), "utf8")).toBe(hostile);
  });

  it("answers 413 SUBTITLES_TOO_LARGE past 2 MB of subtitles, keeping nothing", async () => {
    const clip = video("clip2.mp4", 1);
    const before = await taskDirs();
    const res = await upload(clip, { subtitles: "x".repeat(2 * 1024 * 1024 + 1) });
    expect([res.status, res.body.error.code]).toEqual([413, "SUBTITLES_TOO_LARGE"]);
    expect(await taskDirs()).toEqual(before);
  });
});

describe("minutes quota", () => {
  it("answers 429 QUOTA_EXCEEDED with Retry-After and the reset time once an IP's minutes are used up", async () => {
    const clip = video("forty.mp4", 40);
    // 22:30 UTC tomorrow (a fake clock in the future: Redis expires the keys by the real one).
    const day = 86_400_000;
    const midnight = Math.ceil(Date.now() / day) * day;
    const now = midnight + day - 90 * 60_000;
    const quota = createMinutesQuota({
      redis,
      prefix,
      perIpPerDay: 1,
      perDay: 0,
      clientIp: (req) => String(req.headers["x-test-ip"]),
      now: () => now,
    });
    setup = { maxDurationMs: 60_000, quota };
    expect((await upload(clip, { ip: "10.0.0.1" })).status).toBe(201);
    const refused = await upload(clip, { ip: "10.0.0.1" });
    expect([refused.status, refused.body.error.code]).toEqual([429, "QUOTA_EXCEEDED"]);
    expect(refused.headers.get("retry-after")).toBe(String(90 * 60));
    expect(refused.body.error.message).toContain(new Date(midnight + day).toISOString());
    // Another address has its own minutes.
    expect((await upload(clip, { ip: "10.0.0.2" })).status).toBe(201);
    setup = { maxDurationMs: 60_000 };
  });

  it("caps all clients together per day, and a refund gives the minutes back", async () => {
    const quota = createMinutesQuota({
      redis,
      prefix: `${prefix}-day`,
      perIpPerDay: 0,
      perDay: 2,
      clientIp: () => randomUUID(),
    });
    const req = {} as http.IncomingMessage;
    const refund = await quota.charge(req, 70_000);
    await quota.charge(req, 40_000);
    const err = await quota.charge(req, 20_000).catch((e: unknown) => e);
    expect(err instanceof AppError && [err.status, err.code]).toEqual([429, "SERVICE_QUOTA_EXCEEDED"]);
    await refund();
    await expect(quota.charge(req, 20_000)).resolves.toBeTypeOf("function");
    const keys = await redis.keys(`${prefix}-day:*`);
    expect(Math.min(...(await Promise.all(keys.map((k) => redis.ttl(k)))))).toBeGreaterThan(0);
    await redis.del(...keys);
  });
});
