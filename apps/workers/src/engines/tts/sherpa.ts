/** Local neural speech with sherpa-onnx: a Kokoro, VITS/Piper or Matcha model in MODELS_DIR. */
import path from "node:path";
import { createSherpaTtsEngine, DEFAULT_SHERPA_TTS_MODEL } from "@vitranslator/pipeline";
import { z } from "zod";
import { fileSize, isDir, spokenLanguages } from "../files";
import { defineEngine } from "../types";

/** One Kokoro voice in voices.bin: 510 style vectors of 256 float32. */
const KOKORO_VOICE_BYTES = 510 * 256 * 4;

export const sherpaTts = defineEngine({
  kind: "tts",
  name: "sherpa",
  env: {
    /** Folder in MODELS_DIR of a Kokoro/VITS/Matcha model. */
    SHERPA_TTS_MODEL: z.string().optional(),
  },
  missing: (env) => {
    if (!env.SHERPA_TTS_MODEL)
      return {
        what: "no local text-to-speech model is chosen",
        fix: `set SHERPA_TTS_MODEL to a Kokoro/VITS/Matcha folder in MODELS_DIR (e.g. SHERPA_TTS_MODEL=${DEFAULT_SHERPA_TTS_MODEL})`,
      };
    return isDir(path.join(env.MODELS_DIR, env.SHERPA_TTS_MODEL))
      ? null
      : {
          what: `the model folder ${env.SHERPA_TTS_MODEL} is not in MODELS_DIR`,
          ...(env.SHERPA_TTS_MODEL === DEFAULT_SHERPA_TTS_MODEL
            ? { fix: "npm run models", download: true }
            : { fix: `put the model folder ${env.SHERPA_TTS_MODEL} into MODELS_DIR` }),
        };
  },
  create: (env) => createSherpaTtsEngine({ modelsDir: env.MODELS_DIR, model: env.SHERPA_TTS_MODEL ?? "" }),
  describe: (env) => `sherpa-onnx ${env.SHERPA_TTS_MODEL ?? "?"}`,
  capabilities: (env, engine) => {
    // Kokoro's speakers can be counted without loading the model; other kinds speak per speaker only.
    const bytes = fileSize(path.join(env.MODELS_DIR, env.SHERPA_TTS_MODEL ?? "", "voices.bin"));
    const count = bytes ? Math.floor(bytes / KOKORO_VOICE_BYTES) : 0;
    return {
      languages: spokenLanguages(engine),
      voices: Array.from({ length: count }, (_, i) => ({ id: String(i), label: `Voice ${i + 1}` })),
    };
  },
});
