/**
 * The TTS engines the workers can run, in one map. To add an engine: put its name in
 * TTS_ENGINE_NAMES (env.ts), an entry here, and its place in TTS_AUTO_ORDER.
 * `TTS_ENGINE=auto` takes the first engine in TTS_AUTO_ORDER whose configuration is present.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import {
  createCosyVoiceEngine,
  createSherpaTtsEngine,
  createEspeakEngine,
  createLlmClient,
  createOpenAiSpeechEngine,
} from "@vitranslator/pipeline";
import type { CosyVoiceVersion, TtsEngine } from "@vitranslator/pipeline";
import type { TtsEngineName, WorkerEnv } from "./env";

export interface TtsEngineEntry {
  /** What to set before this engine can start, as a sentence; null when it is configured. */
  missing(env: WorkerEnv): string | null;
  create(env: WorkerEnv): TtsEngine;
  /** One line for the boot log. */
  describe(env: WorkerEnv): string;
}

const speechBaseUrl = (env: WorkerEnv) => env.TTS_BASE_URL ?? env.LLM_BASE_URL;

export const TTS_ENGINES: Record<TtsEngineName, TtsEngineEntry> = {
  espeak: {
    missing: () => null,
    create: () => createEspeakEngine(),
    describe: () => "espeak-ng",
  },
  cosyvoice: {
    missing: (env) =>
      env.COSYVOICE_ADDR
        ? null
        : "set COSYVOICE_ADDR to host:port of the CosyVoice gRPC server (e.g. COSYVOICE_ADDR=10.0.0.5:50000)",
    create: (env) =>
      createCosyVoiceEngine({
        address: env.COSYVOICE_ADDR ?? "",
        version: Number(env.COSYVOICE_VERSION) as CosyVoiceVersion,
        ...(env.COSYVOICE_SAMPLE_RATE ? { sampleRate: env.COSYVOICE_SAMPLE_RATE } : {}),
        ...(env.COSYVOICE_SPK_ID ? { speakerId: env.COSYVOICE_SPK_ID } : {}),
        timeoutMs: env.COSYVOICE_TIMEOUT_MS,
      }),
    describe: (env) => `cosyvoice v${env.COSYVOICE_VERSION} at ${env.COSYVOICE_ADDR ?? "?"}`,
  },
  openai: {
    missing: (env) => {
      const lacks = [
        env.TTS_MODEL ? null : "TTS_MODEL (e.g. gpt-4o-mini-tts, tts-1)",
        speechBaseUrl(env) ? null : "TTS_BASE_URL or LLM_BASE_URL (the OpenAI-compatible endpoint)",
      ].filter((x): x is string => x !== null);
      return lacks.length ? `set ${lacks.join(" and ")}` : null;
    },
    create: (env) =>
      createOpenAiSpeechEngine({
        client: createLlmClient({
          baseURL: speechBaseUrl(env) ?? "",
          apiKey: env.TTS_API_KEY ?? env.LLM_API_KEY ?? "",
          model: env.LLM_MODEL,
          timeoutMs: env.LLM_TIMEOUT_MS,
        }),
        model: env.TTS_MODEL ?? "",
        ...(env.TTS_VOICE ? { voice: env.TTS_VOICE } : {}),
        ...(env.TTS_VOICES ? { voices: env.TTS_VOICES } : {}),
      }),
    describe: (env) => `openai-compatible speech ${speechBaseUrl(env) ?? "?"} (${env.TTS_MODEL ?? "?"})`,
  },
  sherpa: {
    missing: (env) =>
      !env.SHERPA_TTS_MODEL
        ? "set SHERPA_TTS_MODEL to a Kokoro/VITS/Matcha model folder inside MODELS_DIR (`npm run models` fetches one)"
        : existsSync(path.join(env.MODELS_DIR, env.SHERPA_TTS_MODEL))
          ? null
          : `put the model folder ${env.SHERPA_TTS_MODEL} into ${env.MODELS_DIR} (\`npm run models\`)`,
    create: (env) => createSherpaTtsEngine({ modelsDir: env.MODELS_DIR, model: env.SHERPA_TTS_MODEL ?? "" }),
    describe: (env) => `sherpa-onnx ${env.SHERPA_TTS_MODEL ?? "?"} in ${env.MODELS_DIR}`,
  },
};

/** What `TTS_ENGINE=auto` tries, in order: a GPU server, a local model, a remote API; espeak needs nothing, so it ends the list. */
export const TTS_AUTO_ORDER: readonly TtsEngineName[] = ["cosyvoice", "sherpa", "openai", "espeak"];

/** The configured TTS engine; throws at boot, saying what to set, when it cannot start. */
export function createTtsEngine(env: WorkerEnv): { engine: TtsEngine; name: TtsEngineName; label: string } {
  const name =
    env.TTS_ENGINE === "auto"
      ? (TTS_AUTO_ORDER.find((n) => TTS_ENGINES[n].missing(env) === null) ?? "espeak")
      : env.TTS_ENGINE;
  const entry = TTS_ENGINES[name];
  const missing = entry.missing(env);
  if (missing) throw new Error(`TTS_ENGINE=${name} cannot start: ${missing}.`);
  try {
    return { engine: entry.create(env), name, label: entry.describe(env) };
  } catch (err) {
    throw new Error(`TTS_ENGINE=${name} cannot start: ${err instanceof Error ? err.message : String(err)}`, {
      cause: err,
    });
  }
}
