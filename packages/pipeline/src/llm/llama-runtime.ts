/**
 * The embedded llama.cpp runtime (node-llama-cpp): one Llama binding, one loaded model and
 * one context per model file per process, whatever number of translators use it. The
 * binding is imported lazily, so a process that never translates locally never loads it.
 *
 * Prebuilt binaries only (`build: "never"`): a CUDA/Vulkan/Metal build is used when one
 * works on this machine (`gpu: "auto"`), else the CPU build — nothing is downloaded or
 * compiled at run time. Evaluation runs on native threads, off the event loop.
 */
import { closeSync, fstatSync, openSync, readSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Llama, LlamaContext, LlamaContextSequence, LlamaModel } from "node-llama-cpp";
import { PipelineError } from "../errors";
import { modelMissing } from "../models/model-dir";
import type { LlmLogger } from "./errors";
import { loadOnce } from "../load-once";

/** File name in MODELS_DIR of the default translation model (Qwen2.5 1.5B Instruct, Q4_K_M). */
export const DEFAULT_LLAMA_MODEL = "qwen2.5-1.5b-instruct-q4_k_m.gguf";

export type LlamaGpuSetting = "auto" | "off" | "cuda" | "vulkan" | "metal";

export interface LlamaRuntimeOptions {
  /** Absolute path of the .gguf file. */
  modelPath: string;
  gpu?: LlamaGpuSetting;
  /** Tokens per sequence; sized to the machine when unset. */
  contextSize?: number;
  /** Parallel sequences (concurrent requests); sized to the machine when unset. */
  sequences?: number;
  logger?: LlmLogger;
}

export interface LlamaRuntime {
  readonly llama: Llama;
  readonly model: LlamaModel;
  readonly context: LlamaContext;
  /** Tokens each sequence can hold (prompt + answer). */
  readonly contextSize: number;
  /** Runs `fn` on a free sequence, waiting for one when all are busy. */
  withSequence<T>(fn: (seq: LlamaContextSequence) => Promise<T>, signal?: AbortSignal): Promise<T>;
}

export interface LlamaPlan {
  sequences: number;
  contextSize: number;
  threads: number;
}

/** Rough KV-cache and scratch memory per sequence of 4k tokens for a ≤3B model. */
const SEQUENCE_BYTES = 256 * 1024 * 1024;
const HEADROOM_BYTES = 1024 * 1024 * 1024;

/**
 * Parallel sequences, context and threads for this machine. A GPU takes 4 sequences; on
 * CPU one sequence per 4 cores (max 4) — more only splits the same cores. Memory left after
 * the model (and 1 GB for everything else) caps the sequences; threads leave a quarter of
 * the cores to the other stages running in the same worker (but take two when there are two).
 */
export function planLlamaResources(m: {
  cpus: number;
  freeMemoryBytes: number;
  modelBytes: number;
  gpu: boolean;
  contextSize?: number;
  sequences?: number;
}): LlamaPlan {
  const cpus = Math.max(1, Math.floor(m.cpus));
  const contextSize = Math.max(512, Math.floor(m.contextSize ?? 4096));
  const perSequence = SEQUENCE_BYTES * (contextSize / 4096);
  let sequences = m.sequences ?? (m.gpu ? 4 : Math.min(4, Math.max(1, Math.floor(cpus / 4))));
  if (m.sequences === undefined && !m.gpu) {
    const budget = m.freeMemoryBytes - m.modelBytes - HEADROOM_BYTES;
    while (sequences > 1 && sequences * perSequence > budget) sequences--;
  }
  const threads = m.gpu ? Math.min(4, cpus) : Math.min(cpus, Math.max(2, Math.floor((cpus * 3) / 4)));
  return { sequences: Math.max(1, Math.floor(sequences)), contextSize, threads };
}

export type GgufFileState =
  { state: "ok"; bytes: number } | { state: "missing" } | { state: "corrupt"; reason: string };

/** Cheap synchronous check without the binding: the file exists and starts with the GGUF magic. */
export function inspectGgufFile(file: string): GgufFileState {
  let fd: number;
  try {
    if (!statSync(file).isFile()) return { state: "missing" };
    fd = openSync(file, "r");
  } catch {
    return { state: "missing" };
  }
  try {
    const head = Buffer.alloc(8);
    const bytesRead = readSync(fd, head, 0, 8, 0);
    if (bytesRead < 8 || head.toString("latin1", 0, 4) !== "GGUF") {
      return { state: "corrupt", reason: "it does not start with the GGUF signature" };
    }
    return { state: "ok", bytes: fstatSync(fd).size };
  } finally {
    closeSync(fd);
  }
}

export function modelCorrupt(file: string, reason: string, cause?: unknown): PipelineError {
  return new PipelineError({
    code: "MODEL_CORRUPT",
    category: "user",
    message: `${file} is not a usable GGUF model: ${reason}. Delete it and run \`npm run models\` to download it again, or set LLAMA_MODEL to another .gguf file.`,
    cause,
  });
}

/** MODEL_MISSING / MODEL_CORRUPT for a file that cannot be loaded at all. */
export function assertGgufFile(file: string): number {
  const found = inspectGgufFile(file);
  if (found.state === "missing") {
    throw modelMissing({
      what: "translation (llama.cpp GGUF)",
      dir: path.dirname(file),
      missing: [path.basename(file)],
    });
  }
  if (found.state === "corrupt") throw modelCorrupt(file, found.reason);
  return found.bytes;
}

/** The last llama.cpp log lines, quoted in load errors ("tensor … is not within the file bounds"). */
const recentNativeLog: string[] = [];
const bindings = new Map<LlamaGpuSetting, Promise<Llama>>();
const runtimes = new Map<string, Promise<LlamaRuntime>>();

function loadBinding(gpu: LlamaGpuSetting, logger?: LlmLogger): Promise<Llama> {
  return loadOnce(bindings, gpu, async () => {
    const { getLlama, LlamaLogLevel } = await import("node-llama-cpp");
    try {
      return await getLlama({
        gpu: gpu === "off" ? false : gpu,
        build: "never",
        usePrebuiltBinaries: true,
        progressLogs: false,
        logLevel: LlamaLogLevel.warn,
        logger: (level, message) => {
          const line = message.trim();
          if (line === "") return;
          recentNativeLog.push(line);
          if (recentNativeLog.length > 8) recentNativeLog.shift();
          if (level === LlamaLogLevel.error || level === LlamaLogLevel.fatal) {
            logger?.warn({ source: "llama.cpp" }, line);
          }
        },
      });
    } catch (cause) {
      throw new PipelineError({
        code: "LLAMA_UNAVAILABLE",
        category: "system",
        message: `No usable llama.cpp binary for this machine (LLAMA_GPU=${gpu}): ${(cause as Error).message}. Run \`npm install\` on this machine, or set LLAMA_GPU=off.`,
        cause,
      });
    }
  });
}

function createPool(context: LlamaContext) {
  const idle: LlamaContextSequence[] = [];
  const waiters: ((seq: LlamaContextSequence) => void)[] = [];
  const take = (): LlamaContextSequence | undefined =>
    idle.pop() ?? (context.sequencesLeft > 0 ? context.getSequence() : undefined);
  const release = (seq: LlamaContextSequence) => {
    const next = waiters.shift();
    if (next) next(seq);
    else idle.push(seq);
  };
  const acquire = (signal?: AbortSignal): Promise<LlamaContextSequence> => {
    signal?.throwIfAborted();
    const free = take();
    if (free) return Promise.resolve(free);
    return new Promise((resolve, reject) => {
      const waiter = (seq: LlamaContextSequence) => {
        signal?.removeEventListener("abort", onAbort);
        resolve(seq);
      };
      const onAbort = () => {
        const at = waiters.indexOf(waiter);
        if (at >= 0) waiters.splice(at, 1);
        reject(signal?.reason as Error);
      };
      waiters.push(waiter);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  };
  return async <T>(fn: (seq: LlamaContextSequence) => Promise<T>, signal?: AbortSignal): Promise<T> => {
    const seq = await acquire(signal);
    try {
      return await fn(seq);
    } finally {
      release(seq);
    }
  };
}

async function createRuntime(opts: LlamaRuntimeOptions): Promise<LlamaRuntime> {
  const file = path.resolve(opts.modelPath);
  const bytes = assertGgufFile(file);
  const llama = await loadBinding(opts.gpu ?? "auto", opts.logger);
  const { readGgufFileInfo } = await import("node-llama-cpp");
  try {
    await readGgufFileInfo(file);
  } catch (cause) {
    throw modelCorrupt(file, `its header cannot be read (${(cause as Error).message})`, cause);
  }
  let model: LlamaModel;
  try {
    recentNativeLog.length = 0;
    model = await llama.loadModel({ modelPath: file });
  } catch (cause) {
    const detail = recentNativeLog.find((l) => /error|corrupt|fail/i.test(l)) ?? (cause as Error).message;
    throw modelCorrupt(file, `llama.cpp could not load it (${detail})`, cause);
  }
  const gpu = llama.gpu !== false && model.gpuLayers > 0;
  const plan = planLlamaResources({
    cpus: os.availableParallelism(),
    freeMemoryBytes: os.freemem(),
    modelBytes: bytes,
    gpu,
    ...(opts.contextSize ? { contextSize: opts.contextSize } : {}),
    ...(opts.sequences ? { sequences: opts.sequences } : {}),
  });
  const contextSize = Math.min(plan.contextSize, model.trainContextSize || plan.contextSize);
  let context: LlamaContext | undefined;
  // Fewer sequences when memory is tighter than the plan assumed.
  for (let sequences = plan.sequences; !context; sequences = Math.floor(sequences / 2)) {
    try {
      context = await model.createContext({ contextSize, sequences, threads: plan.threads });
    } catch (cause) {
      if (sequences <= 1) {
        await model.dispose();
        throw new PipelineError({
          code: "LLAMA_OUT_OF_MEMORY",
          category: "system",
          message: `Not enough memory for a ${contextSize}-token context of ${path.basename(file)}: ${(cause as Error).message}. Lower LLAMA_CONTEXT_SIZE or use a smaller model.`,
          cause,
        });
      }
    }
  }
  opts.logger?.info(
    {
      model: path.basename(file),
      gpu: llama.gpu,
      gpuLayers: model.gpuLayers,
      contextSize: context.contextSize,
      sequences: context.totalSequences,
      threads: plan.threads,
    },
    "llama.cpp model loaded",
  );
  return {
    llama,
    model,
    context,
    contextSize: context.contextSize,
    withSequence: createPool(context),
  };
}

/** The process-wide runtime for this model file; loaded on first use, retried after a failure. */
export function getLlamaRuntime(opts: LlamaRuntimeOptions): Promise<LlamaRuntime> {
  const key = `${path.resolve(opts.modelPath)}|${opts.gpu ?? "auto"}`;
  return loadOnce(runtimes, key, () => createRuntime(opts));
}

/** Frees every loaded model (tests, graceful shutdown). */
export async function disposeLlamaRuntimes(): Promise<void> {
  const all = [...runtimes.values()];
  runtimes.clear();
  for (const r of await Promise.allSettled(all)) {
    if (r.status === "fulfilled") {
      await r.value.context.dispose();
      await r.value.model.dispose();
    }
  }
}
