/**
 * A TTS engine that answers at once with silence of a plausible length (60 ms per
 * character). Benchmark-only: it measures what the orchestration costs around the engines.
 */
import { writeFile } from "node:fs/promises";

interface InstantRequest {
  text: string;
  outPath: string;
}

function silentWav(durationMs: number, sampleRate = 44100): Buffer {
  const samples = Math.round((durationMs / 1000) * sampleRate);
  const data = samples * 2;
  const b = Buffer.alloc(44 + data);
  b.write("RIFF", 0);
  b.writeUInt32LE(36 + data, 4);
  b.write("WAVE", 8);
  b.write("fmt ", 12);
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(1, 20);
  b.writeUInt16LE(1, 22);
  b.writeUInt32LE(sampleRate, 24);
  b.writeUInt32LE(sampleRate * 2, 28);
  b.writeUInt16LE(2, 32);
  b.writeUInt16LE(16, 34);
  b.write("data", 36);
  b.writeUInt32LE(data, 40);
  return b;
}

export function createInstantTts() {
  return {
    name: "instant",
    supports: () => true,
    async synthesize(req: InstantRequest) {
      const durationMs = Math.max(200, req.text.length * 60);
      await writeFile(req.outPath, silentWav(durationMs));
      return { path: req.outPath, durationMs };
    },
  };
}
