/**
 * CosyVoice over gRPC, wire-compatible with the official server
 * (FunAudioLLM/CosyVoice runtime/python/grpc/server.py). One streaming `Inference` call per
 * sentence; the streamed int16 PCM chunks are joined and written as 44.1 kHz mono WAV.
 */
import { stat } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { wavDurationMs } from "../../audio/wav";
import { PipelineError } from "../../errors";
import { pcm16ToWav44k, readPcm16 } from "../pcm";
import type { TtsEngine, TtsRequest, TtsResult } from "../types";
import {
  chooseCosyVoiceMode,
  COSYVOICE_SAMPLE_RATES,
  cosyVoicePromptText,
  cosyVoiceSupports,
  cosyVoiceText,
} from "./mode";
import type { CosyVoiceMode, CosyVoiceVersion } from "./mode";
import { cosyVoiceMismatch } from "./server-errors";
import { loadOnce } from "../../load-once";

export interface CosyVoiceOptions {
  /** host:port of the gRPC server (the official server listens on 50000). */
  address: string;
  /** Model version behind the server: 1 (CosyVoice-300M), 2 (CosyVoice2-0.5B, default), 3 (Fun-CosyVoice3-0.5B). */
  version?: CosyVoiceVersion;
  /** Rate of the PCM the server streams; defaults to the version's (22050 v1, 24000 v2/v3). */
  sampleRate?: number;
  /** Built-in speaker for sentences without a reference clip (sft request). */
  speakerId?: string;
  /** Deadline of one sentence's call. */
  timeoutMs?: number;
}

/** The official server reads prompt audio as 16 kHz int16 PCM (np.frombuffer(..., int16) / 2^15). */
export const PROMPT_SAMPLE_RATE = 16_000;
const PROTO_PATH = fileURLToPath(new URL("./cosyvoice.proto", import.meta.url));
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
const PROMPT_CACHE_SIZE = 16;

/** Request as proto-loader encodes it (keepCase: field names as in the .proto). */
export type CosyVoiceRequest =
  | { sft_request: { spk_id: string; tts_text: string } }
  | { zero_shot_request: { tts_text: string; prompt_text: string; prompt_audio: Buffer } }
  | { cross_lingual_request: { tts_text: string; prompt_audio: Buffer } };

interface InferenceClient extends grpc.Client {
  Inference(
    request: CosyVoiceRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
  ): grpc.ClientReadableStream<{ tts_audio: Buffer }>;
}

let clientCtor: grpc.ServiceClientConstructor | undefined;

function cosyVoiceClientCtor(): grpc.ServiceClientConstructor {
  if (!clientCtor) {
    const def = protoLoader.loadSync(PROTO_PATH, { keepCase: true, defaults: true, oneofs: true });
    const pkg = grpc.loadPackageDefinition(def) as unknown as {
      cosyvoice: { CosyVoice: grpc.ServiceClientConstructor };
    };
    clientCtor = pkg.cosyvoice.CosyVoice;
  }
  return clientCtor;
}

/** "http://gpu:50000/" → "gpu:50000"; refuses anything without a port so typos fail at boot. */
export function normaliseCosyVoiceAddress(raw: string): string {
  const addr = raw
    .trim()
    .replace(/^(grpc|http):\/\//, "")
    .replace(/\/+$/, "");
  if (!/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/.test(addr)) {
    throw new PipelineError({
      code: "TTS_CONFIG",
      category: "user",
      message: `COSYVOICE_ADDR must be host:port of the CosyVoice gRPC server (e.g. 10.0.0.5:50000), got ${JSON.stringify(raw)}.`,
    });
  }
  return addr;
}

export class CosyVoiceEngine implements TtsEngine {
  readonly name = "cosyvoice";
  readonly usesReference = true;
  readonly address: string;
  readonly version: CosyVoiceVersion;
  readonly sampleRate: number;
  readonly #speakerId: string | undefined;
  readonly #timeoutMs: number;
  readonly #client: InferenceClient;
  readonly #prompts = new Map<string, Promise<Buffer>>();

  constructor(opts: CosyVoiceOptions) {
    this.address = normaliseCosyVoiceAddress(opts.address);
    this.version = opts.version ?? 2;
    this.sampleRate = opts.sampleRate ?? COSYVOICE_SAMPLE_RATES[this.version];
    this.#speakerId = opts.speakerId?.trim() || undefined;
    this.#timeoutMs = opts.timeoutMs ?? 120_000;
    const Ctor = cosyVoiceClientCtor();
    this.#client = new Ctor(this.address, grpc.credentials.createInsecure(), {
      "grpc.max_receive_message_length": MAX_MESSAGE_BYTES,
      "grpc.max_send_message_length": MAX_MESSAGE_BYTES,
    }) as unknown as InferenceClient;
  }

  supports(language: string): boolean {
    return cosyVoiceSupports(this.version, language);
  }

  async synthesize(req: TtsRequest): Promise<TtsResult> {
    if (!this.supports(req.language)) {
      throw new PipelineError({
        code: "UNSUPPORTED_LANGUAGE",
        category: "user",
        message: `CosyVoice ${this.version} does not speak "${req.language}" (set COSYVOICE_VERSION=3 for de/es/fr/it/ru, or TTS_ENGINE=espeak).`,
      });
    }
    const mode = chooseCosyVoiceMode({
      language: req.language,
      hasReference: req.referenceAudio !== undefined,
      referenceText: req.referenceText,
      referenceLanguage: req.referenceLanguage,
      speakerId: this.#speakerId,
    });
    const text = cosyVoiceText({ version: this.version, mode, text: req.text, language: req.language });
    const pcm = await this.#infer(await this.#request(mode, text, req), req.signal);
    // Chunks are whole int16 samples; an odd byte would be a server fault, dropped rather than misread.
    const samples = pcm.subarray(0, pcm.length - (pcm.length % 2));
    if (samples.length === 0) {
      throw new PipelineError({
        code: "TTS_EMPTY",
        category: "third_party",
        message: `The CosyVoice server at ${this.address} returned no audio for "${req.text.slice(0, 60)}".`,
      });
    }
    const out = await pcm16ToWav44k({
      pcm: samples,
      sampleRate: this.sampleRate,
      out: req.outPath,
      ...(req.signal ? { signal: req.signal } : {}),
    });
    return { path: out, durationMs: await wavDurationMs(out) };
  }

  close(): void {
    this.#client.close();
  }

  async #request(mode: CosyVoiceMode, text: string, req: TtsRequest): Promise<CosyVoiceRequest> {
    switch (mode) {
      case "sft":
        return { sft_request: { spk_id: this.#speakerId ?? "", tts_text: text } };
      case "cross_lingual":
        return { cross_lingual_request: { tts_text: text, prompt_audio: await this.#promptAudio(req) } };
      case "zero_shot":
        return {
          zero_shot_request: {
            tts_text: text,
            prompt_text: cosyVoicePromptText(this.version, req.referenceText ?? ""),
            prompt_audio: await this.#promptAudio(req),
          },
        };
    }
  }

  /** The reference clip as 16 kHz int16 PCM; cached, since every sentence of a speaker shares one clip. */
  async #promptAudio(req: TtsRequest): Promise<Buffer> {
    const path = req.referenceAudio ?? "";
    const info = await stat(path);
    const key = `${path}:${info.size}:${info.mtimeMs}`;
    const pcm = loadOnce(this.#prompts, key, () =>
      readPcm16({ input: path, sampleRate: PROMPT_SAMPLE_RATE }),
    );
    for (const old of this.#prompts.keys()) {
      if (this.#prompts.size <= PROMPT_CACHE_SIZE) break;
      this.#prompts.delete(old);
    }
    return pcm;
  }

  #infer(request: CosyVoiceRequest, signal: AbortSignal | undefined): Promise<Buffer> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    return new Promise<Buffer>((resolve, reject) => {
      const call = this.#client.Inference(request, new grpc.Metadata(), {
        deadline: Date.now() + this.#timeoutMs,
      });
      const chunks: Buffer[] = [];
      let settled = false;
      const settle = (fn: () => void): void => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener("abort", onAbort);
        fn();
      };
      const onAbort = (): void => {
        call.cancel();
        settle(() => reject(abortReason(signal as AbortSignal)));
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      call.on("data", (r: { tts_audio?: Buffer }) => {
        if (r.tts_audio?.length) chunks.push(r.tts_audio);
      });
      // grpc-js emits 'error' before 'end' when the call fails, so a failed call never resolves.
      call.on("error", (err: grpc.ServiceError) => settle(() => reject(this.#toError(err))));
      call.on("end", () => settle(() => resolve(Buffer.concat(chunks))));
    });
  }

  #toError(err: grpc.ServiceError): PipelineError {
    const where = `the CosyVoice server at ${this.address}`;
    const status = grpc.status[err.code] ?? String(err.code);
    const details = err.details || err.message;
    const make = (code: string, category: "user" | "third_party", message: string) =>
      new PipelineError({ code, category, message, cause: err });
    const s = grpc.status;
    if (err.code === s.UNAVAILABLE)
      return make(
        "TTS_UNAVAILABLE",
        "third_party",
        `Cannot reach ${where} (${details}); check COSYVOICE_ADDR and that the server is running.`,
      );
    if (err.code === s.DEADLINE_EXCEEDED)
      return make(
        "TTS_TIMEOUT",
        "third_party",
        `${where} did not finish a sentence within ${this.#timeoutMs} ms; check its load or raise COSYVOICE_TIMEOUT_MS.`,
      );
    if (err.code === s.RESOURCE_EXHAUSTED)
      return make(
        "TTS_BUSY",
        "third_party",
        `${where} is at its concurrency limit (${details}); lower TTS_CONCURRENCY or raise the server's --max_conc.`,
      );
    if (
      [s.UNIMPLEMENTED, s.INVALID_ARGUMENT, s.NOT_FOUND, s.FAILED_PRECONDITION, s.OUT_OF_RANGE].includes(
        err.code,
      )
    )
      return make(
        "TTS_BAD_REQUEST",
        "user",
        `${where} refused the request (${status}: ${details}); check that COSYVOICE_ADDR is a CosyVoice server and COSYVOICE_SPK_ID / COSYVOICE_VERSION match its model.`,
      );
    if (err.code === s.UNAUTHENTICATED || err.code === s.PERMISSION_DENIED)
      return make("TTS_AUTH", "user", `${where} refused access (${status}: ${details}).`);
    const mismatch = cosyVoiceMismatch({ details, where, speakerId: this.#speakerId, cause: err });
    if (mismatch) return mismatch;
    // Any other Python exception in the servicer becomes UNKNOWN: often transient (GPU OOM).
    return make("TTS_SERVER_ERROR", "third_party", `${where} failed (${status}: ${details}).`);
  }
}

function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new DOMException("The operation was aborted", "AbortError");
}

export function createCosyVoiceEngine(opts: CosyVoiceOptions): CosyVoiceEngine {
  return new CosyVoiceEngine(opts);
}
