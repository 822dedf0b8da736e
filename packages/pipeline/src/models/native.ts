/**
 * Typed access to sherpa-onnx-node. The package ships JavaScript with JSDoc only, so the
 * shapes we use are declared here once. The addon is loaded lazily: a worker that never
 * uses a local model never pays for (or depends on) the native library.
 *
 * Careful: for a model whose ONNX metadata it does not recognise, sherpa-onnx logs and
 * calls exit() in C++, which no try/catch can stop. That is why every loader checks the
 * model folder's files before a native constructor is called.
 */
import { createRequire } from "node:module";
import { PipelineError } from "../errors";

export interface SherpaWave {
  samples: Float32Array;
  sampleRate: number;
}

export interface SherpaOfflineStream {
  acceptWaveform(wave: SherpaWave): void;
}

export interface SherpaRecognizerResult {
  text: string;
  lang?: string;
  emotion?: string;
  event?: string;
  timestamps?: number[];
  tokens?: string[];
}

export interface SherpaOfflineRecognizer {
  createStream(): SherpaOfflineStream;
  decodeAsync(stream: SherpaOfflineStream): Promise<SherpaRecognizerResult>;
}

export interface SherpaSpeechSegment {
  start: number;
  samples: Float32Array;
}

export interface SherpaVad {
  acceptWaveform(samples: Float32Array): void;
  isEmpty(): boolean;
  front(enableExternalBuffer?: boolean): SherpaSpeechSegment;
  pop(): void;
  flush(): void;
  reset(): void;
}

export interface SherpaGeneratedAudio {
  samples: Float32Array;
  sampleRate: number;
}

export interface SherpaOfflineTts {
  readonly numSpeakers: number;
  readonly sampleRate: number;
  generateAsync(req: { text: string; sid: number; speed: number }): Promise<SherpaGeneratedAudio>;
}

export interface SherpaModule {
  OfflineRecognizer: { createAsync(config: object): Promise<SherpaOfflineRecognizer> };
  OfflineTts: { createAsync(config: object): Promise<SherpaOfflineTts> };
  Vad: new (config: object, bufferSizeInSeconds: number) => SherpaVad;
  version: string;
}

const require = createRequire(import.meta.url);
let loaded: SherpaModule | undefined;

/** Resolved path of the package, for worker threads that load it themselves. */
export function sherpaModulePath(): string {
  return require.resolve("sherpa-onnx-node");
}

export function loadSherpa(): SherpaModule {
  if (loaded) return loaded;
  try {
    loaded = require("sherpa-onnx-node") as SherpaModule;
  } catch (cause) {
    throw new PipelineError({
      code: "SHERPA_UNAVAILABLE",
      category: "system",
      message:
        "sherpa-onnx-node could not be loaded (its native library for this platform is missing); run `npm install` on this machine",
      cause,
    });
  }
  return loaded;
}
