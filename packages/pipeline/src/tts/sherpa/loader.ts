/**
 * Kokoro, VITS/Piper and Matcha models for sherpa-onnx, told apart by the files in their
 * folder: Kokoro has voices.bin, Matcha an acoustic model plus a vocoder, VITS/Piper one
 * model.onnx. Text front-end: espeak-ng-data (read by sherpa-onnx's own bundled code,
 * Apache-2.0 packaging) or a lexicon.
 */
import path from "node:path";
import { listDir, modelMissing, resolveModelFiles } from "../../models/model-dir";

export type SherpaTtsKind = "kokoro" | "vits" | "matcha";

export const DEFAULT_SHERPA_TTS_MODEL = "kokoro-multi-lang-v1_0";

export interface SherpaTtsModel {
  name: string;
  dir: string;
  kind: SherpaTtsKind;
  /** Model block of the OfflineTts config (`{ kokoro: … }`, `{ vits: … }` or `{ matcha: … }`). */
  modelConfig: Record<string, unknown>;
  /** Languages it speaks (ISO 639-1), from the model's folder name. */
  languages: string[];
}

const isVocoder = (f: string) => /(vocos|hifigan|vocoder)[^/]*\.onnx$/i.test(f);

export function detectTtsKind(files: readonly string[]): SherpaTtsKind | null {
  const onnx = files.filter((f) => f.endsWith(".onnx"));
  if (files.includes("voices.bin")) return "kokoro";
  if (onnx.some(isVocoder) && onnx.some((f) => !isVocoder(f))) return "matcha";
  if (onnx.length > 0 && files.includes("tokens.txt")) return "vits";
  return null;
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

/** Validates `MODELS_DIR/<name>/` and builds its config block. Missing files → MODEL_MISSING. */
export async function loadSherpaTtsModel(opts: { modelsDir: string; name: string }): Promise<SherpaTtsModel> {
  const dir = path.resolve(opts.modelsDir, opts.name);
  const files = await listDir(dir);
  const what = `text-to-speech (${opts.name})`;
  const kind = detectTtsKind(files);
  if (!kind) {
    throw modelMissing({
      what,
      dir,
      missing: [
        "a Kokoro (model.onnx, voices.bin, tokens.txt, espeak-ng-data/), VITS/Piper (<name>.onnx, tokens.txt, espeak-ng-data/ or lexicon.txt) or Matcha (acoustic model, vocos/hifigan vocoder, tokens.txt) model",
      ],
    });
  }
  const frontEnd = [
    { key: "dataDir", candidates: ["espeak-ng-data"], directory: true, optional: true },
  ] as const;
  const lexicons = files.filter((f) => /^lexicon.*\.txt$/.test(f)).map((f) => path.join(dir, f));
  const ruleFsts = files.filter((f) => f.endsWith(".fst")).map((f) => path.join(dir, f));
  const languages = guessTtsLanguages(opts.name, kind);
  const front = async () => {
    const f = await resolveModelFiles({ dir, what, files: frontEnd });
    if (!f.dataDir && lexicons.length === 0)
      throw modelMissing({ what, dir, missing: ["espeak-ng-data/ or lexicon.txt"] });
    return {
      ...(f.dataDir ? { dataDir: f.dataDir } : {}),
      ...(lexicons.length > 0 ? { lexicon: lexicons.join(",") } : {}),
    };
  };
  const extra = ruleFsts.length > 0 ? { ruleFsts: ruleFsts.join(",") } : {};

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
      const fe = await front();
      return {
        name: opts.name,
        dir,
        kind,
        languages,
        modelConfig: { kokoro: { ...f, ...fe, lengthScale: 1 }, ...extra },
      };
    }
    case "matcha": {
      const onnx = files.filter((x) => x.endsWith(".onnx"));
      const acoustic = onnx.find((x) => !isVocoder(x));
      const vocoder = onnx.find(isVocoder);
      const f = await resolveModelFiles({
        dir,
        what,
        files: [
          { key: "acousticModel", candidates: acoustic ? [acoustic] : ["model-steps-3.onnx"] },
          { key: "vocoder", candidates: vocoder ? [vocoder] : ["vocos-22khz-univ.onnx"] },
          { key: "tokens", candidates: ["tokens.txt"] },
        ],
      });
      const fe = await front();
      return {
        name: opts.name,
        dir,
        kind,
        languages,
        modelConfig: { matcha: { ...f, ...fe, noiseScale: 0.667, lengthScale: 1 }, ...extra },
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
      const fe = await front();
      return {
        name: opts.name,
        dir,
        kind,
        languages,
        modelConfig: { vits: { ...f, ...fe, noiseScale: 0.667, noiseScaleW: 0.8, lengthScale: 1 }, ...extra },
      };
    }
  }
}

/** sherpa-onnx OfflineTts config (one sentence at a time: the pipeline already splits text). */
export function ttsConfig(opts: { model: SherpaTtsModel; numThreads?: number }): object {
  const { ruleFsts, ...block } = opts.model.modelConfig;
  return {
    model: { ...block, numThreads: opts.numThreads ?? 2, provider: "cpu", debug: 0 },
    maxNumSentences: 1,
    ...(typeof ruleFsts === "string" ? { ruleFsts } : {}),
  };
}
