/** Speech and music made for the separation and VAD tests, and the measures they assert on. */
import { rm } from "node:fs/promises";
import path from "node:path";
import { runFfmpeg, runTool } from "./tools";

/** Chords of the music bed (Hz), two seconds each, looping: A, G, F, G. */
export const CHORDS = [
  [220, 277.18, 329.63],
  [196, 246.94, 293.66],
  [174.61, 220, 261.63],
  [196, 246.94, 329.63],
];

/** eSpeak-NG speech as mono float samples at `sampleRate`. */
export async function espeakSpeech(opts: {
  dir: string;
  text: string;
  sampleRate: number;
}): Promise<Float32Array> {
  const wav = path.join(opts.dir, `speech-${Math.random().toString(36).slice(2)}.wav`);
  await runTool("espeak-ng", ["-v", "en", "-s", "160", "-w", wav, opts.text]);
  const raw = await runFfmpeg([
    "-i",
    wav,
    "-ac",
    "1",
    "-ar",
    String(opts.sampleRate),
    "-f",
    "f32le",
    "pipe:1",
  ]);
  await rm(wav, { force: true });
  return new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4).slice();
}

/** A music-like bed: the chord progression in soft sawtooth-ish tones with a slow tremolo. */
export function chordMusic(opts: { seconds: number; sampleRate: number; amplitude: number }): Float32Array {
  const { sampleRate, amplitude } = opts;
  const n = Math.round(opts.seconds * sampleRate);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const t = i / sampleRate;
    const chord = CHORDS[Math.floor(t / 2) % CHORDS.length] as number[];
    let v = 0;
    for (const f of chord) for (let h = 1; h <= 4; h++) v += Math.sin(2 * Math.PI * f * h * t) / (h * h);
    out[i] = amplitude * v * (0.8 + 0.2 * Math.sin(2 * Math.PI * 0.5 * t));
  }
  return out;
}

export function energy(x: Float32Array, from = 0, to = x.length): number {
  let e = 0;
  for (let i = from; i < to; i++) e += (x[i] as number) ** 2;
  return e;
}

export const db = (ratio: number): number => 10 * Math.log10(ratio);

export function correlation(a: Float32Array, b: Float32Array): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    ab += (a[i] as number) * (b[i] as number);
    aa += (a[i] as number) ** 2;
    bb += (b[i] as number) ** 2;
  }
  return ab / Math.sqrt(aa * bb);
}
