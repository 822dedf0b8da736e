import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { findSherpaAsrModel, loadSherpaAsrModel, recognizerConfig } from "../asr/sherpa/loader";
import { loadDiarizationModels } from "../diarization/sherpa";
import { PipelineError } from "../errors";
import { detectTtsKind, guessTtsLanguages, loadSherpaTtsModel, ttsConfig } from "../tts/sherpa/loader";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "vt-models-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function put(rel: string, content = "x"): Promise<void> {
  const p = path.join(dir, rel);
  await mkdir(path.dirname(p), { recursive: true });
  if (rel.endsWith("/")) await mkdir(p, { recursive: true });
  else await writeFile(p, content);
}

async function missing(p: Promise<unknown>): Promise<PipelineError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PipelineError);
  const pe = err as PipelineError;
  expect(pe.code).toBe("MODEL_MISSING");
  expect(pe.category).toBe("user");
  expect(pe.message).toContain("npm run models");
  return pe;
}

describe("ASR model loader", () => {
  it("finds SenseVoice files, preferring int8", async () => {
    await put("sherpa-onnx-sense-voice-x/model.onnx");
    await put("sherpa-onnx-sense-voice-x/model.int8.onnx");
    await put("sherpa-onnx-sense-voice-x/tokens.txt");
    const m = await loadSherpaAsrModel({ modelsDir: dir, name: "sherpa-onnx-sense-voice-x" });
    expect(m.kind).toBe("sense-voice");
    expect(path.basename(m.files.model ?? "")).toBe("model.int8.onnx");
    const cfg = recognizerConfig({ model: m }) as {
      modelConfig: { senseVoice: { language: string; model: string } };
    };
    expect(cfg.modelConfig.senseVoice).toMatchObject({ language: "", model: m.files.model });
  });

  it("names the missing SenseVoice files", async () => {
    await put("sherpa-onnx-sense-voice-x/model.onnx");
    const e = await missing(loadSherpaAsrModel({ modelsDir: dir, name: "sherpa-onnx-sense-voice-x" }));
    expect(e.message).toContain("tokens.txt");
    expect(e.message).not.toContain("model.int8.onnx or");
  });

  it("finds Whisper by its <size>-encoder/decoder/tokens files", async () => {
    for (const f of ["tiny-encoder.int8.onnx", "tiny-decoder.int8.onnx", "tiny-tokens.txt"])
      await put(`sherpa-onnx-whisper-tiny/${f}`);
    const m = await loadSherpaAsrModel({ modelsDir: dir, name: "sherpa-onnx-whisper-tiny" });
    expect(m.kind).toBe("whisper");
    expect(path.basename(m.files.encoder ?? "")).toBe("tiny-encoder.int8.onnx");
    const cfg = recognizerConfig({ model: m, language: "de" }) as {
      modelConfig: { whisper: { language: string; task: string } };
    };
    expect(cfg.modelConfig.whisper).toMatchObject({ language: "de", task: "transcribe" });
  });

  it("reports a Whisper folder without its encoder", async () => {
    await put("sherpa-onnx-whisper-tiny/tiny-tokens.txt");
    const e = await missing(loadSherpaAsrModel({ modelsDir: dir, name: "sherpa-onnx-whisper-tiny" }));
    expect(e.message).toContain("encoder");
  });

  it("auto-detects SenseVoice before Whisper and null when none", async () => {
    expect(await findSherpaAsrModel({ modelsDir: dir })).toBeNull();
    await put("sherpa-onnx-whisper-base/base-encoder.onnx");
    await put("sherpa-onnx-whisper-base/base-decoder.onnx");
    expect(await findSherpaAsrModel({ modelsDir: dir })).toBe("sherpa-onnx-whisper-base");
    await put("sherpa-onnx-sense-voice-zh/tokens.txt");
    expect(await findSherpaAsrModel({ modelsDir: dir })).toBe("sherpa-onnx-sense-voice-zh");
  });
});

describe("TTS model loader", () => {
  it("detects kokoro, matcha and vits from the files", () => {
    expect(detectTtsKind(["model.onnx", "voices.bin", "tokens.txt"])).toBe("kokoro");
    expect(detectTtsKind(["model-steps-3.onnx", "vocos-22khz-univ.onnx", "tokens.txt"])).toBe("matcha");
    expect(detectTtsKind(["en_US-amy-low.onnx", "tokens.txt"])).toBe("vits");
    expect(detectTtsKind(["README.md"])).toBeNull();
  });

  it("guesses languages from the folder name", () => {
    expect(guessTtsLanguages("vits-piper-de_DE-thorsten-low", "vits")).toEqual(["de"]);
    expect(guessTtsLanguages("kokoro-multi-lang-v1_0", "kokoro")).toEqual(["en", "zh"]);
    expect(guessTtsLanguages("matcha-icefall-zh-baker", "matcha")).toEqual(["zh"]);
  });

  it("loads a kokoro model with espeak-ng-data and lexicons", async () => {
    for (const f of ["model.onnx", "voices.bin", "tokens.txt", "lexicon-us-en.txt", "lexicon-zh.txt"])
      await put(`kokoro-multi-lang-v1_0/${f}`);
    await put("kokoro-multi-lang-v1_0/espeak-ng-data/");
    const m = await loadSherpaTtsModel({ modelsDir: dir, name: "kokoro-multi-lang-v1_0" });
    expect(m.kind).toBe("kokoro");
    const k = m.modelConfig.kokoro as Record<string, string>;
    expect(k.voices).toMatch(/voices\.bin$/);
    expect(k.dataDir).toMatch(/espeak-ng-data$/);
    expect(k.lexicon?.split(",")).toHaveLength(2);
    expect(ttsConfig({ model: m })).toMatchObject({
      model: { numThreads: 2, kokoro: k },
      maxNumSentences: 1,
    });
  });

  it("loads piper (vits) and matcha models", async () => {
    for (const f of ["en_US-amy-low.onnx", "tokens.txt"]) await put(`vits-piper-en_US-amy-low/${f}`);
    await put("vits-piper-en_US-amy-low/espeak-ng-data/");
    const v = await loadSherpaTtsModel({ modelsDir: dir, name: "vits-piper-en_US-amy-low" });
    expect(v.kind).toBe("vits");
    expect((v.modelConfig.vits as Record<string, string>).model).toMatch(/en_US-amy-low\.onnx$/);
    for (const f of ["model-steps-3.onnx", "vocos-22khz-univ.onnx", "tokens.txt", "lexicon.txt", "date.fst"])
      await put(`matcha-icefall-zh-baker/${f}`);
    const m = await loadSherpaTtsModel({ modelsDir: dir, name: "matcha-icefall-zh-baker" });
    expect(m.kind).toBe("matcha");
    const matcha = m.modelConfig.matcha as Record<string, string>;
    expect(path.basename(matcha.acousticModel ?? "")).toBe("model-steps-3.onnx");
    expect(path.basename(matcha.vocoder ?? "")).toBe("vocos-22khz-univ.onnx");
    const cfg = ttsConfig({ model: m }) as { ruleFsts?: string };
    expect(cfg.ruleFsts).toMatch(/date\.fst$/);
  });

  it("names what a TTS folder lacks", async () => {
    await missing(loadSherpaTtsModel({ modelsDir: dir, name: "nothing-here" }));
    for (const f of ["model.onnx", "voices.bin", "tokens.txt"]) await put(`kokoro-en/${f}`);
    const e = await missing(loadSherpaTtsModel({ modelsDir: dir, name: "kokoro-en" }));
    expect(e.message).toContain("espeak-ng-data/ or lexicon.txt");
  });
});

describe("diarization model loader", () => {
  it("needs the pyannote model and a speaker-embedding onnx", async () => {
    const e1 = await missing(loadDiarizationModels({ modelsDir: dir }));
    expect(e1.message).toContain("model.int8.onnx or model.onnx");
    await put("sherpa-onnx-pyannote-segmentation-3-0/model.onnx");
    const e2 = await missing(loadDiarizationModels({ modelsDir: dir }));
    expect(e2.message).toContain("speaker-embedding");
    await put("speaker-embedding/3dspeaker.onnx");
    const m = await loadDiarizationModels({ modelsDir: dir });
    expect(path.basename(m.embedding)).toBe("3dspeaker.onnx");
  });
});
