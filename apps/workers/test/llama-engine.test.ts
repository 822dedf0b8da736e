/**
 * The embedded llama.cpp translator in the workers' registry: an endpoint wins when
 * configured, else the GGUF model in MODELS_DIR, else "npm run models"; it translates
 * through the engine set with a tiny model the test writes.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { DEFAULT_LLAMA_MODEL, disposeLlamaRuntimes } from "@vitranslator/pipeline";
import { writeTinyGguf } from "@vitranslator/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EngineSet, createEngineSet, enginesOf } from "../src/engines";
import { loadEnv } from "../src/env";

const log = { info: () => undefined, warn: () => undefined, error: () => undefined };
let empty: string;
let withModel: string;

beforeAll(async () => {
  empty = await mkdtemp(path.join(os.tmpdir(), "vt-llama-none-"));
  withModel = await mkdtemp(path.join(os.tmpdir(), "vt-llama-models-"));
  await writeTinyGguf(path.join(withModel, DEFAULT_LLAMA_MODEL));
});
afterAll(async () => {
  await disposeLlamaRuntimes();
  await rm(empty, { recursive: true, force: true });
  await rm(withModel, { recursive: true, force: true });
});

describe("translation registry with llama", () => {
  it("no endpoint and no model: not ready, and the fix is the model pack", async () => {
    const set = new EngineSet(loadEnv({ MODELS_DIR: empty }), { log });
    const status = await set.status("translation");
    expect(status).toMatchObject({
      name: "llama",
      ready: false,
      missing: { fix: "npm run models", download: true },
    });
    // The file and where it goes, never the operator's folder path (the upload page shows this).
    expect(status.missing?.what).toBe(`no translation model ${DEFAULT_LLAMA_MODEL} in MODELS_DIR`);
    expect(enginesOf(set).translator).toBeNull();
  });

  it("the model in MODELS_DIR serves, and translates through the set", async () => {
    const set = new EngineSet(loadEnv({ MODELS_DIR: withModel, LLAMA_GPU: "off" }), { log });
    expect(await set.status("translation")).toMatchObject({ name: "llama", ready: true, languages: "any" });
    const translator = enginesOf(set).translator;
    expect(translator).not.toBeNull();
    const out = await translator?.translate({
      sentences: [
        { index: 0, text: "Hello there." },
        { index: 1, text: "How are you?" },
      ],
      targetLanguage: "fr",
    });
    expect(out?.map((s) => s.index)).toEqual([0, 1]);
    for (const s of out ?? []) expect(s.text.trim()).not.toBe("");
    await set.close();
  });

  it("a configured endpoint wins over the model; TRANSLATION_ENGINE=llama picks the model", () => {
    const endpoint = { MODELS_DIR: withModel, LLM_BASE_URL: "http://127.0.0.1:9/v1" };
    expect(new EngineSet(loadEnv(endpoint), { log }).choose("translation").declaration?.name).toBe("openai");
    const forced = new EngineSet(loadEnv({ ...endpoint, TRANSLATION_ENGINE: "llama" }), { log });
    expect(forced.choose("translation").label).toBe(`llama.cpp ${DEFAULT_LLAMA_MODEL} (gpu auto)`);
  });

  it("a named model that is absent fails boot with what to do; a corrupt one says so", async () => {
    expect(() =>
      createEngineSet(
        loadEnv({ MODELS_DIR: empty, TRANSLATION_ENGINE: "llama", LLAMA_MODEL: "mine.gguf" }),
        log,
      ),
    ).toThrow(/TRANSLATION_ENGINE=llama cannot start: .*put the GGUF model \S+ into MODELS_DIR/);
    const broken = await mkdtemp(path.join(os.tmpdir(), "vt-llama-broken-"));
    try {
      await writeFile(path.join(broken, DEFAULT_LLAMA_MODEL), "<html>not found</html>".repeat(10));
      const status = await new EngineSet(loadEnv({ MODELS_DIR: broken }), { log }).status("translation");
      expect(status.ready).toBe(false);
      expect(status.missing?.what).toMatch(/is not a GGUF model/);
    } finally {
      await rm(broken, { recursive: true, force: true });
    }
  });
});
