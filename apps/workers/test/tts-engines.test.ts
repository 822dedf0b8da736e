/** TTS engine choice from the environment: auto-detection and boot failures that say what to set. */
import { describe, expect, it } from "vitest";
import { loadEnv } from "../src/env";
import { createTtsEngine } from "../src/tts-engines";

const pick = (env: Record<string, string>) => {
  const t = createTtsEngine(loadEnv(env));
  t.engine.close?.();
  return t;
};

describe("createTtsEngine", () => {
  it("auto: cosyvoice when COSYVOICE_ADDR is set, else openai with TTS_MODEL and an endpoint, else espeak", () => {
    expect(pick({}).name).toBe("espeak");
    expect(pick({ LLM_BASE_URL: "http://127.0.0.1:9/v1" }).name).toBe("espeak");
    expect(pick({ LLM_BASE_URL: "http://127.0.0.1:9/v1", TTS_MODEL: "tts-1" }).name).toBe("openai");
    expect(pick({ TTS_BASE_URL: "http://127.0.0.1:9/v1", TTS_MODEL: "tts-1" }).name).toBe("openai");
    const cosy = pick({
      COSYVOICE_ADDR: "127.0.0.1:50000",
      TTS_MODEL: "tts-1",
      LLM_BASE_URL: "http://x:1/v1",
    });
    expect([cosy.name, cosy.engine.name, cosy.label]).toEqual([
      "cosyvoice",
      "cosyvoice",
      "cosyvoice v2 at 127.0.0.1:50000",
    ]);
    expect(pick({ TTS_ENGINE: "espeak", COSYVOICE_ADDR: "127.0.0.1:50000" }).name).toBe("espeak");
  });

  it("passes the CosyVoice version, rate and voices through", () => {
    const v1 = pick({ COSYVOICE_ADDR: "gpu:50000", COSYVOICE_VERSION: "1" }).engine as unknown as {
      version: number;
      sampleRate: number;
    };
    expect([v1.version, v1.sampleRate]).toEqual([1, 22_050]);
    const custom = pick({ COSYVOICE_ADDR: "gpu:50000", COSYVOICE_SAMPLE_RATE: "16000" })
      .engine as unknown as {
      sampleRate: number;
    };
    expect(custom.sampleRate).toBe(16_000);
    expect(loadEnv({ TTS_VOICES: " echo, nova ,," }).TTS_VOICES).toEqual(["echo", "nova"]);
  });

  it("picks the sherpa-onnx model when its folder is in MODELS_DIR, and says what is missing otherwise", async () => {
    const { mkdtemp, mkdir } = await import("node:fs/promises");
    const os = await import("node:os");
    const path = await import("node:path");
    const models = await mkdtemp(path.join(os.tmpdir(), "vt-models-"));
    await mkdir(path.join(models, "kokoro-multi-lang-v1_0"));
    const env = { MODELS_DIR: models, SHERPA_TTS_MODEL: "kokoro-multi-lang-v1_0" };
    const chosen = pick(env);
    expect([chosen.name, chosen.engine.name]).toEqual(["sherpa", chosen.engine.name]);
    expect(chosen.label).toBe(`sherpa-onnx kokoro-multi-lang-v1_0 in ${models}`);
    expect(pick({ MODELS_DIR: models, SHERPA_TTS_MODEL: "absent" }).name).toBe("espeak");
    expect(() => pick({ TTS_ENGINE: "sherpa" })).toThrow(/set SHERPA_TTS_MODEL/);
    expect(() => pick({ TTS_ENGINE: "sherpa", MODELS_DIR: models, SHERPA_TTS_MODEL: "absent" })).toThrow(
      /put the model folder absent/,
    );
  });

  it("fails at boot with what to set when the chosen engine is not configured", () => {
    expect(() => pick({ TTS_ENGINE: "cosyvoice" })).toThrow(
      /TTS_ENGINE=cosyvoice cannot start: set COSYVOICE_ADDR/,
    );
    expect(() => pick({ TTS_ENGINE: "cosyvoice", COSYVOICE_ADDR: "gpu" })).toThrow(/host:port/);
    expect(() => pick({ TTS_ENGINE: "openai" })).toThrow(/set TTS_MODEL .* and TTS_BASE_URL or LLM_BASE_URL/);
    expect(() => pick({ TTS_ENGINE: "openai", LLM_BASE_URL: "http://x:1/v1" })).toThrow(/set TTS_MODEL/);
    expect(() => loadEnv({ TTS_ENGINE: "festival" })).toThrow(/TTS_ENGINE/);
  });
});
