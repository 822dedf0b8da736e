/** `npm run dub` against the real REST handler (in-process), real Postgres and Redis. */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { layout } from "@vitranslator/pipeline";
import { makeSampleVideo } from "@vitranslator/testkit";
import type { SampleVideo } from "@vitranslator/testkit";
import { CliError, parseDubArgs, progressLine, runDub } from "../../../scripts/dub-client";
import { createRestHandler } from "../server/rest";
import { listen, servePaths, useWebStack } from "./support/server";

const web = useWebStack({ name: "vt-cli-" });
let base: string;
let sample: SampleVideo;

beforeAll(async () => {
  sample = await makeSampleVideo({ dir: path.join(web.storageDir, "inputs"), durationMs: 4000 });
  const rest = createRestHandler(web.serviceDeps({ maxUploadBytes: 5 * 1024 * 1024, maxDurationMs: 60_000 }));
  base = (await web.listen(servePaths(rest))).url;
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
    const out = path.join(web.storageDir, "out.mp4");
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
              const mp4 = layout.finalMp4(path.join(web.storageDir, "tasks", id), "fr");
              await mkdir(path.dirname(mp4), { recursive: true });
              await writeFile(mp4, "dubbed-bytes");
              await web.t.db.task.update({
                where: { id },
                data: {
                  status: "completed",
                  finalReady: true,
                  finalLanguages: ["fr"],
                  segmentCount: 1,
                  publishedCount: 1,
                },
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
    const { server: closed, port } = await listen(() => undefined);
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
