/** Speech side of the fake OpenAI server: `POST /v1/audio/speech` answers a real WAV (a tone). */
import { HttpError } from "./fake-openai-http";
import { pcm16Wav } from "./wav";

/** OpenAI's speech output rate. */
export const SPEECH_SAMPLE_RATE = 24_000;
const VOICES = [
  "alloy",
  "ash",
  "ballad",
  "coral",
  "echo",
  "fable",
  "nova",
  "onyx",
  "sage",
  "shimmer",
  "verse",
];

export interface SpeechAnswer {
  contentType: string;
  body: Buffer;
  durationMs: number;
}

/** Milliseconds of "speech" for a text: 60 ms per character, at least 300 ms. */
export const speechMs = (text: string): number => Math.max(300, [...text].length * 60);

function pcmTone(durationMs: number, hz: number): Buffer {
  const n = Math.round((durationMs / 1000) * SPEECH_SAMPLE_RATE);
  const pcm = Buffer.alloc(n * 2);
  for (let i = 0; i < n; i++)
    pcm.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * hz * i) / SPEECH_SAMPLE_RATE)), i * 2);
  return pcm;
}

/** Validates a speech request body as OpenAI does and builds the answer; each voice gets its own pitch. */
export function answerSpeech(body: unknown): SpeechAnswer {
  const b = (body ?? {}) as { model?: unknown; input?: unknown; voice?: unknown; response_format?: unknown };
  if (typeof b.model !== "string" || b.model === "")
    throw new HttpError(400, "you must provide a model parameter", "invalid_request_error", null, "model");
  if (typeof b.input !== "string" || b.input.trim() === "")
    throw new HttpError(400, "Missing required parameter: 'input'.", "invalid_request_error", null, "input");
  if (b.input.length > 4096)
    throw new HttpError(
      400,
      "'input' is too long (max 4096 characters).",
      "invalid_request_error",
      null,
      "input",
    );
  if (typeof b.voice !== "string" || !VOICES.includes(b.voice))
    throw new HttpError(
      400,
      `Invalid value for 'voice': ${JSON.stringify(b.voice)}.`,
      "invalid_request_error",
      null,
      "voice",
    );
  const format = typeof b.response_format === "string" ? b.response_format : "mp3";
  if (format !== "wav" && format !== "pcm")
    throw new HttpError(
      400,
      `The fake server answers only wav and pcm, not '${format}'.`,
      "invalid_request_error",
      null,
      "response_format",
    );
  const durationMs = speechMs(b.input);
  const pcm = pcmTone(durationMs, 180 + 20 * VOICES.indexOf(b.voice));
  return format === "wav"
    ? { contentType: "audio/wav", body: pcm16Wav(pcm, SPEECH_SAMPLE_RATE), durationMs }
    : { contentType: "audio/pcm", body: pcm, durationMs };
}
