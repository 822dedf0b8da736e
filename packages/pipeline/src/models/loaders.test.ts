import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { SHERPA_METADATA, sherpaLikeOnnx } from "@vitranslator/testkit";
import { useTmpDir } from "@vitranslator/testkit/hooks";
import { findSherpaAsrModel, loadSherpaAsrModel, recognizerConfig } from "../asr/sherpa/loader";
import { loadDiarizationModels } from "../diarization/sherpa";
import { PipelineError } from "../errors";

const tmp = useTmpDir("vt-models-", { each: true });

/** The metadata sherpa reads from each kind of file, by name. */
function metadataFor(rel: string): Record<string, string> {
  if (/sense-voice/.test(rel)) return SHERPA_METADATA.senseVoice;
  if (/-encoder/.test(rel)) return SHERPA_METADATA.whisperEncoder;
  if (/pyannote/.test(rel)) return SHERPA_METADATA.pyannote;
  if (/speaker-embedding/.test(rel)) return SHERPA_METADATA.speaker3d;
  return {};
}

/** Writes a file of a model folder; .onnx files are ONNX with the metadata of their kind unless `content` is given. */
async function put(rel: string, content?: string | Buffer): Promise<void> {
  const p = path.join(tmp.dir, rel);
  await mkdir(path.dirname(p), { recursive: true });
  if (rel.endsWith("/")) await mkdir(p, { recursive: true });
  else
    await writeFile(
      p,
      content ?? (rel.endsWith(".onnx") ? sherpaLikeOnnx({ metadata: metadataFor(rel) }) : "x"),
    );
}

async function invalid(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PipelineError);
  expect([(err as PipelineError).code, (err as PipelineError).category]).toEqual(["MODEL_INVALID", "user"]);
  return (err as PipelineError).message;
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
    const m = await loadSherpaAsrModel({ modelsDir: tmp.dir, name: "sherpa-onnx-sense-voice-x" });
    expect(m.kind).toBe("sense-voice");
    expect(path.basename(m.files.model ?? "")).toBe("model.int8.onnx");
    const cfg = recognizerConfig({ model: m }) as {
      modelConfig: { senseVoice: { language: string; model: string } };
    };
    expect(cfg.modelConfig.senseVoice).toMatchObject({ language: "", model: m.files.model });
  });

  it("names the missing SenseVoice files", async () => {
    await put("sherpa-onnx-sense-voice-x/model.onnx");
    const e = await missing(loadSherpaAsrModel({ modelsDir: tmp.dir, name: "sherpa-onnx-sense-voice-x" }));
    expect(e.message).toContain("tokens.txt");
    expect(e.message).not.toContain("model.int8.onnx or");
  });

  it("finds Whisper by its <size>-encoder/decoder/tokens files", async () => {
    for (const f of ["tiny-encoder.int8.onnx", "tiny-decoder.int8.onnx", "tiny-tokens.txt"])
      await put(`sherpa-onnx-whisper-tiny/${f}`);
    const m = await loadSherpaAsrModel({ modelsDir: tmp.dir, name: "sherpa-onnx-whisper-tiny" });
    expect(m.kind).toBe("whisper");
    expect(path.basename(m.files.encoder ?? "")).toBe("tiny-encoder.int8.onnx");
    const cfg = recognizerConfig({ model: m, language: "de" }) as {
      modelConfig: { whisper: { language: string; task: string } };
    };
    expect(cfg.modelConfig.whisper).toMatchObject({ language: "de", task: "transcribe" });
  });

  it("reports a Whisper folder without its encoder", async () => {
    await put("sherpa-onnx-whisper-tiny/tiny-tokens.txt");
    const e = await missing(loadSherpaAsrModel({ modelsDir: tmp.dir, name: "sherpa-onnx-whisper-tiny" }));
    expect(e.message).toContain("encoder");
  });

  it("refuses SenseVoice and Whisper files whose metadata sherpa would exit on", async () => {
    const { lang_yue: _y, ...noYue } = SHERPA_METADATA.senseVoice;
    await put("sherpa-onnx-sense-voice-x/model.int8.onnx", sherpaLikeOnnx({ metadata: noYue }));
    await put("sherpa-onnx-sense-voice-x/tokens.txt");
    expect(
      await invalid(loadSherpaAsrModel({ modelsDir: tmp.dir, name: "sherpa-onnx-sense-voice-x" })),
    ).toContain("lang_yue is missing");
    const w = SHERPA_METADATA.whisperEncoder;
    await put(
      "sherpa-onnx-whisper-tiny/tiny-encoder.onnx",
      sherpaLikeOnnx({ metadata: { ...w, all_language_codes: "en" } }),
    );
    await put("sherpa-onnx-whisper-tiny/tiny-decoder.onnx");
    await put("sherpa-onnx-whisper-tiny/tiny-tokens.txt");
    expect(
      await invalid(loadSherpaAsrModel({ modelsDir: tmp.dir, name: "sherpa-onnx-whisper-tiny" })),
    ).toContain("all_language_tokens and all_language_codes differ");
    await put(
      "sherpa-onnx-whisper-tiny/tiny-encoder.onnx",
      sherpaLikeOnnx({ metadata: { ...w, sot: "-1" } }),
    );
    expect(
      await invalid(loadSherpaAsrModel({ modelsDir: tmp.dir, name: "sherpa-onnx-whisper-tiny" })),
    ).toContain("sot=");
    await put("sherpa-onnx-whisper-tiny/tiny-encoder.onnx", "not an onnx file at all");
    expect(
      await invalid(loadSherpaAsrModel({ modelsDir: tmp.dir, name: "sherpa-onnx-whisper-tiny" })),
    ).toContain("not a readable ONNX model");
  });

  it("auto-detects SenseVoice before Whisper and null when none", async () => {
    expect(await findSherpaAsrModel({ modelsDir: tmp.dir })).toBeNull();
    await put("sherpa-onnx-whisper-base/base-encoder.onnx");
    await put("sherpa-onnx-whisper-base/base-decoder.onnx");
    expect(await findSherpaAsrModel({ modelsDir: tmp.dir })).toBe("sherpa-onnx-whisper-base");
    await put("sherpa-onnx-sense-voice-zh/tokens.txt");
    expect(await findSherpaAsrModel({ modelsDir: tmp.dir })).toBe("sherpa-onnx-sense-voice-zh");
  });
});

describe("diarization model loader", () => {
  it("needs the pyannote model and a speaker-embedding onnx", async () => {
    const e1 = await missing(loadDiarizationModels({ modelsDir: tmp.dir }));
    expect(e1.message).toContain("model.int8.onnx or model.onnx");
    await put("sherpa-onnx-pyannote-segmentation-3-0/model.onnx");
    const e2 = await missing(loadDiarizationModels({ modelsDir: tmp.dir }));
    expect(e2.message).toContain("speaker-embedding");
    await put("speaker-embedding/3dspeaker.onnx");
    const m = await loadDiarizationModels({ modelsDir: tmp.dir });
    expect(path.basename(m.embedding)).toBe("3dspeaker.onnx");
  });

  it("refuses segmentation and embedding models whose metadata sherpa would exit on", async () => {
    const { num_classes: _n, ...seg } = SHERPA_METADATA.pyannote;
    await put("sherpa-onnx-pyannote-segmentation-3-0/model.onnx", sherpaLikeOnnx({ metadata: seg }));
    await put("speaker-embedding/3dspeaker.onnx");
    expect(await invalid(loadDiarizationModels({ modelsDir: tmp.dir }))).toContain("num_classes is missing");
    await put("sherpa-onnx-pyannote-segmentation-3-0/model.onnx");
    await put("speaker-embedding/3dspeaker.onnx", sherpaLikeOnnx({ metadata: { output_dim: "512" } }));
    expect(await invalid(loadDiarizationModels({ modelsDir: tmp.dir }))).toContain("framework is missing");
    const nemo = { framework: "nemo", output_dim: "192", sample_rate: "16000", language: "English" };
    await put("speaker-embedding/3dspeaker.onnx", sherpaLikeOnnx({ metadata: nemo }));
    expect(await invalid(loadDiarizationModels({ modelsDir: tmp.dir }))).toContain("feat_dim is missing");
  });
});
