import { open } from "node:fs/promises";
import { PipelineError } from "../errors";

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
