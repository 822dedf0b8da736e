/** Picks a separator from configuration; `none` means no separation (the mix ducks the original). */
import { createMdxSeparator } from "./mdx";
import type { MdxConfig } from "./mdx";
import { createRnnoiseSeparator } from "./rnnoise";
import type { Separator, SeparatorKind } from "./types";
import { PipelineError } from "../errors";

export function createSeparator(opts: { kind: SeparatorKind; mdx?: Partial<MdxConfig> }): Separator | null {
  switch (opts.kind) {
    case "none":
      return null;
    case "rnnoise":
      return createRnnoiseSeparator();
    case "mdx": {
      const modelPath = opts.mdx?.modelPath;
      if (!modelPath) {
        throw new PipelineError({
          code: "MDX_MODEL_MISSING",
          category: "system",
          message: "SEPARATOR=mdx needs MDX_MODEL_PATH (an MDX-Net .onnx file such as Kim_Vocal_2.onnx)",
        });
      }
      return createMdxSeparator({ ...opts.mdx, modelPath });
    }
  }
}
