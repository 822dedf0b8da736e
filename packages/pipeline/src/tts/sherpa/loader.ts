/**
 * Kokoro, VITS/Piper and Matcha models for sherpa-onnx, told apart by the files in their
 * folder: Kokoro has voices.bin; Matcha an acoustic model named model-steps-N.onnx (or a
 * "matcha" folder, or an acoustic model beside a vocoder); VITS/Piper one model.onnx. The
 * config follows sherpa-onnx's own examples (lexicons and rule FSTs in their order), and
 * every model file is checked against what sherpa reads from it before any native call
 * (models/sherpa-checks.ts), since sherpa ends the process on what it does not accept.
 */
import path from "node:path";
import { listDir, modelMissing, resolveModelFiles } from "../../models/model-dir";
import { checkSherpaModel, fileBytes } from "../../models/sherpa-checks";

export type SherpaTtsKind = "kokoro" | "vits" | "matcha";
/** Accent of English for Kokoro: its US or British lexicon and espeak-ng voice. */
export type EnglishAccent = "us" | "gb";

export const DEFAULT_SHERPA_TTS_MODEL = "kokoro-multi-lang-v1_0";
/** What sherpa's Matcha examples use with the 22.05 kHz icefall models (Matcha archives ship without it). */
export const MATCHA_VOCODER_URL =
  "https://github.com/k2-fsa/sherpa-onnx/releases/download/vocoder-models/vocos-22khz-univ.onnx";
/** Vocoders looked for in MODELS_DIR when the Matcha folder has none, best first. */
const SHARED_VOCODERS = ["vocos-22khz-univ.onnx", "hifigan_v2.onnx", "hifigan_v1.onnx", "hifigan_v3.onnx"];
const SHARED_VOCODERS_16K = ["vocos-16khz-univ.onnx"];

export interface SherpaTtsModel {
  name: string;
  dir: string;
  kind: SherpaTtsKind;
  /** Model block of the OfflineTts config (`{ kokoro: … }`, `{ vits: … }` or `{ matcha: … }`). */
  modelConfig: Record<string, unknown>;
  /** Comma-separated rule FSTs / FST archives (text normalisation), top level of the config. */
  ruleFsts?: string;
  ruleFars?: string;
  /** Kokoro: the kokoro-block fields per English accent (lexicon list, espeak-ng voice). */
  accents?: Partial<Record<EnglishAccent, { lexicon: string; lang?: string }>>;
  /** Languages it speaks (ISO 639-1), from the model's folder name. */
  languages: string[];
}

const isVocoder = (f: string) => /(vocos|hifigan|vocoder)[^/]*\.onnx$/i.test(f);
const isMatchaAcoustic = (f: string) => /^model-steps-\d+\.onnx$/.test(f);

export function detectTtsKind(files: readonly string[], name = ""): SherpaTtsKind | null {
  const onnx = files.filter((f) => f.endsWith(".onnx"));
  if (files.includes("voices.bin")) return "kokoro";
  const acoustic = onnx.filter((f) => !isVocoder(f));
  if (acoustic.length === 0 || !files.includes("tokens.txt")) return null;
  if (acoustic.some(isMatchaAcoustic) || /matcha/i.test(name) || onnx.some(isVocoder)) return "matcha";
  return "vits";
}

/** Languages from a sherpa/piper folder name: `vits-piper-de_DE-thorsten-low` → de, `kokoro-multi-lang-v1_0` → en, zh. */
export function guessTtsLanguages(name: string, kind: SherpaTtsKind): string[] {
  if (/multi-lang/i.test(name)) return ["en", "zh"];
  const locale = /(?:^|[-_])([a-z]{2})_[A-Z]{2}(?:[-_]|$)/.exec(name);
  if (locale?.[1]) return [locale[1]];
  const bare = /(?:^|-)(en|zh|de|fr|es|it|ja|ko|ru|pt|nl|pl|ar|tr|vi|hi)(?:-|$)/.exec(name);
  if (bare?.[1]) return [bare[1]];
  if (/aishell|baker|zh|chinese/i.test(name)) return ["zh"];
  return kind === "kokoro" ? ["en"] : [];
}

/** The accent a target language asks for: en-GB / en-UK → gb, anything else → us. */
export function accentFor(language: string): EnglishAccent {
  return /^en[-_](gb|uk)\b/i.test(language) ? "gb" : "us";
}

/**
 * Rule FSTs in sherpa's order: phone, date, number, then the rest (new_heteronym, …);
 * `date-zh.fst` ranks as `date`. Each normaliser runs on the previous one's output.
 */
export function orderRuleFsts(files: readonly string[]): string[] {
  const rank = (f: string) => {
    const base = f.replace(/(-zh)?\.fst$/, "");
    const i = ["phone", "date", "number"].indexOf(base);
    return i < 0 ? 3 : i;
  };
  return files.filter((f) => f.endsWith(".fst")).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/**
 * Kokoro's lexicons for an accent, in upstream's order: English first, then Chinese, then any
 * other lexicon*.txt. sherpa keeps the first spelling of a word it sees twice, so passing
 * both English lexicons would let the first (gb, in sorted order) win.
 */
export function kokoroLexicons(files: readonly string[], accent: EnglishAccent): string[] {
  const other: EnglishAccent = accent === "us" ? "gb" : "us";
  const english = [`lexicon-${accent}-en.txt`, `lexicon-${other}-en.txt`].find((f) => files.includes(f));
  const rest = files
    .filter(
      (f) => /^lexicon.*\.txt$/.test(f) && !/^lexicon-(us|gb)-en\.txt$/.test(f) && f !== "lexicon-zh.txt",
    )
    .sort();
  return [english, files.includes("lexicon-zh.txt") ? "lexicon-zh.txt" : undefined, ...rest].filter(
    (f): f is string => f !== undefined,
  );
}

/** Validates `MODELS_DIR/<name>/` and builds its config block. Missing files → MODEL_MISSING; unusable ones → MODEL_INVALID. */
export async function loadSherpaTtsModel(opts: { modelsDir: string; name: string }): Promise<SherpaTtsModel> {
  const dir = path.resolve(opts.modelsDir, opts.name);
  const files = await listDir(dir);
  const what = `text-to-speech (${opts.name})`;
  const kind = detectTtsKind(files, opts.name);
  if (!kind) {
    throw modelMissing({
      what,
      dir,
      missing: [
        "a Kokoro (model.onnx, voices.bin, tokens.txt, espeak-ng-data/), VITS/Piper (<name>.onnx, tokens.txt, espeak-ng-data/ or lexicon.txt) or Matcha (model-steps-3.onnx, tokens.txt, a vocoder) model",
      ],
    });
  }
  const { dataDir } = await resolveModelFiles({
    dir,
    what,
    files: [{ key: "dataDir", candidates: ["espeak-ng-data"], directory: true, optional: true }],
  });
  const abs = (f: string) => path.join(dir, f);
  const rules = {
    ...(orderRuleFsts(files).length > 0 ? { ruleFsts: orderRuleFsts(files).map(abs).join(",") } : {}),
    ...(files.some((f) => f.endsWith(".far"))
      ? {
          ruleFars: files
            .filter((f) => f.endsWith(".far"))
            .sort()
            .map(abs)
            .join(","),
        }
      : {}),
  };
  const lexicons = files.filter((f) => /^lexicon.*\.txt$/.test(f)).sort();
  const base = { name: opts.name, dir, kind, languages: guessTtsLanguages(opts.name, kind), ...rules };
  const front = (lexicon: readonly string[]) => ({
    ...(dataDir ? { dataDir } : {}),
    ...(lexicon.length > 0 ? { lexicon: lexicon.map(abs).join(",") } : {}),
  });
  const context = { lexicon: lexicons.length > 0, dataDir: dataDir !== undefined };
  if (!dataDir && lexicons.length === 0)
    throw modelMissing({ what, dir, missing: ["espeak-ng-data/ or lexicon.txt"] });

  switch (kind) {
    case "kokoro": {
      const f = await resolveModelFiles({
        dir,
        what,
        files: [
          { key: "model", candidates: ["model.onnx", "model.int8.onnx"] },
          { key: "voices", candidates: ["voices.bin"] },
          { key: "tokens", candidates: ["tokens.txt"] },
        ],
      });
      await checkSherpaModel({
        file: f.model ?? "",
        kind: "kokoro",
        what,
        context: { ...context, voicesBytes: await fileBytes(f.voices ?? "") },
      });
      const accents = {
        us: { lexicon: kokoroLexicons(files, "us").map(abs).join(",") },
        // Non-Chinese text goes through espeak-ng in the model's voice (en-us) unless `lang` names another.
        gb: { lexicon: kokoroLexicons(files, "gb").map(abs).join(","), lang: "en-gb" },
      };
      return {
        ...base,
        ...(lexicons.length > 0 ? { accents } : {}),
        modelConfig: { kokoro: { ...f, ...front(kokoroLexicons(files, "us")), lengthScale: 1 } },
      };
    }
    case "matcha": {
      const acoustic =
        files.filter(isMatchaAcoustic).sort()[0] ?? files.find((x) => x.endsWith(".onnx") && !isVocoder(x));
      const f = await resolveModelFiles({
        dir,
        what,
        files: [
          { key: "acousticModel", candidates: [acoustic ?? "model-steps-3.onnx"] },
          { key: "tokens", candidates: ["tokens.txt"] },
        ],
      });
      const info = await checkSherpaModel({ file: f.acousticModel ?? "", kind: "matcha", what, context });
      // A Matcha export with its vocoder built in has the waveform as its first output.
      const vocoder =
        info.outputs[0] === "audio_output" ? undefined : await findVocoder(opts, dir, files, info);
      if (vocoder)
        await checkSherpaModel({ file: vocoder, kind: "vocoder", what: `vocoder for ${opts.name}` });
      return {
        ...base,
        modelConfig: {
          matcha: {
            ...f,
            ...(vocoder ? { vocoder } : {}),
            ...front(lexicons),
            noiseScale: 0.667,
            lengthScale: 1,
          },
        },
      };
    }
    case "vits": {
      const onnx = files
        .filter((x) => x.endsWith(".onnx"))
        .sort((a, b) => Number(b.includes("int8")) - Number(a.includes("int8")));
      const f = await resolveModelFiles({
        dir,
        what,
        files: [
          { key: "model", candidates: ["model.onnx", ...onnx] },
          { key: "tokens", candidates: ["tokens.txt"] },
        ],
      });
      await checkSherpaModel({ file: f.model ?? "", kind: "vits", what, context });
      return {
        ...base,
        modelConfig: {
          vits: { ...f, ...front(lexicons), noiseScale: 0.667, noiseScaleW: 0.8, lengthScale: 1 },
        },
      };
    }
  }
}

/** The Matcha vocoder: one in the model's folder, else a shared one in MODELS_DIR; none → MODEL_MISSING naming the file to fetch. */
async function findVocoder(
  opts: { modelsDir: string; name: string },
  dir: string,
  files: readonly string[],
  info: { metadata: Record<string, string> },
): Promise<string> {
  const own = files.filter(isVocoder).sort();
  const shared = info.metadata.sample_rate === "16000" ? SHARED_VOCODERS_16K : SHARED_VOCODERS;
  const candidates = [
    ...own.map((f) => path.join(dir, f)),
    ...shared.map((f) => path.resolve(opts.modelsDir, f)),
  ];
  const found = await resolveModelFiles({
    dir,
    what: `text-to-speech (${opts.name})`,
    files: [{ key: "vocoder", candidates, optional: true }],
  });
  if (found.vocoder) return found.vocoder;
  const url = MATCHA_VOCODER_URL.replace(/vocos-22khz-univ/, path.basename(shared[0] ?? "", ".onnx"));
  throw modelMissing({
    what: `text-to-speech (${opts.name})`,
    dir,
    missing: [
      `the vocoder (Matcha archives ship without it): download ${url} into ${path.resolve(opts.modelsDir)} or ${dir}`,
    ],
  });
}

/** sherpa-onnx OfflineTts config (one sentence at a time: the pipeline already splits text). */
export function ttsConfig(opts: {
  model: SherpaTtsModel;
  numThreads?: number;
  accent?: EnglishAccent;
}): object {
  const { model } = opts;
  const accent = opts.accent ? model.accents?.[opts.accent] : undefined;
  const block =
    accent && model.kind === "kokoro"
      ? { kokoro: { ...(model.modelConfig.kokoro as object), ...accent } }
      : model.modelConfig;
  return {
    model: { ...block, numThreads: opts.numThreads ?? 2, provider: "cpu", debug: 0 },
    maxNumSentences: 1,
    ...(model.ruleFsts ? { ruleFsts: model.ruleFsts } : {}),
    ...(model.ruleFars ? { ruleFars: model.ruleFars } : {}),
  };
}
