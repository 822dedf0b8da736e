/**
 * OpenAI-compatible speech (`POST /audio/speech`): OpenAI, and servers that copy its API
 * (Kokoro-FastAPI, openedai-speech, LocalAI...). The WAV it returns is resampled to 44.1 kHz mono.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { wavDurationMs } from "../audio/wav";
import { PipelineError } from "../errors";
import type { LlmClient } from "../llm/client";
import { classifyApiError } from "../llm/errors";
import { toWav44k, withTempDir } from "./pcm";
import type { TtsEngine, TtsRequest, TtsResult } from "./types";
import { OPENAI_SPEAKER_VOICES, voiceForSpeaker } from "./voices";

export interface OpenAiSpeechOptions {
  client: LlmClient;
  /** Speech model, e.g. "gpt-4o-mini-tts", "tts-1", "kokoro". */
  model: string;
  /** Voice for sentences without a speaker (default "alloy"). */
  voice?: string;
  /** Voices handed to speakers (tts/voices.ts); OpenAI's six classic voices by default. */
  voices?: readonly string[];
}

export class OpenAiSpeechEngine implements TtsEngine {
  readonly name = "openai-speech";
  readonly #client: LlmClient;
  readonly #model: string;
  readonly #voice: string;
  readonly #voices: readonly string[];

  constructor(opts: OpenAiSpeechOptions) {
    if (opts.model.trim() === "") {
      throw new PipelineError({
        code: "TTS_CONFIG",
        category: "user",
        message: "No speech model configured: set TTS_MODEL (e.g. gpt-4o-mini-tts, tts-1).",
      });
    }
    this.#client = opts.client;
    this.#model = opts.model;
    this.#voice = opts.voice?.trim() || "alloy";
    this.#voices = opts.voices?.length ? opts.voices : OPENAI_SPEAKER_VOICES;
  }

  /** The model's languages are not discoverable; it is asked to speak whatever the task targets. */
  supports(language: string): boolean {
    return language.trim() !== "";
  }

  async synthesize(req: TtsRequest): Promise<TtsResult> {
    // An explicit voice (task option) wins over the per-speaker choice.
    const voice =
      req.voice ?? voiceForSpeaker({ speaker: req.speaker, voices: this.#voices, fallback: this.#voice });
    let audio: Buffer;
    try {
      const res = await this.#client.openai.audio.speech.create(
        { model: this.#model, voice, input: req.text, response_format: "wav" },
        { signal: req.signal },
      );
      audio = Buffer.from(await res.arrayBuffer());
    } catch (err) {
      throw speechError(err, { baseURL: this.#client.baseURL, model: this.#model, signal: req.signal });
    }
    const out = await withTempDir("vitr-speech-", async (dir) => {
      const raw = join(dir, "speech.wav");
      await writeFile(raw, audio);
      return toWav44k({ input: raw, out: req.outPath, ...(req.signal ? { signal: req.signal } : {}) });
    });
    return { path: out, durationMs: await wavDurationMs(out) };
  }
}

/** SDK error → PipelineError naming the TTS_* variable to fix; a caller's abort stays an abort. */
export function speechError(
  err: unknown,
  ctx: { baseURL: string; model: string; signal?: AbortSignal | undefined },
): unknown {
  if (ctx.signal?.aborted) return (ctx.signal.reason as unknown) ?? err;
  const f = classifyApiError(err);
  if (!f) return err;
  const where = `the speech endpoint ${ctx.baseURL} (model ${ctx.model})`;
  const fail = (code: string, category: "user" | "third_party", message: string) =>
    new PipelineError({ code, category, message, cause: err });
  switch (f.kind) {
    case "timeout":
      return fail("TTS_UNAVAILABLE", "third_party", `${where} did not answer in time.`);
    case "unreachable":
      return fail(
        "TTS_UNAVAILABLE",
        "third_party",
        `Cannot reach ${where}; check TTS_BASE_URL (or LLM_BASE_URL) and that the server is running.`,
      );
    case "auth":
      return fail(
        "TTS_AUTH",
        "user",
        `${where} rejected the API key (HTTP ${f.status}); check TTS_API_KEY / LLM_API_KEY.`,
      );
    case "not_found":
      return fail(
        "TTS_NOT_FOUND",
        "user",
        `${where} answered 404: check TTS_MODEL and the base URL. ${f.detail}`,
      );
    case "bad_request":
      return fail(
        "TTS_BAD_REQUEST",
        "user",
        `${where} refused the request (HTTP ${f.status}): ${f.detail}. Check TTS_MODEL and TTS_VOICE / TTS_VOICES.`,
      );
    case "quota":
    case "rate_limited":
    case "server":
      return fail("TTS_SERVER_ERROR", "third_party", `${where} failed with HTTP ${f.status}: ${f.detail}`);
  }
}

export function createOpenAiSpeechEngine(opts: OpenAiSpeechOptions): TtsEngine {
  return new OpenAiSpeechEngine(opts);
}
