/** Mono 16-bit PCM WAV <-> float samples, for the audio handed to and received from sherpa-onnx. */
import { readFile, writeFile } from "node:fs/promises";
import { decodeWavPcm16, encodeWavPcm16 } from "../audio/wav";
import { PipelineError } from "../errors";

export interface MonoAudio {
  samples: Float32Array;
  sampleRate: number;
}

/** Encodes mono float samples in [-1, 1] as a 16-bit PCM WAV. */
export function encodeWav16(audio: MonoAudio): Buffer {
  return encodeWavPcm16({ sampleRate: audio.sampleRate, channels: [audio.samples] });
}

export async function writeWav16(opts: { path: string } & MonoAudio): Promise<void> {
  await writeFile(opts.path, encodeWav16(opts));
}

/** Decodes a mono 16-bit PCM WAV (what `extractWav16k` writes). */
export function decodeWav16(buf: Buffer, name = "audio"): MonoAudio {
  const audio = decodeWavPcm16(buf, name);
  const [samples] = audio.channels;
  if (audio.channels.length !== 1 || !samples)
    throw new PipelineError({
      code: "INVALID_WAV",
      category: "system",
      message: `${name}: expected mono 16-bit PCM, got ${audio.channels.length} ch`,
    });
  return { samples, sampleRate: audio.sampleRate };
}

export async function readWav16(path: string): Promise<MonoAudio> {
  return decodeWav16(await readFile(path), path);
}
