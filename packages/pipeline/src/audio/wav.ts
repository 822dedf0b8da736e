import { open, readFile } from "node:fs/promises";
import { PipelineError } from "../errors";
import { writeFileAtomic } from "../hls/playlist";

export interface WavFormat {
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  dataBytes: number;
  durationMs: number;
}

/** Enough for the RIFF header plus the LIST/INFO chunk ffmpeg writes before "data". */
const HEADER_BYTES = 4096;

function badWav(path: string, why: string): PipelineError {
  return new PipelineError({
    code: "INVALID_WAV",
    category: "system",
    message: `${path} is not a readable WAV file: ${why}`,
  });
}

/**
 * Reads a PCM WAV header without decoding. Used for durations of files we wrote ourselves:
 * much cheaper than spawning ffprobe for every sentence.
 */
export async function readWavFormat(path: string): Promise<WavFormat> {
  const fh = await open(path, "r");
  try {
    const { size } = await fh.stat();
    const buf = Buffer.alloc(Math.min(HEADER_BYTES, size));
    await fh.read(buf, 0, buf.length, 0);
    if (
      buf.length < 12 ||
      buf.toString("ascii", 0, 4) !== "RIFF" ||
      buf.toString("ascii", 8, 12) !== "WAVE"
    ) {
      throw badWav(path, "no RIFF/WAVE header");
    }
    let offset = 12;
    let fmt: Omit<WavFormat, "dataBytes" | "durationMs"> | undefined;
    while (offset + 8 <= buf.length) {
      const id = buf.toString("ascii", offset, offset + 4);
      const chunkSize = buf.readUInt32LE(offset + 4);
      if (id === "fmt ") {
        fmt = {
          channels: buf.readUInt16LE(offset + 10),
          sampleRate: buf.readUInt32LE(offset + 12),
          bitsPerSample: buf.readUInt16LE(offset + 22),
        };
      } else if (id === "data") {
        if (!fmt) throw badWav(path, "data chunk before fmt chunk");
        // Streaming writers leave the size at 0 or 0xFFFFFFFF; the rest of the file is data then.
        const available = size - (offset + 8);
        const dataBytes = chunkSize === 0 || chunkSize > available ? available : chunkSize;
        const bytesPerSecond = fmt.sampleRate * fmt.channels * (fmt.bitsPerSample / 8);
        return {
          ...fmt,
          dataBytes,
          durationMs: bytesPerSecond > 0 ? (dataBytes / bytesPerSecond) * 1000 : 0,
        };
      }
      offset += 8 + chunkSize + (chunkSize % 2);
    }
    throw badWav(path, "no data chunk in the first 4 KiB");
  } finally {
    await fh.close();
  }
}

export async function wavDurationMs(path: string): Promise<number> {
  return (await readWavFormat(path)).durationMs;
}

/** Float PCM: one array per channel, all the same length, samples in [-1, 1]. */
export interface PcmAudio {
  sampleRate: number;
  channels: Float32Array[];
}

/** WAVE_FORMAT_PCM, and WAVE_FORMAT_EXTENSIBLE (whose subformat is checked). */
const FORMAT_PCM = 1;
const FORMAT_EXTENSIBLE = 0xfffe;
const INT16_SCALE = 32768;

/**
 * Float samples as a 16-bit PCM WAV, interleaved: round(x · 32768), clipped. Decoding divides
 * by 32768, so a decoded file encodes back to the same bytes.
 */
export function encodeWavPcm16(audio: PcmAudio): Buffer {
  const { channels } = audio;
  const n = channels.length;
  const frames = channels[0]?.length ?? 0;
  const dataBytes = frames * n * 2;
  const buf = Buffer.alloc(44 + dataBytes);
  buf.write("RIFF", 0, "ascii");
  buf.writeUInt32LE(36 + dataBytes, 4);
  buf.write("WAVE", 8, "ascii");
  buf.write("fmt ", 12, "ascii");
  buf.writeUInt32LE(16, 16);
  buf.writeUInt16LE(FORMAT_PCM, 20);
  buf.writeUInt16LE(n, 22);
  buf.writeUInt32LE(audio.sampleRate, 24);
  buf.writeUInt32LE(audio.sampleRate * n * 2, 28);
  buf.writeUInt16LE(n * 2, 32);
  buf.writeUInt16LE(16, 34);
  buf.write("data", 36, "ascii");
  buf.writeUInt32LE(dataBytes, 40);
  const view = new DataView(buf.buffer, buf.byteOffset + 44, dataBytes);
  for (let c = 0; c < n; c++) {
    const ch = channels[c] as Float32Array;
    for (let i = 0; i < frames; i++) {
      const v = Math.round((ch[i] ?? 0) * INT16_SCALE);
      view.setInt16((i * n + c) * 2, v > 32767 ? 32767 : v < -32768 ? -32768 : v, true);
    }
  }
  return buf;
}

/** A 16-bit PCM WAV's samples, any channel count (what ffmpeg's `-c:a pcm_s16le` writes). */
export function decodeWavPcm16(buf: Buffer, name = "audio"): PcmAudio {
  if (buf.length < 12 || buf.toString("ascii", 0, 4) !== "RIFF" || buf.toString("ascii", 8, 12) !== "WAVE")
    throw badWav(name, "no RIFF/WAVE header");
  let offset = 12;
  let fmt: { tag: number; channels: number; sampleRate: number; bits: number } | undefined;
  while (offset + 8 <= buf.length) {
    const id = buf.toString("ascii", offset, offset + 4);
    const size = buf.readUInt32LE(offset + 4);
    if (id === "fmt ") {
      if (size < 16 || offset + 8 + size > buf.length) throw badWav(name, "short fmt chunk");
      const tag = buf.readUInt16LE(offset + 8);
      fmt = {
        // The extensible header's subformat GUID starts with the real format tag.
        tag: tag === FORMAT_EXTENSIBLE && size >= 26 ? buf.readUInt16LE(offset + 8 + 24) : tag,
        channels: buf.readUInt16LE(offset + 10),
        sampleRate: buf.readUInt32LE(offset + 12),
        bits: buf.readUInt16LE(offset + 22),
      };
    } else if (id === "data") {
      if (!fmt) throw badWav(name, "data chunk before fmt chunk");
      if (fmt.tag !== FORMAT_PCM || fmt.bits !== 16 || fmt.channels < 1)
        throw badWav(name, `expected 16-bit PCM, got format ${fmt.tag}, ${fmt.bits} bit, ${fmt.channels} ch`);
      const start = offset + 8;
      // Streaming writers leave the size at 0 or 0xFFFFFFFF; the rest of the file is data then.
      const end = size === 0 || start + size > buf.length ? buf.length : start + size;
      const n = fmt.channels;
      const frames = Math.floor((end - start) / (2 * n));
      const view = new DataView(buf.buffer, buf.byteOffset + start, frames * n * 2);
      const channels = Array.from({ length: n }, () => new Float32Array(frames));
      for (let c = 0; c < n; c++) {
        const ch = channels[c] as Float32Array;
        for (let i = 0; i < frames; i++) ch[i] = view.getInt16((i * n + c) * 2, true) / INT16_SCALE;
      }
      return { sampleRate: fmt.sampleRate, channels };
    }
    offset += 8 + size + (size % 2);
  }
  throw badWav(name, "no data chunk");
}

export async function readWavPcm16(path: string): Promise<PcmAudio> {
  return decodeWavPcm16(await readFile(path), path);
}

/** Writes a 16-bit PCM WAV under a temp name and renames it into place (readers never see half a file). */
export async function writeWavPcm16(path: string, audio: PcmAudio): Promise<void> {
  await writeFileAtomic(path, encodeWavPcm16(audio));
}
