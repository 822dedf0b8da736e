/** `npm run dub` against the real REST handler (in-process), real Postgres and Redis. */
import { randomUUID } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "@vitranslator/db/testing";
import type { TestDatabase } from "@vitranslator/db/testing";
import { createLocalStorage, layout } from "@vitranslator/pipeline";
import { closeQueues, createQueues, createRedis, EventBus } from "@vitranslator/queue";
import { makeSampleVideo } from "@vitranslator/testkit";
import type { SampleVideo } from "@vitranslator/testkit";
import { CliError, parseDubArgs, progressLine, runDub } from "../../../scripts/dub-client";
import { HttpError, sendError } from "../server/http-util";
import { createRestHandler } from "../server/rest";

let t: TestDatabase;
let storageDir: string;
let base: string;
let server: http.Server;
let sample: SampleVideo;
const redis = createRedis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
const prefix = `test-${randomUUID()}`;
const queues = createQueues(redis, prefix);

beforeAll(async () => {
  t = await createTestDatabase();
  storageDir = await mkdtemp(path.join(os.tmpdir(), "vt-cli-"));
  sample = await makeSampleVideo({ dir: path.join(storageDir, "inputs"), durationMs: 4000 });
  const rest = createRestHandler({
    db: t.db,
    storage: createLocalStorage(storageDir),
    queues,
    events: new EventBus(redis, prefix),
    maxUploadBytes: 5 * 1024 * 1024,
    maxDurationMs: 60_000,
  });
  server = http.createServer((req, res) => {
    rest(req, res, new URL(req.url ?? "/", "http://x").pathname)
      .then((handled) => {
        if (!handled) sendError(res, new HttpError(404, "NOT_OURS", "not a REST path"));
      })
      .catch((e: unknown) => {
        res.writeHead(500);
        res.end(String(e));
      });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server?.close();
  for (const q of Object.values(queues)) await q.obliterate({ force: true }).catch(() => undefined);
  await closeQueues(queues);
  redis.disconnect();
  await t?.drop();
  await rm(storageDir, { recursive: true, force: true });
});

describe("npm run dub", () => {
  it("parses its arguments and explains what is missing", () => {
    expect(parseDubArgs(["talk.mov", "--to", "fr"])).toEqual({
      video: "talk.mov",
      to: "fr",
      out: "talk.fr.mp4",
      server: "http://localhost:3000",
      burn: false,
    });
    expect(() => parseDubArgs(["talk.mov"])).toThrow(/--to <lang> is required/);
    expect(() => parseDubArgs(["--to", "fr"])).toThrow(/exactly one video/);
    expect(() => parseDubArgs(["a.mp4", "--to", "fr", "--bogus"])).toThrow(CliError);
    expect(
      progressLine(
        { id: "x", status: "processing", progress: 0.5, segments: { total: 4, published: 2 } },
        10,
      ),
    ).toBe("[#####-----]  50%  2/4 parts  processing");
  });

  it("uploads, follows the task with a progress bar and saves the MP4", async () => {
    const out = path.join(storageDir, "out.mp4");
    const lines: string[] = [];
    const finished: { done?: Promise<void> } = {};
    const saved = await runDub(
      {
        ...parseDubArgs([
          sample.video,
          "--to",
          "fr",
          "--subtitles",
          sample.srt,
          "--out",
          out,
          "--server",
          base,
        ]),
      },
      {
        tty: false,
        pollMs: 50,
        write: (text) => {
          lines.push(text);
          const id = /\/watch\/([A-Za-z0-9_-]{22})/.exec(text)?.[1];
          // Stands in for the workers: the task completes with its final MP4 in place.
          if (id)
            finished.done = (async () => {
              const mp4 = layout.finalMp4(path.join(storageDir, "tasks", id));
              await mkdir(path.dirname(mp4), { recursive: true });
              await writeFile(mp4, "dubbed-bytes");
              await t.db.task.update({
                where: { id },
                data: { status: "completed", finalReady: true, segmentCount: 1, publishedCount: 1 },
              });
            })();
        },
      },
    );
    await finished.done;
    expect(saved).toBe(out);
    expect(await readFile(out, "utf8")).toBe("dubbed-bytes");
    expect(lines.join("")).toMatch(/\[#{30}\] 100% {2}1\/1 parts {2}completed/);
  });

  it("GET /api/limits gives the caps the upload page checks before uploading", async () => {
    expect(await fetch(`${base}/api/limits`).then((r) => r.json())).toEqual({
      maxUploadMb: 5,
      maxDurationMin: 1,
    });
  });

  it("says clearly when the server is down or refuses the upload", async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const io = { tty: false, write: () => undefined };
    await expect(
      runDub(parseDubArgs([sample.video, "--to", "fr", "--server", `http://127.0.0.1:${port}`]), io),
    ).rejects.toThrow(/Cannot reach the ViTranslator server .*ECONNREFUSED.*npm start/);
    await expect(
      runDub(parseDubArgs([sample.video, "--to", "xx-klingon", "--server", base]), io),
    ).rejects.toThrow(
      /The server refused the upload: Target language "xx-klingon" is not supported.*\(UNSUPPORTED_LANGUAGE\)/,
    );
    await expect(
      runDub(parseDubArgs(["/nonexistent.mp4", "--to", "fr", "--server", base]), io),
    ).rejects.toThrow("Cannot read the video /nonexistent.mp4.");
  });
});
