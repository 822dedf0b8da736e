/** The workers' configuration: read and validated here only. */
import { parseEnv, sharedEnvShape } from "@vitranslator/pipeline";
import { z } from "zod";

const num = (def: number) => z.coerce.number().positive().default(def);

/** Every TTS engine in the registry (tts-engines.ts); TTS_ENGINE also takes "auto". */
export const TTS_ENGINE_NAMES = ["espeak", "cosyvoice", "openai", "sherpa"] as const;
export type TtsEngineName = (typeof TTS_ENGINE_NAMES)[number];

const schema = z.object({
  ...sharedEnvShape,
  LLM_BASE_URL: z.string().url().optional(),
  LLM_API_KEY: z.string().optional(),
  LLM_MODEL: z.string().default("gpt-4o-mini"),
  LLM_TIMEOUT_MS: num(60_000),
  ASR_MODEL: z.string().optional(),
  ASR_BASE_URL: z.string().url().optional(),
  ASR_API_KEY: z.string().optional(),
  /** auto: subtitles, else a sherpa-onnx model in MODELS_DIR, else the OpenAI-compatible endpoint. */
  ASR_ENGINE: z.enum(["auto", "subtitles", "sherpa", "openai"]).default("auto"),
  /** Local models (`npm run models`). */
  MODELS_DIR: z.string().min(1).default("./models"),
  /** Folder in MODELS_DIR of the SenseVoice/Whisper model; the first one found when unset. */
  SHERPA_ASR_MODEL: z.string().optional(),
  /** Folder in MODELS_DIR of a Kokoro/VITS/Matcha model, for the sherpa TTS engine. */
  SHERPA_TTS_MODEL: z.string().optional(),
  /** auto: label speakers when the pyannote and speaker-embedding models are in MODELS_DIR. */
  DIARIZATION: z.enum(["auto", "off"]).default("auto"),
  /** auto: cosyvoice when COSYVOICE_ADDR is set, else openai when TTS_MODEL and an endpoint are, else espeak. */
  TTS_ENGINE: z.enum(["auto", ...TTS_ENGINE_NAMES]).default("auto"),
  /** host:port of a CosyVoice gRPC server (FunAudioLLM/CosyVoice runtime/python/grpc). */
  COSYVOICE_ADDR: z.string().optional(),
  /** Model behind it: 1 (CosyVoice-300M), 2 (CosyVoice2-0.5B), 3 (Fun-CosyVoice3-0.5B). */
  COSYVOICE_VERSION: z.enum(["1", "2", "3"]).default("2"),
  /** Rate of the PCM it streams; default by version (22050 v1, 24000 v2/v3). */
  COSYVOICE_SAMPLE_RATE: z.coerce.number().int().min(8000).max(96_000).optional(),
  /** Built-in speaker for sentences without a reference clip (sft). */
  COSYVOICE_SPK_ID: z.string().optional(),
  COSYVOICE_TIMEOUT_MS: num(120_000),
  /** OpenAI-compatible speech: model, default voice, comma-separated voices for speakers. */
  TTS_MODEL: z.string().optional(),
  TTS_VOICE: z.string().optional(),
  TTS_VOICES: z
    .string()
    .optional()
    .transform((v) =>
      v
        ?.split(",")
        .map((x) => x.trim())
        .filter(Boolean),
    ),
  TTS_BASE_URL: z.string().url().optional(),
  TTS_API_KEY: z.string().optional(),
  /** Vocal/background separation per segment; none: the mix ducks the original audio. */
  SEPARATOR: z.enum(["rnnoise", "mdx", "none"]).default("rnnoise"),
  /** MDX-Net .onnx file (UVR, e.g. Kim_Vocal_2.onnx) for SEPARATOR=mdx. */
  MDX_MODEL_PATH: z.string().optional(),
  /** How segments find their pauses: Silero VAD or ffmpeg silencedetect. */
  SEGMENT_DETECTOR: z.enum(["silero", "silencedetect"]).default("silero"),
  ALIGN_MAX_SPEED: z.coerce.number().min(1).max(2).default(1.2),
  ALIGN_MIN_SPEED: z.coerce.number().min(0.5).max(1).default(0.93),
  ALIGN_MAX_SHORTEN_ATTEMPTS: z.coerce.number().int().min(0).max(5).default(2),
  TTS_CONCURRENCY: num(2),
  WORKER_CONCURRENCY: num(2),
  WORKER_STAGES: z.string().optional(),
  /** Finished tasks older than this lose their media, rows and event streams. */
  RETENTION_DAYS: num(30),
  HOUSEKEEPING_INTERVAL_MIN: num(60),
  /** Serves GET /healthz on this port when set. */
  WORKER_HEALTH_PORT: z.coerce.number().int().min(0).max(65535).optional(),
});

export type WorkerEnv = z.infer<typeof schema>;

export function loadEnv(source: NodeJS.ProcessEnv = process.env): WorkerEnv {
  return parseEnv(schema, source, "worker");
}

/** Per-stage concurrency override: WORKER_CONCURRENCY_TTS=4 etc. */
export function stageConcurrency(
  stage: string,
  fallback: number,
  source: NodeJS.ProcessEnv = process.env,
): number {
  const v = Number(source[`WORKER_CONCURRENCY_${stage.toUpperCase()}`]);
  return Number.isFinite(v) && v > 0 ? Math.floor(v) : fallback;
}
