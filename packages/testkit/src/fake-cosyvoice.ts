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

/**
 * Which upstream checkout it answers like. "working": revision d985100 or older (v1/v2) or
 * a server.py patched to hand the prompt over as a WAV. "unpatched-file-prompt": cosyvoice
 * at 622a3a1 or later with its own server.py, which still passes the prompt as a tensor
 * to functions that load a file — every zero-shot and cross-lingual request fails.
 */
export type FakeCosyVoiceUpstream = "working" | "unpatched-file-prompt";

export interface FakeCosyVoiceOptions {
  /** Default "working". */
  upstream?: FakeCosyVoiceUpstream;
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

/** grpcio's answer to a Python exception raised while the servicer's generator runs. */
function pythonException(call: grpc.ServerWritableStream<WireRequest, { tts_audio: Buffer }>, error: string) {
  call.emit("error", {
    code: grpc.status.UNKNOWN,
    details: `Exception iterating responses: ${error}`,
  } as grpc.ServiceError);
}

/** Roughly how torch prints the prompt tensor server.py builds (int16 / 2^15, shape [1, n]). */
function tensorRepr(pcm: Buffer): string {
  const n = Math.floor(pcm.length / 2);
  const at = (k: number) => (pcm.readInt16LE(2 * k) / 32768).toFixed(4);
  return n < 6
    ? `tensor([[${Array.from({ length: n }, (_, k) => at(k)).join(", ")}]])`
    : `tensor([[${at(0)}, ${at(1)}, ${at(2)},  ..., ${at(n - 3)}, ${at(n - 2)}, ${at(n - 1)}]])`;
}

function parse(req: WireRequest): FakeCosyVoiceRequest | string {
  switch (req.RequestPayload) {
    case "sft_request": {
      const { tts_text = "", spk_id = "" } = req.sft_request ?? {};
      return { mode: "sft", ttsText: tts_text, spkId: spk_id };
    }
    case "zero_shot_request": {
      const { tts_text = "", prompt_text = "", prompt_audio } = req.zero_shot_request ?? {};
      return { mode: "zero_shot", ttsText: tts_text, promptText: prompt_text, promptAudio: prompt_audio };
    }
    case "cross_lingual_request": {
      const { tts_text = "", prompt_audio } = req.cross_lingual_request ?? {};
      return { mode: "cross_lingual", ttsText: tts_text, promptAudio: prompt_audio };
    }
    case "instruct_request": {
      const { tts_text = "", spk_id = "", instruct_text = "" } = req.instruct_request ?? {};
      return { mode: "instruct", ttsText: tts_text, spkId: spk_id, instructText: instruct_text };
    }
    case undefined:
      return "request carries no payload";
  }
}

export async function startFakeCosyVoice(opts: FakeCosyVoiceOptions = {}): Promise<FakeCosyVoice> {
  const upstream = opts.upstream ?? "working";
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
        // frontend_sft's spk2info[spk_id]: the KeyError prints as the quoted key.
        return pythonException(call, `'${parsed.spkId ?? ""}'`);
      }
      if (upstream === "unpatched-file-prompt" && parsed.promptAudio !== undefined) {
        // load_wav → soundfile, given server.py's tensor instead of a file.
        return pythonException(call, `Invalid file: ${tensorRepr(parsed.promptAudio)}`);
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
