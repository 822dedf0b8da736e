/**
 * STFT / iSTFT laid out like torch.stft(center=True, pad_mode="reflect") with a periodic
 * Hann window, which is what MDX-Net models were trained on. Spectrograms are stored
 * bin-major (`[bin][frame]`), the layout of the models' `[.., dim_f, dim_t]` tensors.
 */
import { fft, ifft } from "./fft";

export interface Spectrogram {
  bins: number;
  frames: number;
  /** Index `bin * frames + frame`. */
  re: Float32Array;
  im: Float32Array;
}

const windows = new Map<number, Float64Array>();

/** Periodic Hann window (torch.hann_window(n, periodic=True)). */
export function hannWindow(n: number): Float64Array {
  let w = windows.get(n);
  if (!w) {
    w = new Float64Array(n);
    for (let i = 0; i < n; i++) w[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n);
    windows.set(n, w);
  }
  return w;
}

/** Sample `i` of `x` reflected at both ends (numpy "reflect"); 0 where the signal is too short. */
function reflected(x: Float32Array, i: number): number {
  const n = x.length;
  if (n === 1) return i === 0 ? (x[0] as number) : 0;
  let j = i;
  if (j < 0) j = -j;
  if (j >= n) j = 2 * (n - 1) - j;
  return j >= 0 && j < n ? (x[j] as number) : 0;
}

export const stftFrameCount = (length: number, hop: number): number => 1 + Math.floor(length / hop);

const emptySpectrogram = (bins: number, frames: number): Spectrogram => ({
  bins,
  frames,
  re: new Float32Array(bins * frames),
  im: new Float32Array(bins * frames),
});

/**
 * Fills one FFT frame per hop — `real` (and `imag`, when given) reflect-padded around
 * t·hop and Hann-windowed — transforms it in place and hands it to `each`.
 */
function forEachFrame(
  opts: { real: Float32Array; imag?: Float32Array; nFft: number; hop: number; frames: number },
  each: (t: number, fr: Float64Array, fi: Float64Array) => void,
): void {
  const { real, imag, nFft, hop, frames } = opts;
  const win = hannWindow(nFft);
  const fr = new Float64Array(nFft);
  const fi = new Float64Array(nFft);
  const half = nFft / 2;
  for (let t = 0; t < frames; t++) {
    const start = t * hop - half;
    for (let i = 0; i < nFft; i++) {
      const w = win[i] as number;
      fr[i] = reflected(real, start + i) * w;
      fi[i] = imag ? reflected(imag, start + i) * w : 0;
    }
    fft(fr, fi);
    each(t, fr, fi);
  }
}

export function stft(opts: { signal: Float32Array; nFft: number; hop: number }): Spectrogram {
  const { signal, nFft, hop } = opts;
  const bins = nFft / 2 + 1;
  const frames = stftFrameCount(signal.length, hop);
  const spec = emptySpectrogram(bins, frames);
  forEachFrame({ real: signal, nFft, hop, frames }, (t, fr, fi) => {
    for (let b = 0; b < bins; b++) {
      spec.re[b * frames + t] = fr[b] as number;
      spec.im[b * frames + t] = fi[b] as number;
    }
  });
  return spec;
}

/**
 * STFT of two real signals of the same length with one complex FFT per frame
 * (x = a + i·b, then A_k = (X_k + conj X_{n−k}) / 2 and B_k = (X_k − conj X_{n−k}) / 2i).
 */
export function stftPair(opts: {
  a: Float32Array;
  b: Float32Array;
  nFft: number;
  hop: number;
}): [Spectrogram, Spectrogram] {
  const { a, b, nFft, hop } = opts;
  const bins = nFft / 2 + 1;
  const frames = stftFrameCount(a.length, hop);
  const specA = emptySpectrogram(bins, frames);
  const specB = emptySpectrogram(bins, frames);
  forEachFrame({ real: a, imag: b, nFft, hop, frames }, (t, fr, fi) => {
    for (let k = 0; k < bins; k++) {
      const j = (nFft - k) % nFft;
      const xr = fr[k] as number;
      const xi = fi[k] as number;
      const yr = fr[j] as number;
      const yi = fi[j] as number;
      const o = k * frames + t;
      specA.re[o] = (xr + yr) / 2;
      specA.im[o] = (xi - yi) / 2;
      specB.re[o] = (xi + yi) / 2;
      specB.im[o] = (yr - xr) / 2;
    }
  });
  return [specA, specB];
}

/** Inverse of `stft` (windowed overlap-add, normalised by the summed squared window). */
export function istft(opts: { spec: Spectrogram; nFft: number; hop: number; length: number }): Float32Array {
  const { spec, nFft, hop, length } = opts;
  const { bins, frames } = spec;
  const win = hannWindow(nFft);
  const half = nFft / 2;
  const total = nFft + hop * (frames - 1);
  const acc = new Float64Array(total);
  const env = new Float64Array(total);
  const fr = new Float64Array(nFft);
  const fi = new Float64Array(nFft);
  for (let t = 0; t < frames; t++) {
    for (let b = 0; b < bins; b++) {
      fr[b] = spec.re[b * frames + t] as number;
      fi[b] = spec.im[b * frames + t] as number;
    }
    // Hermitian completion; the DC and Nyquist bins of a real signal are real.
    fi[0] = 0;
    if (nFft % 2 === 0) fi[half] = 0;
    for (let b = bins; b < nFft; b++) {
      fr[b] = fr[nFft - b] as number;
      fi[b] = -(fi[nFft - b] as number);
    }
    ifft(fr, fi);
    const start = t * hop;
    for (let i = 0; i < nFft; i++) {
      const w = win[i] as number;
      acc[start + i] = (acc[start + i] as number) + (fr[i] as number) * w;
      env[start + i] = (env[start + i] as number) + w * w;
    }
  }
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    const j = i + half;
    const e = env[j] ?? 0;
    out[i] = j < total && e > 1e-11 ? (acc[j] as number) / e : 0;
  }
  return out;
}
