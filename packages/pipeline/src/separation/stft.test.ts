import { describe, expect, it } from "vitest";
import { fft, ifft } from "./fft";
import { istft, stft, stftFrameCount, stftPair } from "./stft";

function noise(n: number, seed = 1): Float32Array {
  let s = seed;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    out[i] = s / 2147483648 - 0.5;
  }
  return out;
}

function naiveDft(x: Float64Array): { re: number[]; im: number[] } {
  const n = x.length;
  const re: number[] = [];
  const im: number[] = [];
  for (let k = 0; k < n; k++) {
    let r = 0;
    let i = 0;
    for (let t = 0; t < n; t++) {
      r += (x[t] as number) * Math.cos((-2 * Math.PI * k * t) / n);
      i += (x[t] as number) * Math.sin((-2 * Math.PI * k * t) / n);
    }
    re.push(r);
    im.push(i);
  }
  return { re, im };
}

describe("fft", () => {
  it.each([8, 15, 60, 64, 100])("matches the naive DFT for n = %i and inverts", (n) => {
    const x = Float64Array.from(noise(n));
    const re = Float64Array.from(x);
    const im = new Float64Array(n);
    fft(re, im);
    const ref = naiveDft(x);
    for (let k = 0; k < n; k++) {
      expect(re[k]).toBeCloseTo(ref.re[k] as number, 9);
      expect(im[k]).toBeCloseTo(ref.im[k] as number, 9);
    }
    ifft(re, im);
    for (let k = 0; k < n; k++) expect(re[k]).toBeCloseTo(x[k] as number, 9);
  });
});

describe("stft / istft", () => {
  it.each([
    { nFft: 512, hop: 128 },
    { nFft: 480, hop: 120 },
    { nFft: 7680, hop: 1024 },
  ])("round-trips a signal (n_fft $nFft, hop $hop)", ({ nFft, hop }) => {
    const signal = noise(nFft * 6 + 37);
    const spec = stft({ signal, nFft, hop });
    expect(spec.bins).toBe(nFft / 2 + 1);
    expect(spec.frames).toBe(stftFrameCount(signal.length, hop));
    const back = istft({ spec, nFft, hop, length: signal.length });
    let maxErr = 0;
    for (let i = nFft; i < signal.length - nFft; i++) {
      maxErr = Math.max(maxErr, Math.abs((back[i] as number) - (signal[i] as number)));
    }
    expect(maxErr).toBeLessThan(1e-4);
  });

  it("stftPair equals two single transforms", () => {
    const a = noise(3000, 3);
    const b = noise(3000, 9);
    const [pa, pb] = stftPair({ a, b, nFft: 480, hop: 120 });
    for (const [pair, single] of [
      [pa, stft({ signal: a, nFft: 480, hop: 120 })],
      [pb, stft({ signal: b, nFft: 480, hop: 120 })],
    ] as const) {
      for (let i = 0; i < single.re.length; i += 7) {
        expect(pair.re[i]).toBeCloseTo(single.re[i] as number, 4);
        expect(pair.im[i]).toBeCloseTo(single.im[i] as number, 4);
      }
    }
  });

  it("puts a sine's energy in its bin", () => {
    const nFft = 256;
    const signal = Float32Array.from({ length: 2048 }, (_, i) => Math.sin((2 * Math.PI * 16 * i) / nFft));
    const spec = stft({ signal, nFft, hop: 64 });
    const t = 10;
    const mag = (b: number) =>
      Math.hypot(spec.re[b * spec.frames + t] ?? 0, spec.im[b * spec.frames + t] ?? 0);
    expect(mag(16)).toBeGreaterThan(50);
    expect(mag(40)).toBeLessThan(1e-3);
  });
});
