/**
 * Float PCM in and out of media files, for the engines that work on samples (separation,
 * VAD). A 16-bit PCM WAV already at the wanted rate and layout (what the pipeline writes) is
 * read and written in JS; anything else, and every change of rate, goes through ffmpeg with
 * raw f32le in a temp file. The engine sees plain Float32Arrays.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { readWavFormat, readWavPcm16, writeWavPcm16 } from "../audio/wav";
import type { PcmAudio } from "../audio/wav";
import { ffmpeg } from "../media/process";
import { NO_METADATA } from "../media/args";

export type { PcmAudio };

async function withTmpDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(tmpdir(), "vt-pcm-"));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The file's samples read in JS, when it is a 16-bit PCM WAV at this rate and channel count. */
async function readPlainWav(input: string, sampleRate: number, channels: number): Promise<PcmAudio | null> {
  const format = await readWavFormat(input).catch(() => null);
  if (
    !format ||
    format.bitsPerSample !== 16 ||
    format.sampleRate !== sampleRate ||
    format.channels !== channels
  )
    return null;
  return readWavPcm16(input).catch(() => null);
}

async function readRaw(file: string, sampleRate: number, channels: number): Promise<PcmAudio> {
  const buf = await readFile(file);
  // Copy into a fresh ArrayBuffer: a Buffer's offset need not be 4-byte aligned.
  const bytes = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength - (buf.byteLength % 4));
  return { sampleRate, channels: deinterleave(new Float32Array(bytes), channels) };
}

async function writeRaw(file: string, audio: PcmAudio): Promise<void> {
  const interleaved = interleave(audio.channels);
  await writeFile(file, new Uint8Array(interleaved.buffer, interleaved.byteOffset, interleaved.byteLength));
}

/** ffmpeg's input options for raw f32le samples of this audio's rate and layout. */
const rawInput = (audio: PcmAudio, file: string) => [
  "-f",
  "f32le",
  "-ar",
  String(audio.sampleRate),
  "-ac",
  String(audio.channels.length),
  "-i",
  file,
];

/** Decodes the first audio track to float samples in [-1, 1] at the given rate and channel count. */
export async function decodePcm(opts: {
  input: string;
  sampleRate: number;
  channels: number;
  signal?: AbortSignal;
}): Promise<PcmAudio> {
  const plain = await readPlainWav(opts.input, opts.sampleRate, opts.channels);
  if (plain) return plain;
  return withTmpDir(async (dir) => {
    const raw = path.join(dir, "in.f32");
    await ffmpeg(
      [
        "-i",
        path.resolve(opts.input),
        "-map",
        "0:a:0",
        "-ac",
        String(opts.channels),
        "-ar",
        String(opts.sampleRate),
        "-f",
        "f32le",
        "-c:a",
        "pcm_f32le",
        raw,
      ],
      { signal: opts.signal },
    );
    return readRaw(raw, opts.sampleRate, opts.channels);
  });
}

/** The same audio at another sample rate (ffmpeg's resampler), channel for channel. */
export async function resamplePcm(opts: {
  audio: PcmAudio;
  sampleRate: number;
  signal?: AbortSignal;
}): Promise<PcmAudio> {
  const { audio } = opts;
  if (audio.sampleRate === opts.sampleRate) return audio;
  return withTmpDir(async (dir) => {
    const [input, output] = [path.join(dir, "in.f32"), path.join(dir, "out.f32")];
    await writeRaw(input, audio);
    await ffmpeg(
      [...rawInput(audio, input), "-ar", String(opts.sampleRate), "-f", "f32le", "-c:a", "pcm_f32le", output],
      { signal: opts.signal },
    );
    return readRaw(output, opts.sampleRate, audio.channels.length);
  });
}

/** Writes float samples as a 16-bit PCM WAV, resampled to `outSampleRate` when it differs. */
export async function encodeWav(opts: {
  audio: PcmAudio;
  out: string;
  outSampleRate?: number;
  signal?: AbortSignal;
}): Promise<void> {
  const { audio } = opts;
  if ((opts.outSampleRate ?? audio.sampleRate) === audio.sampleRate) return writeWavPcm16(opts.out, audio);
  await withTmpDir(async (dir) => {
    const raw = path.join(dir, "out.f32");
    await writeRaw(raw, audio);
    await ffmpeg(
      [
        ...rawInput(audio, raw),
        "-ar",
        String(opts.outSampleRate),
        "-c:a",
        "pcm_s16le",
        ...NO_METADATA,
        path.resolve(opts.out),
      ],
      { signal: opts.signal },
    );
  });
}

export function deinterleave(interleaved: Float32Array, channelCount: number): Float32Array[] {
  const frames = Math.floor(interleaved.length / channelCount);
  const channels = Array.from({ length: channelCount }, () => new Float32Array(frames));
  for (let c = 0; c < channelCount; c++) {
    const ch = channels[c] as Float32Array;
    for (let i = 0; i < frames; i++) ch[i] = interleaved[i * channelCount + c] as number;
  }
  return channels;
}

export function interleave(channels: readonly Float32Array[]): Float32Array {
  const n = channels.length;
  const frames = channels[0]?.length ?? 0;
  const out = new Float32Array(frames * n);
  for (let c = 0; c < n; c++) {
    const ch = channels[c] as Float32Array;
    for (let i = 0; i < frames; i++) out[i * n + c] = ch[i] as number;
  }
  return out;
}

/** Lets timers and I/O (BullMQ lock renewal) run between slices of a long CPU loop. */
export const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
