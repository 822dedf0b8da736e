/** CosyVoice over gRPC (FunAudioLLM/CosyVoice runtime/python/grpc): clones each speaker's voice. */
import { createCosyVoiceEngine } from "@vitranslator/pipeline";
import type { CosyVoiceVersion } from "@vitranslator/pipeline";
import { z } from "zod";
import { spokenLanguages } from "../files";
import { defineEngine } from "../types";

export const cosyvoiceTts = defineEngine({
  kind: "tts",
  name: "cosyvoice",
  env: {
    /** host:port of a CosyVoice gRPC server. */
    COSYVOICE_ADDR: z.string().optional(),
    /** Model behind it: 1 (CosyVoice-300M), 2 (CosyVoice2-0.5B), 3 (Fun-CosyVoice3-0.5B). */
    COSYVOICE_VERSION: z.enum(["1", "2", "3"]).default("2"),
    /** Rate of the PCM it streams; default by version (22050 v1, 24000 v2/v3). */
    COSYVOICE_SAMPLE_RATE: z.coerce.number().int().min(8000).max(96_000).optional(),
    /** Built-in speaker for sentences without a reference clip (sft). */
    COSYVOICE_SPK_ID: z.string().optional(),
    COSYVOICE_TIMEOUT_MS: z.coerce.number().positive().default(120_000),
  },
  missing: (env) =>
    env.COSYVOICE_ADDR
      ? null
      : {
          what: "no CosyVoice gRPC server is configured",
          fix: "set COSYVOICE_ADDR to its host:port (e.g. COSYVOICE_ADDR=10.0.0.5:50000)",
        },
  create: (env) =>
    createCosyVoiceEngine({
      address: env.COSYVOICE_ADDR ?? "",
      version: Number(env.COSYVOICE_VERSION) as CosyVoiceVersion,
      ...(env.COSYVOICE_SAMPLE_RATE ? { sampleRate: env.COSYVOICE_SAMPLE_RATE } : {}),
      ...(env.COSYVOICE_SPK_ID ? { speakerId: env.COSYVOICE_SPK_ID } : {}),
      timeoutMs: env.COSYVOICE_TIMEOUT_MS,
    }),
  describe: (env) => `cosyvoice v${env.COSYVOICE_VERSION}`,
  // It speaks in the original speaker's voice (or COSYVOICE_SPK_ID): there is nothing to choose.
  capabilities: (_env, engine) => ({ languages: spokenLanguages(engine), voices: [] }),
});
