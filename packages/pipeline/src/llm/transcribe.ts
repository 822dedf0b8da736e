import fs from "node:fs";
import { PipelineError } from "../errors";
import type { LlmClient } from "./client";
import { toLlmError } from "./errors";
import { normaliseWhisperLanguage } from "./whisper-languages";

export interface TranscribedSegment {
  startMs: number;
  endMs: number;
  text: string;
  /** ISO 639-1 code of this segment, where the engine detects it per segment (sherpa-onnx). */
  language?: string;
}

export interface TranscribeRequest {
  audioPath: string;
  /** ISO 639-1 hint; detection is left to the model when absent. */
  language?: string;
  signal?: AbortSignal;
}

export interface TranscribeResult {
  /** ISO 639-1 code when the model reports one. */
  language?: string;
  segments: TranscribedSegment[];
}

export interface Transcriber {
  transcribe(req: TranscribeRequest): Promise<TranscribeResult>;
}

export interface OpenAiTranscriberOptions {
  client: LlmClient;
  /** Defaults to the client's transcriptionModel, then "whisper-1". */
  model?: string;
}

/**
 * `/audio/transcriptions` with `verbose_json` segment timestamps (OpenAI whisper-1,
 * Groq, faster-whisper-server, LocalAI, vLLM's Whisper). Models that only return plain
 * text (gpt-4o-transcribe) cannot give timings and are not supported here.
 */
export function createOpenAiTranscriber(opts: OpenAiTranscriberOptions): Transcriber {
  const { client } = opts;
  const model = opts.model ?? client.transcriptionModel ?? "whisper-1";

  return {
    async transcribe(req) {
      await assertReadable(req.audioPath);
      let result;
      try {
        result = await client.openai.audio.transcriptions.create(
          {
            file: fs.createReadStream(req.audioPath),
            model,
            response_format: "verbose_json",
            timestamp_granularities: ["segment"],
            ...(req.language ? { language: req.language } : {}),
          },
          req.signal ? { signal: req.signal } : undefined,
        );
      } catch (err) {
        throw toLlmError(err, { client, model, signal: req.signal });
      }
      const segments: TranscribedSegment[] = [];
      for (const s of result.segments ?? []) {
        const text = s.text.trim();
        if (text === "") continue;
        const startMs = Math.max(0, Math.round(s.start * 1000));
        segments.push({ startMs, endMs: Math.max(startMs, Math.round(s.end * 1000)), text });
      }
      // A server that ignores timestamp_granularities still returns the text: keep it as one
      // segment over the reported duration rather than losing the speech.
      const whole = result.text.trim();
      if (segments.length === 0 && whole !== "" && result.duration > 0) {
        segments.push({ startMs: 0, endMs: Math.round(result.duration * 1000), text: whole });
      }
      segments.sort((a, b) => a.startMs - b.startMs);
      return {
        ...(result.language ? { language: normaliseWhisperLanguage(result.language) } : {}),
        segments,
      };
    },
  };
}

async function assertReadable(audioPath: string): Promise<void> {
  try {
    await fs.promises.access(audioPath, fs.constants.R_OK);
  } catch (cause) {
    throw new PipelineError({
      code: "AUDIO_NOT_FOUND",
      category: "system",
      message: `Cannot read the audio to transcribe: ${audioPath}`,
      cause,
    });
  }
}
