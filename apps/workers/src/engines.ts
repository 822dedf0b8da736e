/** Picks each stage's engine from the configuration. */
import {
  createLlmClient,
  createOpenAiTranscriber,
  createOpenAiTranslator,
  createSeparator,
} from "@vitranslator/pipeline";
import type { Engines, Logger } from "@vitranslator/pipeline";
import type { WorkerEnv } from "./env";
import { pickDiarizer, pickTranscriber } from "./local-engines";
import { createTtsEngine } from "./tts-engines";

export function createEngines(env: WorkerEnv, log: Logger): Engines {
  const llm = env.LLM_BASE_URL
    ? createLlmClient({
        baseURL: env.LLM_BASE_URL,
        apiKey: env.LLM_API_KEY ?? "",
        model: env.LLM_MODEL,
        timeoutMs: env.LLM_TIMEOUT_MS,
      })
    : null;
  const asrBase = env.ASR_BASE_URL ?? env.LLM_BASE_URL;
  const asr =
    asrBase && env.ASR_MODEL
      ? createLlmClient({
          baseURL: asrBase,
          apiKey: env.ASR_API_KEY ?? env.LLM_API_KEY ?? "",
          model: env.LLM_MODEL,
          transcriptionModel: env.ASR_MODEL,
          timeoutMs: env.LLM_TIMEOUT_MS,
        })
      : null;
  const asrPick = pickTranscriber(env, asr ? createOpenAiTranscriber({ client: asr }) : null);
  const diarizer = pickDiarizer(env);
  const tts = createTtsEngine(env);
  log.info(
    {
      translate: llm ? `openai-compatible ${llm.baseURL} (${llm.model})` : "none",
      asr: asrPick.label,
      diarization: diarizer ? "sherpa-onnx" : "off",
      tts: tts.label,
      separator: env.SEPARATOR,
      segmentDetector: env.SEGMENT_DETECTOR,
    },
    "engines",
  );
  return {
    separator: createSeparator({
      kind: env.SEPARATOR,
      ...(env.MDX_MODEL_PATH ? { mdx: { modelPath: env.MDX_MODEL_PATH } } : {}),
    }),
    vad: env.SEGMENT_DETECTOR,
    tts: tts.engine,
    translator: llm ? createOpenAiTranslator({ client: llm, logger: log }) : null,
    transcriber: asrPick.transcriber,
    diarizer,
  };
}
