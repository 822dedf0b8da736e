/**
 * A local stand-in for the official CosyVoice gRPC server (runtime/python/grpc/server.py),
 * serving the upstream cosyvoice.proto. It answers every request with a tone whose length
 * grows with the text, streamed as raw int16 PCM chunks at the model's rate, and records
 * what it was asked so tests can check the request type, texts and prompt audio.
 * Test code only; never a production default.
 */
import { fileURLToPath } from "node:url";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";

const PROTO_PATH = fileURLToPath(new URL("./cosyvoice-upstream.proto", import.meta.url));

export type FakeCosyVoiceMode = "sft" | "zero_shot" | "cross_lingual" | "instruct";

export interface FakeCosyVoiceRequest {
  mode: FakeCosyVoiceMode;
  ttsText: string;
  spkId?: string;
  promptText?: string;
  instructText?: string;
  /** Prompt audio as sent: int16 little-endian PCM. */
  promptAudio?: Buffer;
}

export interface FakeCosyVoiceBehaviour {
  /** Fail the next `times` calls (default every call) with this gRPC status. */
  fail?: { code: grpc.status; details?: string; times?: number };
  /** Never answer: the call stays open until the client's deadline or cancel. */
  hang?: boolean;
}

export interface FakeCosyVoiceOptions {
  /** Rate of the PCM it streams: 22050 (v1) or 24000 (v2/v3, default). */
  sampleRate?: number;
  /** Speakers its SFT model knows (default 中文女, 英文男). */
  speakers?: string[];
  /** Milliseconds of speech per character of text (default 60, at least 300 ms in all). */
  msPerChar?: number;
  /** Chunks each answer is split into (default 3), as the real server streams. */
  chunks?: number;
  behaviour?: FakeCosyVoiceBehaviour;
}

export interface FakeCosyVoice {
  /** host:port, for COSYVOICE_ADDR. */
  address: string;
  requests: FakeCosyVoiceRequest[];
  sampleRate: number;
  /** Duration of the tone answered for `text`. */
  toneMs(text: string): number;
  setBehaviour(behaviour: FakeCosyVoiceBehaviour): void;
  close(): Promise<void>;
}

interface WireRequest {
  RequestPayload?: "sft_request" | "zero_shot_request" | "cross_lingual_request" | "instruct_request";
  sft_request?: { spk_id: string; tts_text: string };
  zero_shot_request?: { tts_text: string; prompt_text: string; prompt_audio: Buffer };
  cross_lingual_request?: { tts_text: string; prompt_audio: Buffer };
  instruct_request?: { tts_text: string; spk_id: string; instruct_text: string };
}

function tone(durationMs: number, sampleRate: number): Buffer {
  const n = Math.round((durationMs / 1000) * sampleRate);
  const pcm = Buffer.alloc(n * 2);
  for (let i = 0; i < n; i++)
    pcm.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 220 * i) / sampleRate)), i * 2);
  return pcm;
}

function parse(req: WireRequest): FakeCosyVoiceRequest | string {
  switch (req.RequestPayload) {
    case "sft_request":
      return { mode: "sft", ttsText: req.sft_request?.tts_text ?? "", spkId: req.sft_request?.spk_id ?? "" };
    case "zero_shot_request": {
      const z = req.zero_shot_request;
      return {
        mode: "zero_shot",
        ttsText: z?.tts_text ?? "",
        promptText: z?.prompt_text ?? "",
        promptAudio: z?.prompt_audio,
      };
    }
    case "cross_lingual_request": {
      const c = req.cross_lingual_request;
      return { mode: "cross_lingual", ttsText: c?.tts_text ?? "", promptAudio: c?.prompt_audio };
    }
    case "instruct_request": {
      const r = req.instruct_request;
      return {
        mode: "instruct",
        ttsText: r?.tts_text ?? "",
        spkId: r?.spk_id ?? "",
        instructText: r?.instruct_text ?? "",
      };
    }
    case undefined:
      return "request carries no payload";
  }
}

export async function startFakeCosyVoice(opts: FakeCosyVoiceOptions = {}): Promise<FakeCosyVoice> {
  const sampleRate = opts.sampleRate ?? 24_000;
  const speakers = opts.speakers ?? ["中文女", "英文男"];
  const msPerChar = opts.msPerChar ?? 60;
  const chunkCount = Math.max(1, opts.chunks ?? 3);
  const requests: FakeCosyVoiceRequest[] = [];
  let behaviour: FakeCosyVoiceBehaviour = opts.behaviour ?? {};
  let failures = 0;
  const toneMs = (text: string) => Math.max(300, [...text].length * msPerChar);

  const def = protoLoader.loadSync(PROTO_PATH, { keepCase: true, defaults: true, oneofs: true });
  const pkg = grpc.loadPackageDefinition(def) as unknown as {
    cosyvoice: { CosyVoice: grpc.ServiceClientConstructor };
  };
  const server = new grpc.Server();
  server.addService(pkg.cosyvoice.CosyVoice.service, {
    Inference(call: grpc.ServerWritableStream<WireRequest, { tts_audio: Buffer }>) {
      const parsed = parse(call.request);
      if (typeof parsed !== "string") requests.push(parsed);
      const fail = behaviour.fail;
      if (fail && failures < (fail.times ?? Infinity)) {
        failures++;
        call.emit("error", {
          code: fail.code,
          details: fail.details ?? "simulated failure",
        } as grpc.ServiceError);
        return;
      }
      if (behaviour.hang) return;
      const invalid = (details: string) =>
        call.emit("error", { code: grpc.status.INVALID_ARGUMENT, details } as grpc.ServiceError);
      if (typeof parsed === "string") return invalid(parsed);
      if (parsed.ttsText.trim() === "") return invalid("tts_text is empty");
      if (
        parsed.promptAudio !== undefined &&
        (parsed.promptAudio.length === 0 || parsed.promptAudio.length % 2)
      ) {
        return invalid("prompt_audio must be int16 PCM");
      }
      if ((parsed.mode === "sft" || parsed.mode === "instruct") && !speakers.includes(parsed.spkId ?? "")) {
        // What the real server does: the Python KeyError becomes UNKNOWN.
        call.emit("error", {
          code: grpc.status.UNKNOWN,
          details: `Exception calling application: '${parsed.spkId ?? ""}'`,
        } as grpc.ServiceError);
        return;
      }
      const pcm = tone(toneMs(parsed.ttsText), sampleRate);
      const step = Math.ceil(pcm.length / 2 / chunkCount) * 2;
      for (let at = 0; at < pcm.length; at += step) call.write({ tts_audio: pcm.subarray(at, at + step) });
      call.end();
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p),
    ),
  );
  return {
    address: `127.0.0.1:${port}`,
    requests,
    sampleRate,
    toneMs,
    setBehaviour(next) {
      behaviour = next;
      failures = 0;
    },
    close() {
      // Not tryShutdown: a hanging call would hold a graceful shutdown open.
      server.forceShutdown();
      return Promise.resolve();
    },
  };
}
