/** Locating a SenseVoice or Whisper model in MODELS_DIR and turning it into a recognizer config. */
import path from "node:path";
import { listDir, listModelDirs, modelMissing, resolveModelFiles } from "../../models/model-dir";
import { checkSherpaModel } from "../../models/sherpa-checks";

export type SherpaAsrKind = "sense-voice" | "whisper";

/** The original system's model; what `npm run models` downloads. */
export const DEFAULT_SHERPA_ASR_MODEL = "sherpa-onnx-sense-voice-zh-en-ja-ko-yue-2024-07-17";

export interface SherpaAsrModel {
  name: string;
  dir: string;
  kind: SherpaAsrKind;
  /** Absolute file paths the recognizer config needs. */
  files: { model?: string; encoder?: string; decoder?: string; tokens: string };
}

/** Whisper exports are `<size>-encoder[.int8].onnx`, `<size>-decoder[.int8].onnx`, `<size>-tokens.txt`. */
function whisperPrefix(files: readonly string[]): string | null {
  const enc = files.filter((f) => /-encoder(\.int8)?\.onnx$/.test(f)).sort();
  for (const e of enc) {
    const prefix = e.replace(/-encoder(\.int8)?\.onnx$/, "");
    if (files.some((f) => f.startsWith(`${prefix}-decoder`))) return prefix;
  }
  return null;
}

export function detectAsrKind(name: string, files: readonly string[]): SherpaAsrKind | null {
  if (/whisper/i.test(name) || whisperPrefix(files)) return "whisper";
  if (/sense-?voice/i.test(name)) return "sense-voice";
  return null;
}

/**
 * Validates `MODELS_DIR/<name>/` and returns its file paths. A missing folder or file is a
 * user error (MODEL_MISSING) naming exactly what is absent; a model sherpa would not accept
 * (its metadata) is MODEL_INVALID, found before sherpa could end the process on it.
 */
export async function loadSherpaAsrModel(opts: { modelsDir: string; name: string }): Promise<SherpaAsrModel> {
  const dir = path.resolve(opts.modelsDir, opts.name);
  const files = await listDir(dir);
  const kind = detectAsrKind(opts.name, files) ?? "sense-voice";
  if (kind === "sense-voice") {
    const found = await resolveModelFiles({
      dir,
      what: `SenseVoice speech recognition (${opts.name})`,
      files: [
        { key: "model", candidates: ["model.int8.onnx", "model.onnx"] },
        { key: "tokens", candidates: ["tokens.txt"] },
      ],
    });
    const what = `SenseVoice speech recognition (${opts.name})`;
    await checkSherpaModel({ file: found.model ?? "", kind: "senseVoice", what });
    return { name: opts.name, dir, kind, files: { model: found.model, tokens: found.tokens ?? "" } };
  }
  const prefix = whisperPrefix(files);
  if (!prefix) {
    throw modelMissing({
      what: `Whisper speech recognition (${opts.name})`,
      dir,
      missing: ["<size>-encoder.onnx", "<size>-decoder.onnx", "<size>-tokens.txt"],
    });
  }
  const found = await resolveModelFiles({
    dir,
    what: `Whisper speech recognition (${opts.name})`,
    files: [
      { key: "encoder", candidates: [`${prefix}-encoder.int8.onnx`, `${prefix}-encoder.onnx`] },
      { key: "decoder", candidates: [`${prefix}-decoder.int8.onnx`, `${prefix}-decoder.onnx`] },
      { key: "tokens", candidates: [`${prefix}-tokens.txt`, "tokens.txt"] },
    ],
  });
  // sherpa reads Whisper's metadata from the encoder only.
  await checkSherpaModel({
    file: found.encoder ?? "",
    kind: "whisperEncoder",
    what: `Whisper speech recognition (${opts.name})`,
  });
  return {
    name: opts.name,
    dir,
    kind,
    files: { encoder: found.encoder, decoder: found.decoder, tokens: found.tokens ?? "" },
  };
}

/**
 * The ASR model to use: the named one, else the first SenseVoice/Whisper folder in
 * MODELS_DIR (SenseVoice first). null when there is none, so `auto` can fall back.
 */
export async function findSherpaAsrModel(opts: { modelsDir: string; name?: string }): Promise<string | null> {
  if (opts.name) return opts.name;
  const dirs = await listModelDirs(opts.modelsDir);
  const kinds = await Promise.all(
    dirs.map(async (d) => ({ d, kind: detectAsrKind(d, await listDir(path.join(opts.modelsDir, d))) })),
  );
  return kinds.find((k) => k.kind === "sense-voice")?.d ?? kinds.find((k) => k.kind === "whisper")?.d ?? null;
}

/** sherpa-onnx OfflineRecognizer config. Language "" / "auto" lets the model detect it. */
export function recognizerConfig(opts: {
  model: SherpaAsrModel;
  language?: string;
  numThreads?: number;
}): object {
  const language = opts.language && opts.language !== "auto" ? opts.language : "";
  const { files } = opts.model;
  const modelPart =
    opts.model.kind === "sense-voice"
      ? { senseVoice: { model: files.model, language, useInverseTextNormalization: 1 } }
      : {
          whisper: {
            encoder: files.encoder,
            decoder: files.decoder,
            language,
            task: "transcribe",
            tailPaddings: -1,
          },
        };
  return {
    featConfig: { sampleRate: 16000, featureDim: 80 },
    modelConfig: {
      ...modelPart,
      tokens: files.tokens,
      numThreads: opts.numThreads ?? 2,
      provider: "cpu",
      debug: 0,
    },
    decodingMethod: "greedy_search",
  };
}
