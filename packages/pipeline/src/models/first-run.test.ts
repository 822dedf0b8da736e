/**
 * The first-run download against a local HTTP server: progress in the status file while
 * it runs, nothing visible under the model's name before it is complete and verified, one
 * downloader per folder, and an exact list of what is missing when the server is away.
 */
import { readFileSync } from "node:fs";
import { readFile, stat, writeFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTmpDir } from "@vitranslator/testkit/hooks";
import { fetchModelPack } from "./first-run";
import { firstStartModels } from "./first-start";
import type { ModelEntry } from "./manifest";
import { packProgressLine, packStatusPath, readModelPackProgress, readModelPackStatus } from "./pack-status";
import type { ModelPackStatus } from "./pack-status";

const tmp = useTmpDir("vt-first-run-");
let server: http.Server;
let base: string;
const BIG = Buffer.alloc(300_000, 3);
const SMALL = Buffer.from("small model bytes");
/** Resolves the held request on /held.bin (sends the second half). */
let releaseHeld: (() => void) | undefined;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const url = req.url ?? "";
    if (url === "/small.onnx") return void res.writeHead(200, { "content-length": SMALL.length }).end(SMALL);
    if (url === "/big.gguf") {
      res.writeHead(200, { "content-length": BIG.length });
      // Several chunks, so progress is reported on the way.
      for (let i = 0; i < BIG.length; i += 50_000) res.write(BIG.subarray(i, i + 50_000));
      return void res.end();
    }
    if (url === "/held.bin") {
      res.writeHead(200, { "content-length": BIG.length });
      res.write(BIG.subarray(0, BIG.length / 2));
      releaseHeld = () => res.end(BIG.subarray(BIG.length / 2));
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const entry = (name: string, over: Partial<ModelEntry> = {}): ModelEntry => ({
  purpose: `model ${name}`,
  url: `${base}/${name}`,
  format: "file",
  target: name,
  ...over,
});

const exists = (p: string) =>
  stat(p).then(
    () => true,
    () => false,
  );

describe("fetchModelPack", () => {
  it("downloads what is missing and reports per-model progress in the status file", async () => {
    const modelsDir = path.join(tmp.dir, "a");
    const seen: ModelPackStatus[] = [];
    const behind: string[] = [];
    const { report, status } = await fetchModelPack({
      modelsDir,
      entries: [entry("small.onnx"), entry("big.gguf", { sizeMb: 1 })],
      throttleMs: 0,
      onStatus: (s) => {
        seen.push(s);
        // What an observer is told is already what the file says (a reader never sees it behind).
        const onDisk = JSON.parse(readFileSync(packStatusPath(modelsDir), "utf8")) as ModelPackStatus;
        if (JSON.stringify(onDisk.models) !== JSON.stringify(s.models)) behind.push(s.updatedAt);
      },
    });
    expect(behind).toEqual([]);
    expect(report.installed.map((e) => e.target)).toEqual(["small.onnx", "big.gguf"]);
    expect(status.state).toBe("done");
    expect(await readFile(path.join(modelsDir, "big.gguf"))).toEqual(BIG);
    const midway = seen.find((s) => {
      const big = s.models[1];
      return big?.state === "downloading" && big.received > 0 && big.received < BIG.length;
    });
    expect(midway?.models[1]?.total).toBe(BIG.length);
    const view = await readModelPackStatus(modelsDir);
    expect(view).toMatchObject({ state: "done", stalled: false, fraction: 1 });
    expect(view?.models.map((m) => m.state)).toEqual(["installed", "installed"]);
    expect(await exists(path.join(modelsDir, ".downloads", "pack.lock"))).toBe(false);
  });

  it("never shows a model under its name before it is complete, and allows one downloader per folder", async () => {
    const modelsDir = path.join(tmp.dir, "b");
    const target = path.join(modelsDir, "held.bin");
    let midway: Promise<void> | undefined;
    const first = fetchModelPack({
      modelsDir,
      entries: [entry("held.bin")],
      throttleMs: 0,
      onStatus: (s) => {
        const m = s.models[0];
        if (midway || m?.state !== "downloading" || m.received < BIG.length / 2) return;
        midway = (async () => {
          try {
            expect(await exists(target)).toBe(false);
            expect(await exists(path.join(modelsDir, ".downloads", "held.bin.part"))).toBe(true);
            const view = await readModelPackStatus(modelsDir);
            expect(view?.state).toBe("running");
            expect(view?.fraction).toBeGreaterThan(0);
            expect(view?.fraction).toBeLessThan(1);
            await expect(fetchModelPack({ modelsDir, entries: [entry("held.bin")] })).rejects.toMatchObject({
              code: "MODEL_DOWNLOAD_BUSY",
            });
          } finally {
            releaseHeld?.();
          }
        })();
      },
    });
    const { status } = await first;
    await midway;
    expect(midway).toBeDefined();
    expect(status.state).toBe("done");
    expect(await readFile(target)).toEqual(BIG);
  });

  it("takes over a lock left by a process that is gone", async () => {
    const modelsDir = path.join(tmp.dir, "c");
    await fetchModelPack({ modelsDir, entries: [] });
    await writeFile(path.join(modelsDir, ".downloads", "pack.lock"), "999999999");
    const { status } = await fetchModelPack({ modelsDir, entries: [entry("small.onnx")] });
    expect(status.state).toBe("done");
  });
});

describe("readModelPackStatus", () => {
  it("is null without a status file or with a foreign one, and marks a silent downloader stalled", async () => {
    const modelsDir = path.join(tmp.dir, "d");
    expect(await readModelPackStatus(modelsDir)).toBeNull();
    await fetchModelPack({ modelsDir, entries: [] });
    const file = packStatusPath(modelsDir);
    const status = JSON.parse(await readFile(file, "utf8")) as ModelPackStatus;
    await writeFile(file, JSON.stringify({ ...status, state: "running" }));
    const later = Date.parse(status.updatedAt) + 10 * 60_000;
    expect((await readModelPackStatus(modelsDir, later))?.stalled).toBe(true);
    await writeFile(file, "{not json");
    expect(await readModelPackStatus(modelsDir)).toBeNull();
    await writeFile(file, JSON.stringify({ version: 2 }));
    expect(await readModelPackStatus(modelsDir)).toBeNull();
  });
});

describe("readModelPackProgress", () => {
  it("gives the browser names, states and bytes, but no paths, URLs or error text", async () => {
    const modelsDir = path.join(tmp.dir, "h");
    const gone = entry("x.gguf", {
      purpose: "p",
      url: "http://127.0.0.1:1/secret/x.gguf",
      target: "llm/x.gguf",
    });
    await fetchModelPack({ modelsDir, entries: [entry("small.onnx"), gone] });
    const progress = await readModelPackProgress(modelsDir);
    expect(progress?.state).toBe("incomplete");
    expect(progress?.models).toEqual([
      {
        name: "small.onnx",
        purpose: "model small.onnx",
        state: "installed",
        received: SMALL.length,
        total: SMALL.length,
      },
      {
        name: "x.gguf",
        purpose: "p",
        state: "failed",
        received: 0,
        total: null,
        error: "MODEL_DOWNLOAD_FAILED",
      },
    ]);
    const json = JSON.stringify(progress);
    expect(json).not.toContain(modelsDir);
    expect(json).not.toContain("127.0.0.1");
    expect(await readModelPackProgress(path.join(tmp.dir, "never"))).toBeNull();
  });
});

describe("firstStartModels", () => {
  it("says nothing when every model is there", async () => {
    const modelsDir = path.join(tmp.dir, "e");
    await fetchModelPack({ modelsDir, entries: [entry("small.onnx")] });
    const out: string[] = [];
    const r = await firstStartModels({
      modelsDir,
      entries: [entry("small.onnx")],
      autoDownload: true,
      print: (t) => out.push(t),
    });
    expect(r).toBe("ready");
    expect(out).toEqual([]);
  });

  it("fetches in the background with progress lines, or lists what is missing when turned off", async () => {
    const modelsDir = path.join(tmp.dir, "f");
    const off: string[] = [];
    const entries = [entry("small.onnx"), entry("big.gguf", { sizeMb: 1 })];
    expect(
      await firstStartModels({ modelsDir, entries, autoDownload: false, print: (t) => off.push(t) }),
    ).toBe("disabled");
    expect(off.join("\n")).toContain(`${base}/big.gguf`);
    expect(off.join("\n")).toContain(`save it as ${path.join(modelsDir, "big.gguf")}`);
    expect(await exists(path.join(modelsDir, "small.onnx"))).toBe(false);

    const on: string[] = [];
    const r = await firstStartModels({ modelsDir, entries, autoDownload: true, print: (t) => on.push(t) });
    expect(r).toBe("fetched");
    expect(on[0]).toContain("in the background");
    expect(on.some((l) => /^models \d\/2 \[/.test(l))).toBe(true);
    expect(on.at(-1)).toContain("Models ready");
  });

  it("offline: names each missing model, its URL and where to put it", async () => {
    const modelsDir = path.join(tmp.dir, "g");
    const out: string[] = [];
    const gone: ModelEntry = {
      purpose: "translation (test)",
      url: "http://127.0.0.1:1/model.gguf",
      format: "file",
      target: "model.gguf",
      sizeMb: 3,
    };
    const r = await firstStartModels({
      modelsDir,
      entries: [gone],
      autoDownload: true,
      print: (t) => out.push(t),
    });
    expect(r).toBe("incomplete");
    const text = out.at(-1) ?? "";
    expect(text).toContain("translation (test) (~3 MB)");
    expect(text).toContain("http://127.0.0.1:1/model.gguf");
    expect(text).toContain(`save it as ${path.join(modelsDir, "model.gguf")}`);
    const view = await readModelPackStatus(modelsDir);
    expect(view?.state).toBe("incomplete");
    expect(view?.models[0]?.error?.code).toBe("MODEL_DOWNLOAD_FAILED");
  });
});

describe("packProgressLine", () => {
  it("draws the pack's bar and the model being fetched", () => {
    const status: ModelPackStatus = {
      version: 1,
      state: "running",
      modelsDir: "/m",
      pid: 1,
      startedAt: "",
      updatedAt: "",
      models: [
        { target: "a", purpose: "", state: "installed", received: 0, total: 1e6, path: "/m/a", url: "" },
        {
          target: "x/b.gguf",
          purpose: "",
          state: "downloading",
          received: 5e5,
          total: 3e6,
          path: "",
          url: "",
        },
      ],
    };
    expect(packProgressLine(status, 10)).toBe("models 1/2 [####......]  37% · b.gguf 0.5/3.0 MB");
  });
});
