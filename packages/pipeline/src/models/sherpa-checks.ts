/**
 * What sherpa-onnx requires of a model file before its native constructor runs. For a
 * missing or bad metadata key, an unknown vocoder or a graph it does not expect, sherpa's
 * C++ logs and calls _Exit() (SHERPA_ONNX_READ_META_DATA and friends), which kills the whole
 * worker — no try/catch can stop it. So every loader checks the same things here first and
 * turns them into a clear MODEL_INVALID. The rules mirror sherpa-onnx 1.13's model readers
 * (offline-tts-{vits,matcha,kokoro}-model.cc, vocoder.cc, offline-sense-voice-model.cc,
 * offline-whisper-model.cc, offline-speaker-segmentation-pyannote-model.cc,
 * speaker-embedding-extractor-*.cc, silero-vad-model.cc).
 */
import { stat } from "node:fs/promises";
import path from "node:path";
import { PipelineError } from "../errors";
import { readOnnxInfo } from "./onnx-info";
import type { OnnxInfo } from "./onnx-info";

/** int: present and atoi ≥ 0; int?: atoi ≥ 0 when present; str: non-empty; ints/floats/strs: comma lists. */
type Kind = "int" | "int?" | "str" | "ints" | "floats" | "strs";
type Rules = Readonly<Record<string, Kind>>;

const SHERPA_RELEASES = "https://github.com/k2-fsa/sherpa-onnx/releases";

/** C's atoi: leading blanks, a sign, digits; anything else reads as 0. */
function atoi(v: string): number {
  const m = /^\s*([+-]?\d+)/.exec(v);
  return m?.[1] ? Number.parseInt(m[1], 10) : 0;
}

function ruleProblems(meta: Record<string, string>, rules: Rules): string[] {
  const problems: string[] = [];
  for (const [key, kind] of Object.entries(rules)) {
    const v = meta[key];
    if (v === undefined || v === "") {
      if (kind !== "int?") problems.push(`${key} is missing`);
      continue;
    }
    const items = v.split(",").filter((x) => x.trim() !== "");
    const bad =
      ((kind === "int" || kind === "int?") && atoi(v) < 0) ||
      (kind === "ints" && (items.length === 0 || items.some((x) => !/^\s*[+-]?\d+\s*$/.test(x)))) ||
      (kind === "floats" && (items.length === 0 || items.some((x) => Number.isNaN(Number(x))))) ||
      (kind === "strs" && items.length === 0);
    if (bad) problems.push(`${key}=${JSON.stringify(v.slice(0, 40))} is invalid`);
  }
  return problems;
}

const list = (v: string | undefined) => (v ?? "").split(",").filter((x) => x.trim() !== "");

export interface SherpaCheckContext {
  /** The config passes a lexicon file. */
  lexicon?: boolean;
  /** The config passes espeak-ng-data. */
  dataDir?: boolean;
  /** Kokoro: the voices file's size in bytes. */
  voicesBytes?: number;
}

type Check = (info: OnnxInfo, ctx: SherpaCheckContext) => string[];

const vits: Check = (info, ctx) => {
  const m = info.metadata;
  const problems = ruleProblems(m, {
    sample_rate: "int",
    n_speakers: "int",
    language: "str",
    comment: "str",
    add_blank: "int?",
    speaker_id: "int?",
    version: "int?",
    num_emotions: "int?",
    jieba: "int?",
    blank_id: "int?",
    bos_id: "int?",
    eos_id: "int?",
    use_eos_bos: "int?",
    pad_id: "int?",
    has_g2pw: "int?",
  });
  if (problems.length > 0) return problems;
  const comment = m.comment ?? "";
  const melo = comment.includes("melo");
  if (melo && atoi(m.version ?? "0") < 2) problems.push("MeloTTS version < 2 (download the latest export)");
  const jieba = atoi(m.jieba ?? "0") > 0 || atoi(m.has_g2pw ?? "0") > 0;
  const espeakFamily = ["piper", "coqui", "icefall", "Inflect"].some((k) => comment.includes(k));
  const frontEndKnown =
    m.frontend === "characters" || jieba || (melo && m.language === "English") || (espeakFamily && ctx.dataDir);
  if (!frontEndKnown && !ctx.lexicon) problems.push("neither espeak-ng-data/ (for this model) nor a lexicon.txt");
  return problems;
};

const matcha: Check = (info, ctx) => {
  const m = info.metadata;
  const problems = ruleProblems(m, {
    sample_rate: "int",
    n_speakers: "int",
    use_eos_bos: "int",
    pad_id: "int",
    version: "int?",
    jieba: "int?",
    has_espeak: "int?",
  });
  if (problems.length > 0) return problems;
  if (m.voice === "zh en-us" || atoi(m.jieba ?? "0") > 0) {
    if (!ctx.lexicon) problems.push("lexicon.txt (this model reads one)");
  } else if (atoi(m.has_espeak ?? "0") > 0) {
    if (!ctx.dataDir) problems.push("espeak-ng-data/ (this model reads it)");
  } else {
    problems.push("a front end sherpa knows (metadata has neither jieba, has_espeak nor voice=zh en-us)");
  }
  return problems;
};

const kokoro: Check = (info, ctx) => {
  const m = info.metadata;
  const problems = ruleProblems(m, {
    sample_rate: "int",
    n_speakers: "int",
    has_espeak: "int",
    style_dim: "ints",
    version: "int?",
  });
  if (problems.length > 0) return problems;
  const dim = list(m.style_dim).map(Number);
  if (dim.length !== 3 || dim[1] !== 1) return [`style_dim=${m.style_dim ?? ""} is not [n, 1, d]`];
  const expected = (dim[0] ?? 0) * (dim[2] ?? 0) * atoi(m.n_speakers ?? "0") * 4;
  if (ctx.voicesBytes !== undefined && ctx.voicesBytes !== expected)
    problems.push(`voices.bin has ${ctx.voicesBytes} bytes, the model expects ${expected}`);
  if (atoi(m.version ?? "1") >= 2 && !ctx.lexicon) problems.push("lexicon files (a multi-language Kokoro reads them)");
  return problems;
};

/** Vocoders of sherpa's vocoder-models release, told apart by model_type. */
const vocoder: Check = (info) => {
  const type = info.metadata.model_type ?? "";
  if (!["hifigan", "vocos", "matcha-tts vocos"].includes(type))
    return [type ? `model_type=${type} is not a vocoder sherpa knows` : "model_type is missing (not a sherpa vocoder)"];
  return ruleProblems(info.metadata, {
    n_fft: "int?",
    hop_length: "int?",
    win_length: "int?",
    center: "int?",
    normalized: "int?",
  });
};

const senseVoice: Check = (info) => {
  const m = info.metadata;
  const nano = (m.comment ?? "").includes("Nano");
  return ruleProblems(m, {
    vocab_size: "int",
    blank_id: "int?",
    lfr_window_size: "int",
    lfr_window_shift: "int",
    normalize_samples: "int",
    ...(nano
      ? {}
      : {
          with_itn: "int",
          without_itn: "int",
          lang_auto: "int",
          lang_zh: "int",
          lang_en: "int",
          lang_ja: "int",
          lang_ko: "int",
          lang_yue: "int",
          neg_mean: "floats",
          inv_stddev: "floats",
        }),
  });
};

const whisperEncoder: Check = (info) => {
  const m = info.metadata;
  const ints = [
    "n_mels",
    "n_text_layer",
    "n_text_ctx",
    "n_text_state",
    "n_vocab",
    "sot",
    "eot",
    "blank_id",
    "translate",
    "transcribe",
    "is_multilingual",
    "no_timestamps",
    "no_speech",
  ];
  const problems = ruleProblems(m, {
    ...Object.fromEntries(ints.map((k) => [k, "int" as const])),
    sot_sequence: "ints",
  });
  if (problems.length > 0 || atoi(m.is_multilingual ?? "0") === 0) return problems;
  problems.push(...ruleProblems(m, { all_language_tokens: "ints", all_language_codes: "strs" }));
  if (problems.length === 0 && list(m.all_language_tokens).length !== list(m.all_language_codes).length)
    problems.push("all_language_tokens and all_language_codes differ in length");
  return problems;
};

const pyannote: Check = (info) =>
  ruleProblems(info.metadata, {
    sample_rate: "int",
    window_size: "int",
    receptive_field_size: "int",
    receptive_field_shift: "int",
    num_speakers: "int",
    powerset_max_classes: "int",
    num_classes: "int",
  });

const speakerEmbedding: Check = (info) => {
  const framework = info.metadata.framework ?? "";
  if (framework === "wespeaker" || framework === "3d-speaker")
    return ruleProblems(info.metadata, {
      output_dim: "int",
      sample_rate: "int",
      normalize_samples: "int",
      language: "str",
    });
  if (framework === "nemo")
    return ruleProblems(info.metadata, {
      output_dim: "int",
      feat_dim: "int",
      sample_rate: "int",
      window_size_ms: "int",
      window_stride_ms: "int",
      language: "str",
    });
  return [framework ? `framework=${framework} is not wespeaker, 3d-speaker or nemo` : "framework is missing"];
};

const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** Silero VAD v4, v5 or k2-fsa's export, by its tensor names. */
const sileroVad: Check = (info) => {
  const { inputs, outputs } = info;
  const known =
    (same(inputs, ["input", "sr", "h", "c"]) && same(outputs, ["output", "hn", "cn"])) ||
    (same(inputs, ["x", "h", "c"]) && same(outputs, ["prob", "new_h", "new_c"])) ||
    (same(inputs, ["input", "state", "sr"]) && same(outputs, ["output", "stateN"]));
  return known ? [] : [`inputs (${inputs.join(", ")}) → outputs (${outputs.join(", ")}) are not a Silero VAD v4/v5`];
};

export const SHERPA_CHECKS = {
  vits,
  matcha,
  kokoro,
  vocoder,
  senseVoice,
  whisperEncoder,
  pyannote,
  speakerEmbedding,
  sileroVad,
} as const satisfies Record<string, Check>;

export type SherpaModelKind = keyof typeof SHERPA_CHECKS;

/**
 * Reads `file` and applies the checks of `kind`; any problem → MODEL_INVALID naming the
 * file and what is wrong. Resolves with the file's ONNX info for callers that need more.
 */
export async function checkSherpaModel(opts: {
  file: string;
  kind: SherpaModelKind;
  what: string;
  context?: SherpaCheckContext;
}): Promise<OnnxInfo> {
  const info = await readOnnxInfo(opts.file);
  const problems = SHERPA_CHECKS[opts.kind](info, opts.context ?? {});
  if (problems.length > 0) {
    throw new PipelineError({
      code: "MODEL_INVALID",
      category: "user",
      message:
        `The ${opts.what} model ${path.basename(opts.file)} cannot be used by sherpa-onnx (it would end the worker): ` +
        `${problems.join("; ")}. Use the sherpa-onnx export of this model (${SHERPA_RELEASES}) in ${path.dirname(opts.file)}.`,
    });
  }
  return info;
}

/** Size of a file in bytes (the Kokoro voices check). */
export async function fileBytes(file: string): Promise<number> {
  return (await stat(file)).size;
}
