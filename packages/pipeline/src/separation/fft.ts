/**
 * Complex FFT of any length: iterative radix-2 for powers of two, Bluestein's chirp-z
 * (through a power-of-two FFT) otherwise — MDX models use sizes such as 7680 = 2⁹·15.
 * Plans (twiddles, chirps) are cached per size.
 */
interface Radix2Plan {
  n: number;
  cos: Float64Array;
  sin: Float64Array;
  rev: Uint32Array;
}

interface BluesteinPlan {
  n: number;
  m: Radix2Plan;
  /** exp(-iπk²/n) */
  wRe: Float64Array;
  wIm: Float64Array;
  /** FFT of the conjugate chirp, zero-padded to m. */
  bRe: Float64Array;
  bIm: Float64Array;
  aRe: Float64Array;
  aIm: Float64Array;
}

const radix2Plans = new Map<number, Radix2Plan>();
const bluesteinPlans = new Map<number, BluesteinPlan>();

const isPowerOfTwo = (n: number): boolean => n > 0 && (n & (n - 1)) === 0;

function radix2Plan(n: number): Radix2Plan {
  let plan = radix2Plans.get(n);
  if (plan) return plan;
  const cos = new Float64Array(n / 2);
  const sin = new Float64Array(n / 2);
  for (let i = 0; i < n / 2; i++) {
    cos[i] = Math.cos((2 * Math.PI * i) / n);
    sin[i] = -Math.sin((2 * Math.PI * i) / n);
  }
  const rev = new Uint32Array(n);
  const bits = Math.log2(n);
  for (let i = 0; i < n; i++) {
    let r = 0;
    for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
    rev[i] = r;
  }
  plan = { n, cos, sin, rev };
  radix2Plans.set(n, plan);
  return plan;
}

/** In-place forward FFT (e^{-i}) of a power-of-two length. */
function radix2(plan: Radix2Plan, re: Float64Array, im: Float64Array): void {
  const { n, cos, sin, rev } = plan;
  for (let i = 0; i < n; i++) {
    const j = rev[i] as number;
    if (j > i) {
      const tr = re[i] as number;
      re[i] = re[j] as number;
      re[j] = tr;
      const ti = im[i] as number;
      im[i] = im[j] as number;
      im[j] = ti;
    }
  }
  for (let size = 2; size <= n; size *= 2) {
    const half = size / 2;
    const step = n / size;
    for (let start = 0; start < n; start += size) {
      for (let k = 0; k < half; k++) {
        const wr = cos[k * step] as number;
        const wi = sin[k * step] as number;
        const a = start + k;
        const b = a + half;
        const xr = (re[b] as number) * wr - (im[b] as number) * wi;
        const xi = (re[b] as number) * wi + (im[b] as number) * wr;
        re[b] = (re[a] as number) - xr;
        im[b] = (im[a] as number) - xi;
        re[a] = (re[a] as number) + xr;
        im[a] = (im[a] as number) + xi;
      }
    }
  }
}

function bluesteinPlan(n: number): BluesteinPlan {
  let plan = bluesteinPlans.get(n);
  if (plan) return plan;
  let size = 1;
  while (size < 2 * n - 1) size *= 2;
  const m = radix2Plan(size);
  const wRe = new Float64Array(n);
  const wIm = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    // k² mod 2n keeps the angle small, so precision holds for large n.
    const angle = (Math.PI * ((k * k) % (2 * n))) / n;
    wRe[k] = Math.cos(angle);
    wIm[k] = -Math.sin(angle);
  }
  const bRe = new Float64Array(size);
  const bIm = new Float64Array(size);
  for (let k = 0; k < n; k++) {
    bRe[k] = wRe[k] as number;
    bIm[k] = -(wIm[k] as number);
    if (k > 0) {
      bRe[size - k] = wRe[k] as number;
      bIm[size - k] = -(wIm[k] as number);
    }
  }
  radix2(m, bRe, bIm);
  plan = { n, m, wRe, wIm, bRe, bIm, aRe: new Float64Array(size), aIm: new Float64Array(size) };
  bluesteinPlans.set(n, plan);
  return plan;
}

/** In-place forward FFT of any length. */
export function fft(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  if (isPowerOfTwo(n)) {
    radix2(radix2Plan(n), re, im);
    return;
  }
  const p = bluesteinPlan(n);
  const size = p.m.n;
  const { aRe, aIm, wRe, wIm, bRe, bIm } = p;
  aRe.fill(0);
  aIm.fill(0);
  for (let k = 0; k < n; k++) {
    const xr = re[k] as number;
    const xi = im[k] as number;
    aRe[k] = xr * (wRe[k] as number) - xi * (wIm[k] as number);
    aIm[k] = xr * (wIm[k] as number) + xi * (wRe[k] as number);
  }
  radix2(p.m, aRe, aIm);
  for (let k = 0; k < size; k++) {
    const xr = aRe[k] as number;
    const xi = aIm[k] as number;
    aRe[k] = xr * (bRe[k] as number) - xi * (bIm[k] as number);
    aIm[k] = xr * (bIm[k] as number) + xi * (bRe[k] as number);
  }
  // Inverse FFT through the forward one: conj → FFT → conj, then scale.
  for (let k = 0; k < size; k++) aIm[k] = -(aIm[k] as number);
  radix2(p.m, aRe, aIm);
  for (let k = 0; k < n; k++) {
    const xr = (aRe[k] as number) / size;
    const xi = -(aIm[k] as number) / size;
    re[k] = xr * (wRe[k] as number) - xi * (wIm[k] as number);
    im[k] = xr * (wIm[k] as number) + xi * (wRe[k] as number);
  }
}

/** In-place inverse FFT (scaled by 1/n). */
export function ifft(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  for (let k = 0; k < n; k++) im[k] = -(im[k] as number);
  fft(re, im);
  for (let k = 0; k < n; k++) {
    re[k] = (re[k] as number) / n;
    im[k] = -(im[k] as number) / n;
  }
}
