/** Speech side of the fake OpenAI server: `POST /v1/audio/speech` answers a real WAV (a tone). */
import { HttpError } from "./fake-openai-http";

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

function wav(pcm: Buffer): Buffer {
  const h = Buffer.alloc(44);
  h.write("RIFF", 0);
  h.writeUInt32LE(36 + pcm.length, 4);
  h.write("WAVE", 8);
  h.write("fmt ", 12);
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(1, 22);
  h.writeUInt32LE(SPEECH_SAMPLE_RATE, 24);
  h.writeUInt32LE(SPEECH_SAMPLE_RATE * 2, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write("data", 36);
  h.writeUInt32LE(pcm.length, 40);
  return Buffer.concat([h, pcm]);
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
    ? { contentType: "audio/wav", body: wav(pcm), durationMs }
    : { contentType: "audio/pcm", body: pcm, durationMs };
}
