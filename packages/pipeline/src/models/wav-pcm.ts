/** 16-bit PCM WAV <-> float samples, for the audio handed to and received from sherpa-onnx. */
import { readFile, writeFile } from "node:fs/promises";
import { PipelineError } from "../errors";

export interface MonoAudio {
  samples: Float32Array;
  sampleRate: number;
}

/** Encodes mono float samples in [-1, 1] as a 16-bit PCM WAV. */
export function encodeWav16(audio: MonoAudio): Buffer {
  const n = audio.samples.length;
  const buf = Buffer.alloc(44 + n * 2);
  buf.write("RIFF", 0, "ascii");
  buf.writeUInt32LE(36 + n * 2, 4);
  buf.write("WAVE", 8, "ascii");
  buf.write("fmt ", 12, "ascii");
  buf.writeUInt32LE(16, 16);
  buf.writeUInt16LE(1, 20);
  buf.writeUInt16LE(1, 22);
  buf.writeUInt32LE(audio.sampleRate, 24);
  buf.writeUInt32LE(audio.sampleRate * 2, 28);
  buf.writeUInt16LE(2, 32);
  buf.writeUInt16LE(16, 34);
  buf.write("data", 36, "ascii");
  buf.writeUInt32LE(n * 2, 40);
  for (let i = 0; i < n; i++) {
    const s = Math.max(-1, Math.min(1, audio.samples[i] ?? 0));
    buf.writeInt16LE(Math.round(s < 0 ? s * 32768 : s * 32767), 44 + i * 2);
  }
  return buf;
}

export async function writeWav16(opts: { path: string } & MonoAudio): Promise<void> {
  await writeFile(opts.path, encodeWav16(opts));
}

/** Decodes a mono 16-bit PCM WAV (what `extractWav16k` writes). */
export function decodeWav16(buf: Buffer, name = "audio"): MonoAudio {
  const bad = (why: string) =>
    new PipelineError({ code: "INVALID_WAV", category: "system", message: `${name}: ${why}` });
  if (buf.length < 12 || buf.toString("ascii", 0, 4) !== "RIFF" || buf.toString("ascii", 8, 12) !== "WAVE") {
    throw bad("no RIFF/WAVE header");
  }
  let offset = 12;
  let sampleRate = 0;
  let channels = 0;
  let bits = 0;
  while (offset + 8 <= buf.length) {
    const id = buf.toString("ascii", offset, offset + 4);
    const size = buf.readUInt32LE(offset + 4);
    if (id === "fmt ") {
      channels = buf.readUInt16LE(offset + 10);
      sampleRate = buf.readUInt32LE(offset + 12);
      bits = buf.readUInt16LE(offset + 22);
    } else if (id === "data") {
      if (bits !== 16 || channels !== 1)
        throw bad(`expected mono 16-bit PCM, got ${channels} ch ${bits} bit`);
      const end = Math.min(buf.length, offset + 8 + (size === 0 ? buf.length : size));
      const n = Math.floor((end - offset - 8) / 2);
      const samples = new Float32Array(n);
      for (let i = 0; i < n; i++) samples[i] = buf.readInt16LE(offset + 8 + i * 2) / 32768;
      return { samples, sampleRate };
    }
    offset += 8 + size + (size % 2);
  }
  throw bad("no data chunk");
}

export async function readWav16(path: string): Promise<MonoAudio> {
  return decodeWav16(await readFile(path), path);
}
