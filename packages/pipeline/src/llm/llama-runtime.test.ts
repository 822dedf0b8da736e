import { writeFile } from "node:fs/promises";
import path from "node:path";
import { buildTinyGguf } from "@vitranslator/testkit";
import { describe, expect, it } from "vitest";
import { useTmpDir } from "@vitranslator/testkit/hooks";
import { inspectGgufFile, planLlamaResources } from "./llama-runtime";

const GB = 1024 ** 3;

describe("planLlamaResources", () => {
  it("gives a GPU four sequences and a small CPU one, leaving cores to the other stages", () => {
    expect(planLlamaResources({ cpus: 16, freeMemoryBytes: 64 * GB, modelBytes: GB, gpu: true })).toEqual({
      sequences: 4,
      contextSize: 4096,
      threads: 4,
    });
    expect(planLlamaResources({ cpus: 2, freeMemoryBytes: 16 * GB, modelBytes: GB, gpu: false })).toEqual({
      sequences: 1,
      contextSize: 4096,
      threads: 2,
    });
    expect(
      planLlamaResources({ cpus: 1, freeMemoryBytes: 16 * GB, modelBytes: GB, gpu: false }).threads,
    ).toBe(1);
    expect(
      planLlamaResources({ cpus: 16, freeMemoryBytes: 64 * GB, modelBytes: GB, gpu: false }),
    ).toMatchObject({
      sequences: 4,
      threads: 12,
    });
  });

  it("drops sequences when memory is short, never below one, and keeps explicit settings", () => {
    const tight = planLlamaResources({ cpus: 16, freeMemoryBytes: 2.6 * GB, modelBytes: GB, gpu: false });
    expect(tight.sequences).toBe(2);
    expect(planLlamaResources({ cpus: 16, freeMemoryBytes: 0, modelBytes: GB, gpu: false }).sequences).toBe(
      1,
    );
    expect(
      planLlamaResources({
        cpus: 16,
        freeMemoryBytes: 0,
        modelBytes: GB,
        gpu: false,
        sequences: 3,
        contextSize: 2048,
      }),
    ).toMatchObject({ sequences: 3, contextSize: 2048 });
  });
});

describe("inspectGgufFile", () => {
  const tmp = useTmpDir("vt-gguf-");

  it("tells a model from a missing or foreign file", async () => {
    const good = path.join(tmp.dir, "m.gguf");
    const bytes = buildTinyGguf();
    await writeFile(good, bytes);
    expect(inspectGgufFile(good)).toEqual({ state: "ok", bytes: bytes.length });
    expect(inspectGgufFile(path.join(tmp.dir, "none.gguf"))).toEqual({ state: "missing" });
    expect(inspectGgufFile(tmp.dir)).toEqual({ state: "missing" });
    const html = path.join(tmp.dir, "login.gguf");
    await writeFile(html, "<!doctype html><p>Sign in to download</p>");
    expect(inspectGgufFile(html)).toMatchObject({ state: "corrupt" });
  });
});
