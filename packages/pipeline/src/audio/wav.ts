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

/** WAVE_FORMAT_PCM, and WAVE_FORMAT_EXTENSIBLE (whose subformat is checked). */
const FORMAT_PCM = 1;
const FORMAT_EXTENSIBLE = 0xfffe;

interface WavHeader {
  /** The format tag (an extensible header's subformat): 1 is integer PCM. */
  tag: number;
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  dataOffset: number;
  dataBytes: number;
}

/**
 * Walks a WAV's chunks up to "data". `buf` holds the file's first bytes (or all of it) and
 * `fileSize` its whole length, which bounds the data.
 */
function parseWavHeader(buf: Buffer, fileSize: number, name: string): WavHeader {
  if (buf.length < 12 || buf.toString("ascii", 0, 4) !== "RIFF" || buf.toString("ascii", 8, 12) !== "WAVE")
    throw badWav(name, "no RIFF/WAVE header");
  let offset = 12;
  let fmt: Omit<WavHeader, "dataOffset" | "dataBytes"> | undefined;
  while (offset + 8 <= buf.length) {
    const id = buf.toString("ascii", offset, offset + 4);
    const size = buf.readUInt32LE(offset + 4);
    if (id === "fmt ") {
      if (size < 16 || offset + 8 + 16 > buf.length) throw badWav(name, "short fmt chunk");
      const tag = buf.readUInt16LE(offset + 8);
      fmt = {
        // The extensible header's subformat GUID starts with the real format tag.
        tag:
          tag === FORMAT_EXTENSIBLE && size >= 26 && offset + 34 <= buf.length
            ? buf.readUInt16LE(offset + 32)
            : tag,
        channels: buf.readUInt16LE(offset + 10),
        sampleRate: buf.readUInt32LE(offset + 12),
        bitsPerSample: buf.readUInt16LE(offset + 22),
      };
    } else if (id === "data") {
      if (!fmt) throw badWav(name, "data chunk before fmt chunk");
      const dataOffset = offset + 8;
      // Streaming writers leave the size at 0 or 0xFFFFFFFF; the rest of the file is data then.
      const available = fileSize - dataOffset;
      return { ...fmt, dataOffset, dataBytes: size === 0 || size > available ? available : size };
    }
    offset += 8 + size + (size % 2);
  }
  throw badWav(
    name,
    buf.length < fileSize ? `no data chunk in the first ${buf.length} bytes` : "no data chunk",
  );
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
    const { sampleRate, channels, bitsPerSample, dataBytes } = parseWavHeader(buf, size, path);
    const bytesPerSecond = sampleRate * channels * (bitsPerSample / 8);
    return {
      sampleRate,
      channels,
      bitsPerSample,
      dataBytes,
      durationMs: bytesPerSecond > 0 ? (dataBytes / bytesPerSecond) * 1000 : 0,
    };
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
  const h = parseWavHeader(buf, buf.length, name);
  if (h.tag !== FORMAT_PCM || h.bitsPerSample !== 16 || h.channels < 1)
    throw badWav(name, `expected 16-bit PCM, got format ${h.tag}, ${h.bitsPerSample} bit, ${h.channels} ch`);
  const n = h.channels;
  const frames = Math.floor(h.dataBytes / (2 * n));
  const view = new DataView(buf.buffer, buf.byteOffset + h.dataOffset, frames * n * 2);
  const channels = Array.from({ length: n }, () => new Float32Array(frames));
  for (let c = 0; c < n; c++) {
    const ch = channels[c] as Float32Array;
    for (let i = 0; i < frames; i++) ch[i] = view.getInt16((i * n + c) * 2, true) / INT16_SCALE;
  }
  return { sampleRate: h.sampleRate, channels };
}

export async function readWavPcm16(path: string): Promise<PcmAudio> {
  return decodeWavPcm16(await readFile(path), path);
}

/** Writes a 16-bit PCM WAV under a temp name and renames it into place (readers never see half a file). */
export async function writeWavPcm16(path: string, audio: PcmAudio): Promise<void> {
  await writeFileAtomic(path, encodeWavPcm16(audio));
}
