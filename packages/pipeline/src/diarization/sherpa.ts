/**
 * Speaker diarization with sherpa-onnx: pyannote segmentation + a speaker-embedding model
 * (3D-Speaker / WeSpeaker / NeMo export) from MODELS_DIR, clustered per segment, then
 * matched across segments through the task's speaker book (centroids.ts).
 */
import path from "node:path";
import { listDir, modelMissing, resolveModelFiles } from "../models/model-dir";
import { checkSherpaModel } from "../models/sherpa-checks";
import { readWav16 } from "../models/wav-pcm";
import type { SpeakerTurn } from "./assign";
import { matchClusters, updateSpeakerBook } from "./centroids";
import { startDiarizationWorker } from "./native-worker";
import type { NativeDiarizationWorker } from "./native-worker";

export const DEFAULT_SEGMENTATION_MODEL = "sherpa-onnx-pyannote-segmentation-3-0";
export const DEFAULT_EMBEDDING_MODEL = "speaker-embedding";

export interface DiarizeRequest {
  /** 16 kHz mono WAV of the segment. */
  audioPath: string;
  taskDir: string;
  segmentIndex: number;
  signal?: AbortSignal;
}

export interface Diarizer {
  /** Speaker turns in ms from the start of the audio, labelled S1, S2, … consistently across the task. */
  diarize(req: DiarizeRequest): Promise<SpeakerTurn[]>;
}

export interface DiarizationModels {
  segmentation: string;
  embedding: string;
}

/** Validates both model folders; missing files → MODEL_MISSING naming them, unusable ones → MODEL_INVALID. */
export async function loadDiarizationModels(opts: {
  modelsDir: string;
  segmentation?: string;
  embedding?: string;
}): Promise<DiarizationModels> {
  const segDir = path.resolve(opts.modelsDir, opts.segmentation ?? DEFAULT_SEGMENTATION_MODEL);
  const embDir = path.resolve(opts.modelsDir, opts.embedding ?? DEFAULT_EMBEDDING_MODEL);
  const seg = await resolveModelFiles({
    dir: segDir,
    what: "speaker segmentation (pyannote)",
    files: [{ key: "model", candidates: ["model.int8.onnx", "model.onnx"] }],
  });
  const onnx = (await listDir(embDir)).filter((f) => f.endsWith(".onnx")).sort();
  const first = onnx[0];
  if (!first) {
    throw modelMissing({
      what: "speaker embedding",
      dir: embDir,
      missing: ["a speaker-embedding .onnx (3D-Speaker, WeSpeaker or NeMo export)"],
    });
  }
  const models = { segmentation: seg.model ?? "", embedding: path.join(embDir, first) };
  // sherpa ends the process on metadata it does not know, in the worker thread too.
  await checkSherpaModel({
    file: models.segmentation,
    kind: "pyannote",
    what: "speaker segmentation (pyannote)",
  });
  await checkSherpaModel({ file: models.embedding, kind: "speakerEmbedding", what: "speaker embedding" });
  return models;
}

/** sherpa-onnx OfflineSpeakerDiarization config. */
export function diarizationConfig(opts: {
  models: DiarizationModels;
  numThreads?: number;
  /** Known number of speakers; clustered by `threshold` when absent. */
  numSpeakers?: number;
  threshold?: number;
}): object {
  const common = { numThreads: opts.numThreads ?? 1, debug: 0, provider: "cpu" };
  return {
    segmentation: { pyannote: { model: opts.models.segmentation }, ...common },
    embedding: { model: opts.models.embedding, ...common },
    clustering: { numClusters: opts.numSpeakers ?? -1, threshold: opts.threshold ?? 0.5 },
    minDurationOn: 0.3,
    minDurationOff: 0.5,
  };
}

export interface SherpaDiarizerOptions {
  modelsDir: string;
  segmentationModel?: string;
  embeddingModel?: string;
  numThreads?: number;
  /** Cosine similarity at which a cluster is the same person as a known speaker. */
  matchThreshold?: number;
  clusterThreshold?: number;
}

export function createSherpaDiarizer(opts: SherpaDiarizerOptions): Diarizer & { close(): Promise<void> } {
  // One worker (with its models) per process, started on first use.
  let worker: Promise<NativeDiarizationWorker> | undefined;
  const start = () => {
    worker ??= loadDiarizationModels({
      modelsDir: opts.modelsDir,
      ...(opts.segmentationModel ? { segmentation: opts.segmentationModel } : {}),
      ...(opts.embeddingModel ? { embedding: opts.embeddingModel } : {}),
    }).then((models) =>
      startDiarizationWorker(
        diarizationConfig({
          models,
          ...(opts.numThreads ? { numThreads: opts.numThreads } : {}),
          ...(opts.clusterThreshold ? { threshold: opts.clusterThreshold } : {}),
        }),
      ),
    );
    worker.catch(() => (worker = undefined));
    return worker;
  };
  return {
    async diarize(req) {
      const w = await start();
      const audio = await readWav16(req.audioPath);
      req.signal?.throwIfAborted();
      const reply = await w.diarize(audio.samples, 20);
      const labels = await updateSpeakerBook({
        taskDir: req.taskDir,
        ...(req.signal ? { signal: req.signal } : {}),
        update: (book) => {
          const m = matchClusters({
            book,
            segmentIndex: req.segmentIndex,
            clusters: reply.embeddings,
            ...(opts.matchThreshold ? { threshold: opts.matchThreshold } : {}),
          });
          return { book: m.book, result: m.labels };
        },
      });
      // A cluster too short to embed has no label: its turns stay unattributed.
      return reply.turns.flatMap((t) => {
        const speaker = labels.get(t.speaker);
        return speaker
          ? [{ startMs: Math.round(t.start * 1000), endMs: Math.round(t.end * 1000), speaker }]
          : [];
      });
    },
    async close() {
      const w = worker;
      worker = undefined;
      if (w) await (await w).close();
    },
  };
}
