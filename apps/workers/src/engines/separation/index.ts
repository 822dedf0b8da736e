/**
 * Vocal/background separation of each segment. SEPARATOR=none keeps the original audio
 * ducked under the dub; auto takes MDX-Net when its model is configured, else RNNoise.
 */
import { defineRegistry } from "../types";
import { mdxSeparation } from "./mdx";
import { rnnoiseSeparation } from "./rnnoise";

export const separationEngines = defineRegistry({
  kind: "separation",
  selector: "SEPARATOR",
  default: "rnnoise",
  off: { value: "none", label: "none (the original is ducked)" },
  required: false,
  engines: [rnnoiseSeparation, mdxSeparation],
  auto: ["mdx", "rnnoise"],
});
