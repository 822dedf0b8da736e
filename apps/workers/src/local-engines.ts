/**
 * Local (sherpa-onnx) engines for the asr stage, chosen at start from what is in MODELS_DIR:
 * ASR_ENGINE=auto uses subtitles when a task has them (the stage decides), else a
 * SenseVoice/Whisper model when one is installed, else the OpenAI-compatible endpoint.
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import {
  DEFAULT_EMBEDDING_MODEL,
  DEFAULT_SEGMENTATION_MODEL,
  createSherpaDiarizer,
  createSherpaTranscriber,
  detectAsrKind,
} from "@vitranslator/pipeline";
import type { Diarizer, Transcriber } from "@vitranslator/pipeline";
import type { WorkerEnv } from "./env";

const list = (dir: string): string[] => {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
};

/** The SenseVoice/Whisper folder to use, or null when MODELS_DIR has none. */
export function localAsrModel(env: Pick<WorkerEnv, "MODELS_DIR" | "SHERPA_ASR_MODEL">): string | null {
  if (env.SHERPA_ASR_MODEL) return env.SHERPA_ASR_MODEL;
  const dirs = list(env.MODELS_DIR).map((d) => ({
    d,
    kind: detectAsrKind(d, list(path.join(env.MODELS_DIR, d))),
  }));
  return dirs.find((x) => x.kind === "sense-voice")?.d ?? dirs.find((x) => x.kind === "whisper")?.d ?? null;
}

export function pickTranscriber(
  env: Pick<WorkerEnv, "ASR_ENGINE" | "MODELS_DIR" | "SHERPA_ASR_MODEL">,
  openai: Transcriber | null,
): { transcriber: Transcriber | null; label: string } {
  if (env.ASR_ENGINE === "subtitles") return { transcriber: null, label: "subtitles only" };
  if (env.ASR_ENGINE === "openai")
    return { transcriber: openai, label: openai ? "openai-compatible" : "none (ASR_MODEL unset)" };
  const model = localAsrModel(env);
  if (model) {
    // Missing files in an explicitly named model surface as MODEL_MISSING on the first task.
    return {
      transcriber: createSherpaTranscriber({ modelsDir: env.MODELS_DIR, model }),
      label: `sherpa-onnx ${model}`,
    };
  }
  if (env.ASR_ENGINE === "sherpa") {
    return {
      transcriber: createSherpaTranscriber({ modelsDir: env.MODELS_DIR }),
      label: "sherpa-onnx (no model yet)",
    };
  }
  return { transcriber: openai, label: openai ? "openai-compatible" : "subtitles only" };
}

/** Diarization when DIARIZATION=auto and both its models are installed. */
export function pickDiarizer(env: Pick<WorkerEnv, "DIARIZATION" | "MODELS_DIR">): Diarizer | null {
  if (env.DIARIZATION === "off") return null;
  const seg = list(path.join(env.MODELS_DIR, DEFAULT_SEGMENTATION_MODEL)).some((f) => f.endsWith(".onnx"));
  const emb = list(path.join(env.MODELS_DIR, DEFAULT_EMBEDDING_MODEL)).some((f) => f.endsWith(".onnx"));
  return seg && emb ? createSherpaDiarizer({ modelsDir: env.MODELS_DIR }) : null;
}
