/** Offline speech recognition with sherpa-onnx: a SenseVoice or Whisper model in MODELS_DIR. */
import path from "node:path";
import { createSherpaTranscriber, DEFAULT_SHERPA_ASR_MODEL, detectAsrKind } from "@vitranslator/pipeline";
import { z } from "zod";
import { isDir, listDir } from "../files";
import { defineEngine } from "../types";
import type { EngineEnv } from "../types";

const env = {
  /** Folder in MODELS_DIR of the SenseVoice/Whisper model; the first one found when unset. */
  SHERPA_ASR_MODEL: z.string().optional(),
};

/** The SenseVoice/Whisper folder to use (SenseVoice first), or null when MODELS_DIR has none. */
export function localAsrModel(
  e: Pick<EngineEnv<typeof env>, "MODELS_DIR" | "SHERPA_ASR_MODEL">,
): string | null {
  if (e.SHERPA_ASR_MODEL) return e.SHERPA_ASR_MODEL;
  const dirs = listDir(e.MODELS_DIR).map((d) => ({
    d,
    kind: detectAsrKind(d, listDir(path.join(e.MODELS_DIR, d))),
  }));
  return dirs.find((x) => x.kind === "sense-voice")?.d ?? dirs.find((x) => x.kind === "whisper")?.d ?? null;
}

const SENSE_VOICE_LANGUAGES = ["zh", "en", "ja", "ko", "yue"];

export const sherpaAsr = defineEngine({
  kind: "asr",
  name: "sherpa",
  env,
  missing: (e) => {
    const model = localAsrModel(e);
    if (!model)
      return {
        what: `no SenseVoice or Whisper model in MODELS_DIR`,
        fix: "npm run models",
        download: true,
      };
    // A named folder with files missing is reported per task (MODEL_MISSING names the files).
    return isDir(path.join(e.MODELS_DIR, model))
      ? null
      : {
          what: `the model folder ${model} is not in MODELS_DIR`,
          ...(model === DEFAULT_SHERPA_ASR_MODEL
            ? { fix: "npm run models", download: true }
            : { fix: `put the model folder ${model} into MODELS_DIR` }),
        };
  },
  create: (e) => createSherpaTranscriber({ modelsDir: e.MODELS_DIR, model: localAsrModel(e) ?? "" }),
  describe: (e) => `sherpa-onnx ${localAsrModel(e) ?? "(no model yet)"}`,
  capabilities: (e) => {
    const model = localAsrModel(e) ?? "";
    const kind = detectAsrKind(model, listDir(path.join(e.MODELS_DIR, model)));
    return { languages: kind === "sense-voice" ? SENSE_VOICE_LANGUAGES : "any" };
  },
});
