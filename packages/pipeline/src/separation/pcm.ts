/**
 * Float PCM in and out of media files through ffmpeg, for the engines that work on samples
 * (separation, VAD). Raw f32le goes through a temp file: ffmpeg resamples and converts, the
 * engine sees plain Float32Arrays.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { ffmpeg } from "../media/process";
import { NO_METADATA } from "../media/args";

export interface PcmAudio {
  sampleRate: number;
  /** One array per channel, all the same length. */
  channels: Float32Array[];
}

async function withTmpDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(tmpdir(), "vt-pcm-"));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Decodes the first audio track to float samples in [-1, 1] at the given rate and channel count. */
export async function decodePcm(opts: {
  input: string;
  sampleRate: number;
  channels: number;
  signal?: AbortSignal;
}): Promise<PcmAudio> {
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
    const buf = await readFile(raw);
    // Copy into a fresh ArrayBuffer: a Buffer's offset need not be 4-byte aligned.
    const bytes = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength - (buf.byteLength % 4));
    const interleaved = new Float32Array(bytes);
    return { sampleRate: opts.sampleRate, channels: deinterleave(interleaved, opts.channels) };
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
  await withTmpDir(async (dir) => {
    const raw = path.join(dir, "out.f32");
    const interleaved = interleave(audio.channels);
    await writeFile(raw, new Uint8Array(interleaved.buffer, interleaved.byteOffset, interleaved.byteLength));
    await ffmpeg(
      [
        "-f",
        "f32le",
        "-ar",
        String(audio.sampleRate),
        "-ac",
        String(audio.channels.length),
        "-i",
        raw,
        "-ar",
        String(opts.outSampleRate ?? audio.sampleRate),
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
