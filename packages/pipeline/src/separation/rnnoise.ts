/**
 * Vocal/background separation with RNNoise (xiph, BSD, compiled to WASM): the denoised
 * signal is taken as the vocals and the background is what is left, mix − vocals.
 * RNNoise wants 48 kHz mono frames of 480 samples in int16 range, so each channel runs
 * through its own denoiser state at 48 kHz and the vocals are resampled back to the
 * input's 44.1 kHz before the subtraction, keeping both stems sample-aligned with the mix.
 * The stems are read and written in JS; ffmpeg runs twice, for the two changes of rate.
 */
import { loadFailed, loadOnce } from "../load-once";
import { spectralGate } from "./gate";
import { decodeWavPcm16, encodeWavPcm16 } from "../audio/wav";
import { writeFileAtomic } from "../hls/playlist";
import { decodePcm, encodeWav, resamplePcm, yieldToEventLoop } from "./pcm";
import { instantiateRnnoise } from "./rnnoise-wasm";
import type { RnnoiseModule } from "./rnnoise-wasm";
import type { PcmAudio } from "./pcm";
import { STEM_SAMPLE_RATE } from "./types";
import type { SeparateOptions, Separator } from "./types";

const RNNOISE_RATE = 48000;
const INT16_SCALE = 32768;
/** RNNoise's analysis/synthesis overlap delays its output by one frame. */
export const RNNOISE_DELAY_SAMPLES = 480;
/** Frames (10 ms each) between yields, so a long segment never blocks timers for long. */
const FRAMES_PER_SLICE = 200;

const loadedModule = new Map<"rnnoise", Promise<RnnoiseModule>>();

/** The WASM module, instantiated once per process and shared by every separation. */
export const loadRnnoise = (): Promise<RnnoiseModule> =>
  loadOnce(loadedModule, "rnnoise", () =>
    instantiateRnnoise().catch(loadFailed("RNNOISE_LOAD_FAILED", "the RNNoise WASM module")),
  );

/**
 * Denoises one 48 kHz channel (float in [-1, 1]); the result has the same length and is
 * aligned with the input (RNNoise's frame delay removed).
 */
export async function denoiseChannel(opts: {
  samples: Float32Array;
  signal?: AbortSignal;
}): Promise<Float32Array> {
  const m = await loadRnnoise();
  const frame = m._rnnoise_get_frame_size();
  const { samples } = opts;
  // The tail is flushed by feeding `delay` samples of silence past the end.
  const total = samples.length + RNNOISE_DELAY_SAMPLES;
  const frames = Math.ceil(total / frame);
  const out = new Float32Array(samples.length);
  const state = m._rnnoise_create(0);
  const inPtr = m._malloc(frame * 4);
  const outPtr = m._malloc(frame * 4);
  const buf = new Float32Array(frame);
  try {
    for (let f = 0; f < frames; f++) {
      if (f % FRAMES_PER_SLICE === FRAMES_PER_SLICE - 1) {
        await yieldToEventLoop();
        opts.signal?.throwIfAborted();
      }
      const start = f * frame;
      for (let i = 0; i < frame; i++) buf[i] = (samples[start + i] ?? 0) * INT16_SCALE;
      // Read HEAPF32 each time: the view is replaced whenever the WASM memory grows.
      m.HEAPF32.set(buf, inPtr >> 2);
      m._rnnoise_process_frame(state, outPtr, inPtr);
      const res = m.HEAPF32.subarray(outPtr >> 2, (outPtr >> 2) + frame);
      for (let i = 0; i < frame; i++) {
        const t = start + i - RNNOISE_DELAY_SAMPLES;
        if (t >= 0 && t < out.length) out[t] = (res[i] as number) / INT16_SCALE;
      }
    }
  } finally {
    m._free(inPtr);
    m._free(outPtr);
    m._rnnoise_destroy(state);
  }
  return out;
}

/** Pads or trims every channel to `length` samples. */
export function fitLength(audio: PcmAudio, length: number): PcmAudio {
  return {
    sampleRate: audio.sampleRate,
    channels: audio.channels.map((ch) => {
      if (ch.length === length) return ch;
      const out = new Float32Array(length);
      out.set(ch.subarray(0, length));
      return out;
    }),
  };
}

/** (L + R) / 2, or the only channel. */
export function midChannel(audio: PcmAudio): Float32Array {
  const [l, r] = audio.channels;
  if (!l) return new Float32Array(0);
  if (!r) return l;
  const out = new Float32Array(l.length);
  for (let i = 0; i < l.length; i++) out[i] = ((l[i] as number) + (r[i] ?? 0)) / 2;
  return out;
}

export function subtract(mix: PcmAudio, part: PcmAudio): PcmAudio {
  return {
    sampleRate: mix.sampleRate,
    channels: mix.channels.map((ch, c) => {
      const p = part.channels[c];
      const out = new Float32Array(ch.length);
      for (let i = 0; i < ch.length; i++) out[i] = (ch[i] as number) - (p?.[i] ?? 0);
      return out;
    }),
  };
}

export function createRnnoiseSeparator(): Separator {
  return {
    name: "rnnoise",
    async separate(opts: SeparateOptions): Promise<void> {
      const { signal } = opts;
      const mix = await decodePcm({ input: opts.input, sampleRate: STEM_SAMPLE_RATE, channels: 2, signal });
      const length = mix.channels[0]?.length ?? 0;
      // Dialogue sits in the centre: one pass over the mid channel (L+R)/2 finds it, at half
      // the cost of denoising each channel, and is taken out of both channels below.
      const mid = only(
        await resamplePcm({
          audio: { sampleRate: STEM_SAMPLE_RATE, channels: [midChannel(mix)] },
          sampleRate: RNNOISE_RATE,
          signal,
        }),
      );
      const denoised = await denoiseChannel({ samples: mid, signal });
      const voice48 = await spectralGate({ samples: denoised, reference: mid, sampleRate: RNNOISE_RATE });
      const voice = only(
        fitLength(
          await resamplePcm({
            audio: { sampleRate: RNNOISE_RATE, channels: [voice48] },
            sampleRate: STEM_SAMPLE_RATE,
            signal,
          }),
          length,
        ),
      );
      // The stem's own 16-bit samples are what is subtracted: vocals + background is the mix.
      const vocalsWav = encodeWavPcm16({
        sampleRate: STEM_SAMPLE_RATE,
        channels: mix.channels.map(() => voice),
      });
      await writeFileAtomic(opts.vocalsOut, vocalsWav);
      await encodeWav({ audio: subtract(mix, decodeWavPcm16(vocalsWav)), out: opts.backgroundOut, signal });
    },
  };
}

const only = (audio: PcmAudio): Float32Array => audio.channels[0] ?? new Float32Array(0);
