/** RNNoise (xiph, BSD, WASM from npm) plus a spectral gate: needs nothing, the default. */
import { createRnnoiseSeparator } from "@vitranslator/pipeline";
import { defineEngine } from "../types";

export const rnnoiseSeparation = defineEngine({
  kind: "separation",
  name: "rnnoise",
  env: {},
  missing: () => null,
  create: () => createRnnoiseSeparator(),
  describe: () => "rnnoise + spectral gate",
});
