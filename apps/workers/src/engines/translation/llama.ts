/**
 * Translation and shortening in-process with llama.cpp: a GGUF instruct model in MODELS_DIR
 * (the pack brings Qwen2.5-1.5B-Instruct), no key, no server. Loaded on first use and
 * shared by the translate and align stages of this process.
 */
import path from "node:path";
import { DEFAULT_LLAMA_MODEL, createLlamaTranslator, inspectGgufFile } from "@vitranslator/pipeline";
import { z } from "zod";
import { defineEngine } from "../types";
import type { EngineEnv } from "../types";

const env = {
  /** GGUF model: a file name in MODELS_DIR or an absolute path (default: the pack's Qwen2.5 1.5B). */
  LLAMA_MODEL: z.string().min(1).default(DEFAULT_LLAMA_MODEL),
  /** auto: a CUDA/Vulkan/Metal build when one works here, else CPU; off: always CPU. */
  LLAMA_GPU: z.enum(["auto", "off", "cuda", "vulkan", "metal"]).default("auto"),
  /** Tokens per request (prompt + answer); default 4096, capped by the model. */
  LLAMA_CONTEXT_SIZE: z.coerce.number().int().min(512).max(131_072).optional(),
  /** Requests evaluated in parallel; default from the cores, memory and GPU. */
  LLAMA_SEQUENCES: z.coerce.number().int().min(1).max(64).optional(),
};

type LlamaEnv = EngineEnv<typeof env>;

const modelPath = (e: Pick<LlamaEnv, "MODELS_DIR" | "LLAMA_MODEL">): string =>
  path.resolve(e.MODELS_DIR, e.LLAMA_MODEL);

export const llamaTranslation = defineEngine({
  kind: "translation",
  name: "llama",
  env,
  missing: (e) => {
    const file = modelPath(e);
    const found = inspectGgufFile(file);
    const isDefault = e.LLAMA_MODEL === DEFAULT_LLAMA_MODEL;
    if (found.state === "missing") {
      return {
        what: `no translation model ${path.basename(file)} in MODELS_DIR`,
        ...(isDefault
          ? { fix: "npm run models", download: true }
          : { fix: `put the GGUF model ${path.basename(file)} into MODELS_DIR, or unset LLAMA_MODEL` }),
      };
    }
    if (found.state === "corrupt") {
      return {
        what: `${path.basename(file)} is not a GGUF model (${found.reason})`,
        ...(isDefault
          ? { fix: `delete it, then npm run models`, download: true }
          : { fix: `replace it with a .gguf model, or unset LLAMA_MODEL` }),
      };
    }
    return null;
  },
  create: (e, { log }) =>
    createLlamaTranslator({
      modelPath: modelPath(e),
      gpu: e.LLAMA_GPU,
      ...(e.LLAMA_CONTEXT_SIZE ? { contextSize: e.LLAMA_CONTEXT_SIZE } : {}),
      ...(e.LLAMA_SEQUENCES ? { sequences: e.LLAMA_SEQUENCES } : {}),
      logger: log,
    }),
  describe: (e) => `llama.cpp ${path.basename(modelPath(e))} (gpu ${e.LLAMA_GPU})`,
  capabilities: () => ({ languages: "any" }),
});
