/**
 * A TTS engine that answers at once with silence of a plausible length (60 ms per
 * character). Benchmark-only: it measures what the orchestration costs around the engines.
 */
import { writeFile } from "node:fs/promises";
import { silentWav } from "./wav";

interface InstantRequest {
  text: string;
  outPath: string;
}

export function createInstantTts() {
  return {
    name: "instant",
    supports: () => true,
    async synthesize(req: InstantRequest) {
      const durationMs = Math.max(200, req.text.length * 60);
      await writeFile(req.outPath, silentWav(durationMs, 44100));
      return { path: req.outPath, durationMs };
    },
  };
}
