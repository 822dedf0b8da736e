/** Engine choice from the environment: the registries' auto order, readiness, boot failures that say what to set. */
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EngineSet, REGISTRIES, createEngineSet, enginesOf, reportEngines } from "../src/engines";
import { loadEnv } from "../src/env";

const log = { info: () => undefined, warn: () => undefined, error: () => undefined };
const setOf = (env: Record<string, string>) => createEngineSet(loadEnv(env), log);
const tts = (env: Record<string, string>) => {
  const set = setOf(env);
  const choice = set.choose("tts");
  const engine = set.get("tts");
  void set.close();
  return { name: choice.declaration?.name, label: choice.label, engine };
};

describe("tts registry", () => {
  it("auto: cosyvoice when COSYVOICE_ADDR is set, else openai with TTS_MODEL and an endpoint, else espeak", () => {
    expect(tts({}).name).toBe("espeak");
    expect(tts({ LLM_BASE_URL: "http://127.0.0.1:9/v1" }).name).toBe("espeak");
    expect(tts({ LLM_BASE_URL: "http://127.0.0.1:9/v1", TTS_MODEL: "tts-1" }).name).toBe("openai");
    expect(tts({ TTS_BASE_URL: "http://127.0.0.1:9/v1", TTS_MODEL: "tts-1" }).name).toBe("openai");
    const cosy = tts({
      COSYVOICE_ADDR: "127.0.0.1:50000",
      TTS_MODEL: "tts-1",
      LLM_BASE_URL: "http://x:1/v1",
    });
    expect([cosy.name, cosy.engine?.name, cosy.label]).toEqual([
      "cosyvoice",
      "cosyvoice",
      // What the upload page shows: never an address or a folder of the operator's.
      "cosyvoice v2",
    ]);
    expect(tts({ TTS_ENGINE: "espeak", COSYVOICE_ADDR: "127.0.0.1:50000" }).name).toBe("espeak");
  });

  it("passes the CosyVoice version, rate and voices through", () => {
    const v1 = tts({ COSYVOICE_ADDR: "gpu:50000", COSYVOICE_VERSION: "1" }).engine as unknown as {
      version: number;
      sampleRate: number;
    };
    expect([v1.version, v1.sampleRate]).toEqual([1, 22_050]);
    const custom = tts({ COSYVOICE_ADDR: "gpu:50000", COSYVOICE_SAMPLE_RATE: "16000" }).engine as unknown as {
      sampleRate: number;
    };
    expect(custom.sampleRate).toBe(16_000);
    expect(loadEnv({ TTS_VOICES: " echo, nova ,," }).TTS_VOICES).toEqual(["echo", "nova"]);
  });

  it("picks the sherpa-onnx model when its folder is in MODELS_DIR, and says what is missing otherwise", async () => {
    const models = await mkdtemp(path.join(os.tmpdir(), "vt-models-"));
    await mkdir(path.join(models, "kokoro-multi-lang-v1_0"));
    const chosen = tts({ MODELS_DIR: models, SHERPA_TTS_MODEL: "kokoro-multi-lang-v1_0" });
    expect([chosen.name, chosen.engine?.name]).toEqual(["sherpa", "sherpa:kokoro-multi-lang-v1_0"]);
    expect(chosen.label).toBe("sherpa-onnx kokoro-multi-lang-v1_0");
    expect(tts({ MODELS_DIR: models, SHERPA_TTS_MODEL: "absent" }).name).toBe("espeak");
    expect(() => setOf({ TTS_ENGINE: "sherpa" })).toThrow(
      /TTS_ENGINE=sherpa cannot start: .*set SHERPA_TTS_MODEL/,
    );
    expect(() => setOf({ TTS_ENGINE: "sherpa", MODELS_DIR: models, SHERPA_TTS_MODEL: "absent" })).toThrow(
      /put the model folder absent into/,
    );
  });

  it("fails at boot with what to set when the chosen engine is not configured", () => {
    expect(() => setOf({ TTS_ENGINE: "cosyvoice" })).toThrow(
      /TTS_ENGINE=cosyvoice cannot start: .*set COSYVOICE_ADDR/,
    );
    expect(() => setOf({ TTS_ENGINE: "cosyvoice", COSYVOICE_ADDR: "gpu" })).toThrow(/host:port/);
    expect(() => setOf({ TTS_ENGINE: "openai" })).toThrow(
      /set TTS_MODEL .* and TTS_BASE_URL or LLM_BASE_URL/,
    );
    expect(() => setOf({ TTS_ENGINE: "openai", LLM_BASE_URL: "http://x:1/v1" })).toThrow(/set TTS_MODEL/);
    expect(() => loadEnv({ TTS_ENGINE: "festival" })).toThrow(/TTS_ENGINE/);
    expect(() => loadEnv({ SEPARATOR: "demucs" })).toThrow(/SEPARATOR/);
  });
});

describe("every kind", () => {
  it("is declared the same way, with a selector that takes auto, each name and its off value", () => {
    for (const r of Object.values(REGISTRIES)) {
      for (const e of r.engines) {
        expect(e.kind).toBe(r.kind);
        expect(typeof e.missing).toBe("function");
        expect(typeof e.create).toBe("function");
      }
      expect(() => loadEnv({ [r.selector]: "auto" })).not.toThrow();
    }
    expect(loadEnv({}).SEPARATOR).toBe("rnnoise");
    expect(loadEnv({}).SEGMENT_DETECTOR).toBe("silero");
  });

  it("reports what is missing and the one fix; a model that arrives serves without a restart", async () => {
    const models = await mkdtemp(path.join(os.tmpdir(), "vt-models-"));
    const set = new EngineSet(loadEnv({ MODELS_DIR: models }), { log });
    const before = await reportEngines(set, ["asr", "translate", "tts"]);
    const byKind = Object.fromEntries(before.map((s) => [s.kind, s]));
    expect(byKind.asr).toMatchObject({ ready: false, missing: { fix: "npm run models", download: true } });
    expect(byKind.translation).toMatchObject({
      name: "llama",
      ready: false,
      missing: { fix: "npm run models", download: true },
    });
    expect(byKind.diarization).toMatchObject({ ready: false, missing: { fix: "npm run models" } });
    expect(byKind.tts).toMatchObject({
      name: "espeak",
      ready: true,
      voices: [{ id: "male" }, { id: "female" }],
    });
    expect(byKind.tts?.languages).toEqual(expect.arrayContaining(["fr", "zh", "en"]));
    expect(before.map((s) => s.kind)).toEqual(["asr", "translation", "tts", "diarization"]);
    expect(enginesOf(set).transcriber).toBeNull();

    // The SenseVoice folder lands (as the model download would leave it).
    const sv = path.join(models, "sherpa-onnx-sense-voice-zh-en-ja-ko-yue-2024-07-17");
    await mkdir(sv);
    await writeFile(path.join(sv, "model.int8.onnx"), "");
    await writeFile(path.join(sv, "tokens.txt"), "");
    const later = new Date(Date.now() + 5_000);
    const { vi } = await import("vitest");
    vi.useFakeTimers({ now: later, toFake: ["Date"] });
    try {
      expect(enginesOf(set).transcriber).not.toBeNull();
      expect(await set.status("asr")).toMatchObject({
        name: "sherpa",
        ready: true,
        languages: ["zh", "en", "ja", "ko", "yue"],
      });
    } finally {
      vi.useRealTimers();
      await set.close();
    }
  });

  it("ASR_ENGINE=subtitles is off on purpose: not ready, and says how to turn it on", async () => {
    const set = setOf({ ASR_ENGINE: "subtitles" });
    const asr = await set.status("asr");
    expect([asr.name, asr.ready]).toEqual([null, false]);
    expect(asr.missing?.fix).toMatch(/unset ASR_ENGINE/);
    expect(await setOf({ SEPARATOR: "none" }).status("separation")).toMatchObject({
      name: null,
      ready: true,
    });
  });
});
