import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTmpDir } from "@vitranslator/testkit/hooks";
import { describeMissing, installModels, readLock, renderProgressBar } from "./download";
import type { ModelEntry } from "./manifest";

const tmp = useTmpDir("vt-dl-");
let server: http.Server;
let base: string;
const files = new Map<string, Buffer>();
const requests: { path: string; range: string | undefined }[] = [];
/** Paths whose first request is cut after half the body. */
const dropOnce = new Set<string>();

beforeAll(async () => {
  files.set("/small.onnx", Buffer.from("x".repeat(50_000)));
  const src = path.join(tmp.dir, "src");
  await mkdir(path.join(src, "tiny-model"), { recursive: true });
  await writeFile(path.join(src, "tiny-model", "model.onnx"), "model");
  await writeFile(path.join(src, "tiny-model", "tokens.txt"), "a 0\n");
  execFileSync("tar", ["-cjf", path.join(tmp.dir, "tiny.tar.bz2"), "-C", src, "tiny-model"]);
  files.set("/tiny-model.tar.bz2", await readFile(path.join(tmp.dir, "tiny.tar.bz2")));
  files.set("/big.onnx", Buffer.alloc(200_000, 7));
  dropOnce.add("/big.onnx");
  server = http.createServer((req, res) => {
    const url = req.url ?? "";
    requests.push({ path: url, range: req.headers.range });
    const body = files.get(url);
    if (!body) return void res.writeHead(404).end();
    const m = /bytes=(\d+)-/.exec(req.headers.range ?? "");
    const start = m ? Number(m[1]) : 0;
    if (start >= body.length) return void res.writeHead(416).end();
    const part = body.subarray(start);
    res.writeHead(m ? 206 : 200, {
      "content-length": part.length,
      ...(m ? { "content-range": `bytes ${start}-${body.length - 1}/${body.length}` } : {}),
    });
    if (dropOnce.delete(url)) {
      res.write(part.subarray(0, part.length / 2), () => res.destroy());
      return;
    }
    res.end(part);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
});

const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");

describe("installModels", () => {
  it("downloads a file and an archive, records digests (TOFU) and skips them next time", async () => {
    const modelsDir = path.join(tmp.dir, "m1");
    const entries: ModelEntry[] = [
      { purpose: "vad", url: `${base}/small.onnx`, format: "file", target: "silero_vad.onnx" },
      { purpose: "asr", url: `${base}/tiny-model.tar.bz2`, format: "tar.bz2", target: "tiny-model" },
    ];
    const seen: number[] = [];
    const r = await installModels({ modelsDir, entries, onProgress: (p) => seen.push(p.received) });
    expect(r.failed).toEqual([]);
    expect(r.installed).toHaveLength(2);
    expect(await readFile(path.join(modelsDir, "tiny-model", "tokens.txt"), "utf8")).toBe("a 0\n");
    expect((await stat(path.join(modelsDir, "silero_vad.onnx"))).size).toBe(50_000);
    expect(seen.at(-1)).toBeGreaterThan(0);
    const lock = await readLock(modelsDir);
    expect(lock.files[`${base}/small.onnx`]?.sha256).toBe(sha(files.get("/small.onnx") ?? Buffer.alloc(0)));
    const again = await installModels({ modelsDir, entries });
    expect(again.present).toHaveLength(2);
  });

  it("resumes a dropped download with a Range request", async () => {
    const modelsDir = path.join(tmp.dir, "m2");
    const entry: ModelEntry = {
      purpose: "big",
      url: `${base}/big.onnx`,
      format: "file",
      target: "big/big.onnx",
    };
    const before = requests.length;
    const r = await installModels({ modelsDir, entries: [entry] });
    expect(r.failed).toEqual([]);
    expect(await readFile(path.join(modelsDir, "big", "big.onnx"))).toEqual(files.get("/big.onnx"));
    const mine = requests.slice(before).filter((q) => q.path === "/big.onnx");
    expect(mine).toHaveLength(2);
    expect(mine[1]?.range).toMatch(/^bytes=[1-9]\d*-$/);
  });

  it("rejects a file whose sha256 differs from the pinned or recorded one", async () => {
    const modelsDir = path.join(tmp.dir, "m3");
    const pinned: ModelEntry = {
      purpose: "vad",
      url: `${base}/small.onnx`,
      format: "file",
      target: "a.onnx",
      sha256: "0".repeat(64),
    };
    const r = await installModels({ modelsDir, entries: [pinned] });
    expect(r.failed[0]?.error).toMatchObject({ code: "MODEL_CHECKSUM_MISMATCH" });
    await expect(stat(path.join(modelsDir, "a.onnx"))).rejects.toThrow();
    // Trust on first use: the server later serves different bytes under the same URL.
    const tofu: ModelEntry = { purpose: "vad", url: `${base}/small.onnx`, format: "file", target: "b.onnx" };
    expect((await installModels({ modelsDir, entries: [tofu] })).failed).toEqual([]);
    files.set("/small.onnx", Buffer.from("y".repeat(50_000)));
    await rm(path.join(modelsDir, "b.onnx"));
    const changed = await installModels({ modelsDir, entries: [tofu] });
    expect(changed.failed[0]?.error.message).toContain("models.lock.json");
  });

  it("says what is missing and where to get it when the server cannot be reached", async () => {
    const modelsDir = path.join(tmp.dir, "m4");
    const entry: ModelEntry = {
      purpose: "speech recognition",
      url: "http://127.0.0.1:1/x.tar.bz2",
      format: "tar.bz2",
      target: "x",
      sizeMb: 5,
    };
    const r = await installModels({ modelsDir, entries: [entry] });
    expect(r.failed[0]?.error).toMatchObject({ code: "MODEL_DOWNLOAD_FAILED" });
    const text = describeMissing(modelsDir, r.failed);
    expect(text).toContain("speech recognition (~5 MB)");
    expect(text).toContain("http://127.0.0.1:1/x.tar.bz2");
    expect(text).toContain(`tar -xjf <file> -C ${modelsDir}`);
  });
});

describe("renderProgressBar", () => {
  it("draws the fraction done", () => {
    expect(renderProgressBar({ label: "m", received: 5e6, total: 10e6, width: 10 })).toBe(
      "m [#####.....]  50% 5.0/10.0 MB",
    );
    expect(renderProgressBar({ label: "m", received: 2e6, total: null })).toBe("m 2.0 MB");
  });
});
