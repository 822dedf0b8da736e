/**
 * A worker thread that owns sherpa-onnx's speaker diarization and embedding extractor.
 * Both native calls are synchronous and take seconds on a long segment: on the main
 * thread they would stall BullMQ's lock renewal. The worker is plain JavaScript passed as
 * a string (eval) so it runs the same under tsx, vitest and a build, with no loader.
 */
import { Worker } from "node:worker_threads";
import { PipelineError } from "../errors";
import { sherpaModulePath } from "../models/native";

export interface NativeTurn {
  start: number;
  end: number;
  speaker: number;
}

export interface DiarizeReply {
  turns: NativeTurn[];
  /** One embedding per cluster, from up to `maxEmbedSeconds` of that cluster's speech. */
  embeddings: { cluster: number; embedding: Float32Array }[];
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const sherpa = require(workerData.sherpaPath);
const cfg = workerData.config;
let sd = null;
let ex = null;
const diarizer = () => (sd ??= new sherpa.OfflineSpeakerDiarization(cfg));
const extractor = () => (ex ??= new sherpa.SpeakerEmbeddingExtractor(cfg.embedding));
function embed(samples) {
  const e = extractor();
  const stream = e.createStream();
  stream.acceptWaveform({ samples, sampleRate: 16000 });
  stream.inputFinished();
  if (!e.isReady(stream)) return null;
  return Float32Array.from(e.compute(stream, false));
}
parentPort.on("message", (msg) => {
  try {
    if (msg.type === "embed") {
      parentPort.postMessage({ id: msg.id, embedding: embed(msg.samples) });
      return;
    }
    const turns = diarizer().process(msg.samples).map((t) => ({ start: t.start, end: t.end, speaker: t.speaker }));
    const bySpeaker = new Map();
    for (const t of turns) {
      const list = bySpeaker.get(t.speaker) ?? [];
      list.push(msg.samples.subarray(Math.floor(t.start * 16000), Math.ceil(t.end * 16000)));
      bySpeaker.set(t.speaker, list);
    }
    const embeddings = [];
    for (const [cluster, parts] of bySpeaker) {
      const max = msg.maxEmbedSeconds * 16000;
      const total = Math.min(max, parts.reduce((n, p) => n + p.length, 0));
      const joined = new Float32Array(total);
      let off = 0;
      for (const p of parts) {
        if (off >= total) break;
        const take = p.subarray(0, total - off);
        joined.set(take, off);
        off += take.length;
      }
      const embedding = embed(joined);
      if (embedding) embeddings.push({ cluster, embedding });
    }
    parentPort.postMessage({ id: msg.id, turns, embeddings });
  } catch (err) {
    parentPort.postMessage({ id: msg.id, error: String(err && err.message ? err.message : err) });
  }
});
`;

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

export interface NativeDiarizationWorker {
  diarize(samples: Float32Array, maxEmbedSeconds: number): Promise<DiarizeReply>;
  embed(samples: Float32Array): Promise<Float32Array | null>;
  close(): Promise<void>;
}

/** `config` is sherpa-onnx's OfflineSpeakerDiarization config (its `embedding` part alone suffices for embed()). */
export function startDiarizationWorker(config: object): NativeDiarizationWorker {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { sherpaPath: sherpaModulePath(), config },
  });
  // The worker must not keep an idle process alive.
  worker.unref();
  const pending = new Map<number, Pending>();
  let next = 0;
  const failAll = (err: unknown) => {
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };
  worker.on("message", (msg: { id: number; error?: string }) => {
    const p = pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    if (pending.size === 0) worker.unref();
    if (msg.error !== undefined) {
      p.reject(new PipelineError({ code: "DIARIZATION_FAILED", category: "system", message: msg.error }));
    } else p.resolve(msg);
  });
  worker.on("error", (cause) =>
    failAll(
      new PipelineError({
        code: "DIARIZATION_FAILED",
        category: "system",
        message: "diarization worker crashed",
        cause,
      }),
    ),
  );
  worker.on("exit", (code) =>
    failAll(
      new PipelineError({
        code: "DIARIZATION_FAILED",
        category: "system",
        message: `diarization worker exited (${code})`,
      }),
    ),
  );
  const call = <T>(msg: object, samples: Float32Array): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = next++;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      worker.ref();
      // A copy is transferred, so the caller's array stays usable.
      const copy = Float32Array.from(samples);
      worker.postMessage({ ...msg, id, samples: copy }, [copy.buffer]);
    });
  return {
    diarize: (samples, maxEmbedSeconds) => call<DiarizeReply>({ type: "diarize", maxEmbedSeconds }, samples),
    embed: async (samples) =>
      (await call<{ embedding: Float32Array | null }>({ type: "embed" }, samples)).embedding,
    close: async () => {
      await worker.terminate();
    },
  };
}
