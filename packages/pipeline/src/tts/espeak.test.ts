import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useTmpDir } from "@vitranslator/testkit/hooks";
import { readWavFormat } from "../audio/wav";
import { isPipelineError } from "../errors";
import { EspeakEngine, espeakVoiceFor } from "./espeak";

describe("espeakVoiceFor", () => {
  it("maps tags to espeak voices, most specific first", () => {
    expect(espeakVoiceFor("zh")).toBe("cmn");
    expect(espeakVoiceFor("zh-CN")).toBe("cmn");
    expect(espeakVoiceFor("zh_HK")).toBe("yue");
    expect(espeakVoiceFor("en-GB")).toBe("en-gb");
    expect(espeakVoiceFor("en-AU")).toBe("en-us");
    expect(espeakVoiceFor("pt-BR")).toBe("pt-br");
    expect(espeakVoiceFor("fr")).toBe("fr-fr");
    for (const l of ["ja", "ko", "es", "de", "it", "ru", "ar", "hi", "vi", "tr"])
      expect(espeakVoiceFor(l)).toBeDefined();
    expect(espeakVoiceFor("xx")).toBeUndefined();
    expect(espeakVoiceFor("")).toBeUndefined();
  });
});

describe("EspeakEngine (real espeak-ng)", () => {
  const engine = new EspeakEngine();
  const tmp = useTmpDir();

  it("synthesizes mono WAV at espeak's rate and measures its duration", async () => {
    const outPath = join(tmp.dir, "en.wav");
    const res = await engine.synthesize({
      text: "Hello there, this is a test of the dubbing voice.",
      language: "en",
      outPath,
    });
    expect(res.path).toBe(outPath);
    expect(res.durationMs).toBeGreaterThan(1500);
    expect(res.durationMs).toBeLessThan(6000);
    expect(await readWavFormat(outPath)).toMatchObject({
      sampleRate: 22_050,
      channels: 1,
      bitsPerSample: 16,
    });
    // Nothing is left beside it.
    expect(await readdir(tmp.dir)).toEqual(["en.wav"]);
  });

  it("speaks text that starts with a dash and Chinese text", async () => {
    const dash = await engine.synthesize({
      text: "-v --help -w /etc/passwd",
      language: "en-US",
      outPath: join(tmp.dir, "dash.wav"),
    });
    expect(dash.durationMs).toBeGreaterThan(500);
    const zh = await engine.synthesize({
      text: "你好，世界。",
      language: "zh-CN",
      outPath: join(tmp.dir, "zh.wav"),
    });
    expect(zh.durationMs).toBeGreaterThan(500);
  });

  it("rejects an unsupported language as a user error", async () => {
    expect(engine.supports("tlh-XX")).toBe(false);
    const err = await engine
      .synthesize({ text: "x", language: "tlh-XX", outPath: join(tmp.dir, "x.wav") })
      .catch((e: unknown) => e);
    expect(isPipelineError(err) && [err.code, err.category]).toEqual(["UNSUPPORTED_LANGUAGE", "user"]);
  });

  it("stops when aborted", async () => {
    const err = await engine
      .synthesize({
        text: "abort me",
        language: "en",
        outPath: join(tmp.dir, "ab.wav"),
        signal: AbortSignal.abort(),
      })
      .catch((e: unknown) => e);
    expect((err as Error).name).toBe("AbortError");
  });
});
