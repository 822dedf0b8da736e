/**
 * MDX-Net (UVR) separation on onnxruntime-node. Each chunk of `hop·(dim_t−1)` samples is
 * turned into a `[1, 4, dim_f, dim_t]` spectrogram (real/imag of left, then right; bins
 * above dim_f dropped, the lowest 3 bins zeroed as UVR does), run through the model,
 * turned back with the iSTFT, and the chunks are crossfaded. The model gives one stem; the
 * other is mix − compensate·stem. As python-audio-separator does, a mix peaking above 0.9
 * is scaled down to 0.9 before the model; here both stems are scaled back afterwards, so
 * every segment's background keeps the original level (segments are separated one by one).
 */
import ort from "onnxruntime-node";
import { PipelineError } from "../errors";
import { decodePcm, encodeWav, yieldToEventLoop } from "./pcm";
import type { PcmAudio } from "./pcm";
import { subtract } from "./rnnoise";
import { istft, stft } from "./stft";
import type { Spectrogram } from "./stft";
import { STEM_SAMPLE_RATE } from "./types";
import type { SeparateOptions, Separator } from "./types";

export interface MdxConfig {
  modelPath: string;
  nFft?: number;
  hop?: number;
  dimF?: number;
  dimT?: number;
  sampleRate?: number;
  /** Gain on the model's stem when the other stem is derived (UVR's "compensate"; 1.009 for Kim_Vocal_2). */
  compensate?: number;
  /** The mix is scaled down to this peak before the model when it is louder (audio-separator's normalization_threshold). */
  mixPeak?: number;
  /** Which stem the model outputs. */
  primaryStem?: "vocals" | "instrumental";
  /** Fraction of a chunk's usable part shared with its neighbour for the crossfade. */
  overlap?: number;
}

/** UVR's hyper-parameters for Kim_Vocal_2. */
export const KIM_VOCAL_2 = {
  nFft: 7680,
  hop: 1024,
  dimF: 3072,
  dimT: 256,
  sampleRate: 44100,
  compensate: 1.009,
  mixPeak: 0.9,
  primaryStem: "vocals",
  overlap: 0.25,
} as const satisfies Omit<MdxConfig, "modelPath">;

/** UVR zeroes the lowest frequency bins of the model's input (below ~17 Hz at 7680/44.1 kHz). */
export const MDX_ZEROED_BINS = 3;

/** The mix scaled so its peak is at most `maxPeak`, and the gain used (1 when it was quiet enough). */
export function limitPeak(mix: PcmAudio, maxPeak: number): { audio: PcmAudio; gain: number } {
  let peak = 0;
  for (const ch of mix.channels) for (const v of ch) peak = Math.max(peak, Math.abs(v));
  if (peak <= maxPeak) return { audio: mix, gain: 1 };
  const gain = maxPeak / peak;
  return { audio: scale(mix, gain), gain };
}

function scale(audio: PcmAudio, gain: number): PcmAudio {
  return { sampleRate: audio.sampleRate, channels: audio.channels.map((ch) => ch.map((v) => v * gain)) };
}

const sessions = new Map<string, Promise<ort.InferenceSession>>();

/** One session per model file per process. */
export function loadMdxSession(modelPath: string): Promise<ort.InferenceSession> {
  let s = sessions.get(modelPath);
  if (!s) {
    s = ort.InferenceSession.create(modelPath).catch((cause: unknown) => {
      sessions.delete(modelPath);
      throw new PipelineError({
        code: "MDX_MODEL_LOAD_FAILED",
        category: "system",
        message: `Could not load the MDX-Net model ${modelPath}`,
        cause,
      });
    });
    sessions.set(modelPath, s);
  }
  return s;
}

/** Crossfade weight of a sample at `i` inside a chunk: 0 on the STFT-edge trims, ramps at the ends. */
function chunkWeights(chunk: number, trim: number, fade: number): Float32Array {
  const w = new Float32Array(chunk);
  const usable = chunk - 2 * trim;
  for (let i = 0; i < usable; i++) {
    const up = fade > 0 ? Math.min(1, (i + 1) / (fade + 1)) : 1;
    const down = fade > 0 ? Math.min(1, (usable - i) / (fade + 1)) : 1;
    w[trim + i] = Math.min(up, down);
  }
  return w;
}

/** Runs the model over a stereo mix; returns the model's stem (uncompensated), same length as the input. */
export async function runMdx(opts: {
  mix: PcmAudio;
  config: MdxConfig;
  signal?: AbortSignal;
}): Promise<PcmAudio> {
  const c = { ...KIM_VOCAL_2, ...opts.config };
  const { nFft, hop, dimF, dimT } = c;
  const session = await loadMdxSession(c.modelPath);
  const [inputName] = session.inputNames;
  const [outputName] = session.outputNames;
  if (!inputName || !outputName || opts.mix.channels.length !== 2) {
    throw new PipelineError({
      code: "MDX_BAD_INPUT",
      category: "system",
      message: "MDX-Net needs a model with one input and one output and a stereo mix",
    });
  }
  const chunk = hop * (dimT - 1);
  const trim = nFft / 2;
  const usable = chunk - 2 * trim;
  if (usable <= 0) {
    throw new PipelineError({
      code: "MDX_BAD_CONFIG",
      category: "system",
      message: `MDX chunk (${chunk} samples) is shorter than one n_fft (${nFft})`,
    });
  }
  const fade = Math.floor(usable * Math.min(0.5, Math.max(0, c.overlap)));
  const step = usable - fade;
  const weights = chunkWeights(chunk, trim, fade);
  const length = opts.mix.channels[0]?.length ?? 0;
  const chunks = Math.max(1, Math.ceil(length / step));
  const acc = [new Float32Array(length), new Float32Array(length)];
  const wsum = new Float32Array(length);
  const plane = dimF * dimT;

  for (let k = 0; k < chunks; k++) {
    opts.signal?.throwIfAborted();
    // Chunk k covers mix samples [k·step − trim, k·step − trim + chunk); outside is zero.
    const origin = k * step - trim;
    const data = new Float32Array(4 * plane);
    for (let ch = 0; ch < 2; ch++) {
      const src = opts.mix.channels[ch] as Float32Array;
      const piece = new Float32Array(chunk);
      for (let i = 0; i < chunk; i++) piece[i] = src[origin + i] ?? 0;
      const spec = stft({ signal: piece, nFft, hop });
      for (let b = MDX_ZEROED_BINS; b < dimF; b++) {
        data.set(spec.re.subarray(b * dimT, (b + 1) * dimT), 2 * ch * plane + b * dimT);
        data.set(spec.im.subarray(b * dimT, (b + 1) * dimT), (2 * ch + 1) * plane + b * dimT);
      }
      await yieldToEventLoop();
    }
    const result = await session.run({ [inputName]: new ort.Tensor("float32", data, [1, 4, dimF, dimT]) });
    const out = result[outputName]?.data;
    if (!(out instanceof Float32Array) || out.length !== 4 * plane) {
      throw new PipelineError({
        code: "MDX_BAD_OUTPUT",
        category: "system",
        message: `MDX-Net model output is not a float [1, 4, ${dimF}, ${dimT}] tensor`,
      });
    }
    for (let ch = 0; ch < 2; ch++) {
      const bins = nFft / 2 + 1;
      const spec: Spectrogram = {
        bins,
        frames: dimT,
        re: new Float32Array(bins * dimT),
        im: new Float32Array(bins * dimT),
      };
      spec.re.set(out.subarray(2 * ch * plane, (2 * ch + 1) * plane));
      spec.im.set(out.subarray((2 * ch + 1) * plane, (2 * ch + 2) * plane));
      const wave = istft({ spec, nFft, hop, length: chunk });
      const dst = acc[ch] as Float32Array;
      for (let i = 0; i < chunk; i++) {
        const t = origin + i;
        const w = weights[i] as number;
        if (t < 0 || t >= length || w === 0) continue;
        dst[t] = (dst[t] as number) + (wave[i] as number) * w;
        if (ch === 0) wsum[t] = (wsum[t] as number) + w;
      }
      await yieldToEventLoop();
    }
  }
  for (const ch of acc)
    for (let t = 0; t < length; t++)
      ch[t] = (wsum[t] as number) > 0 ? (ch[t] as number) / (wsum[t] as number) : 0;
  return { sampleRate: opts.mix.sampleRate, channels: acc };
}

export function createMdxSeparator(config: MdxConfig): Separator {
  const sampleRate = config.sampleRate ?? KIM_VOCAL_2.sampleRate;
  return {
    name: "mdx",
    async separate(opts: SeparateOptions): Promise<void> {
      const { signal } = opts;
      const mix = await decodePcm({ input: opts.input, sampleRate, channels: 2, signal });
      const { audio, gain } = limitPeak(mix, config.mixPeak ?? KIM_VOCAL_2.mixPeak);
      const raw = await runMdx({ mix: audio, config, signal });
      const compensate = config.compensate ?? KIM_VOCAL_2.compensate;
      const other = scale(subtract(audio, scale(raw, compensate)), 1 / gain);
      const stem = gain === 1 ? raw : scale(raw, 1 / gain);
      const instrumental = (config.primaryStem ?? KIM_VOCAL_2.primaryStem) === "instrumental";
      await encodeWav({
        audio: instrumental ? other : stem,
        out: opts.vocalsOut,
        outSampleRate: STEM_SAMPLE_RATE,
        signal,
      });
      await encodeWav({
        audio: instrumental ? stem : other,
        out: opts.backgroundOut,
        outSampleRate: STEM_SAMPLE_RATE,
        signal,
      });
    },
  };
}
