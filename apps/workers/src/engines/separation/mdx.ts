/** MDX-Net (UVR) ONNX on onnxruntime-node: better on real music, slower. */
import path from "node:path";
import { createMdxSeparator } from "@vitranslator/pipeline";
import { z } from "zod";
import { fileSize } from "../files";
import { defineEngine } from "../types";

export const mdxSeparation = defineEngine({
  kind: "separation",
  name: "mdx",
  env: {
    /** MDX-Net .onnx file (UVR, e.g. Kim_Vocal_2.onnx). */
    MDX_MODEL_PATH: z.string().optional(),
  },
  missing: (env) =>
    !env.MDX_MODEL_PATH
      ? {
          what: "no MDX-Net model is configured",
          fix: "set MDX_MODEL_PATH to an MDX-Net .onnx file (e.g. MDX_MODEL_PATH=./models/Kim_Vocal_2.onnx)",
        }
      : fileSize(env.MDX_MODEL_PATH) === null
        ? {
            what: `${path.basename(env.MDX_MODEL_PATH)} (MDX_MODEL_PATH) does not exist`,
            fix: "set MDX_MODEL_PATH to an existing .onnx file",
          }
        : null,
  create: (env) => createMdxSeparator({ modelPath: env.MDX_MODEL_PATH ?? "" }),
  describe: (env) => `mdx-net ${env.MDX_MODEL_PATH ? path.basename(env.MDX_MODEL_PATH) : "?"}`,
});
