import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { rename, unlink } from "node:fs/promises";
import { basename, dirname, extname, join, resolve } from "node:path";
import { PipelineError } from "../errors";
import { applyInputPolicy, inputOptions } from "./input-policy";

export interface RunProcessOptions {
  command: string;
  args: readonly string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  timeoutMs?: number;
  stdin?: string | Buffer;
}

export interface ProcessResult {
  stdout: string;
  stderr: string;
}

/**
 * Time limits when a call site gives none, so a wedged child can never hold a job (and its
 * lock) forever: generous for ffmpeg on long inputs, short for probes and one-sentence TTS.
 */
export const DEFAULT_TIMEOUT_MS: Record<string, number> = {
  ffmpeg: 30 * 60_000,
  ffprobe: 2 * 60_000,
  "espeak-ng": 2 * 60_000,
};
const FALLBACK_TIMEOUT_MS = 30 * 60_000;

/** Keep only the end of stderr: ffmpeg prints the actual error last, after pages of stream info. */
const STDERR_TAIL_CHARS = 2000;
const MAX_STDERR_CHARS = 8_000_000;

/** Debian package that provides each program we spawn, so the error can say what to install. */
const APT_PACKAGE: Record<string, string> = {
  ffmpeg: "ffmpeg",
  ffprobe: "ffmpeg",
  "espeak-ng": "espeak-ng",
  sox: "sox",
};

export class ProcessError extends PipelineError {
  readonly exitCode: number | null;
  readonly command: string;
  readonly args: readonly string[];
  readonly stderrTail: string;

  constructor(opts: {
    code?: string;
    message: string;
    exitCode: number | null;
    command: string;
    args: readonly string[];
    stderr: string;
    cause?: unknown;
  }) {
    super({
      code: opts.code ?? "PROCESS_FAILED",
      category: "system",
      message: opts.message,
      cause: opts.cause,
    });
    this.name = "ProcessError";
    this.exitCode = opts.exitCode;
    this.command = opts.command;
    this.args = opts.args;
    this.stderrTail = tail(opts.stderr);
  }
}

export const isProcessError = (e: unknown): e is ProcessError => e instanceof ProcessError;

function tail(text: string): string {
  return text.length > STDERR_TAIL_CHARS ? text.slice(-STDERR_TAIL_CHARS) : text;
}

/** The signal's reason when it is an Error (abort() sets a DOMException "AbortError"), else an AbortError. */
function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  const message = typeof reason === "string" ? reason : "The operation was aborted";
  return new DOMException(message, "AbortError");
}

/**
 * Runs a program with an explicit argument array (never through a shell) and collects its output.
 * Rejects with a ProcessError on non-zero exit, timeout or a missing program, and with the
 * signal's reason when aborted (the child is killed in both of the latter cases).
 */
export function runProcess(opts: RunProcessOptions): Promise<ProcessResult> {
  const { command, args, signal } = opts;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS[command] ?? FALLBACK_TIMEOUT_MS;
  if (signal?.aborted) return Promise.reject(abortReason(signal));

  return new Promise<ProcessResult>((resolve, reject) => {
    const child = spawn(command, [...args], {
      cwd: opts.cwd,
      env: opts.env,
      stdio: ["pipe", "pipe", "pipe"],
    });
    const stdout: Buffer[] = [];
    let stderr = "";
    let settled = false;
    let timedOut = false;

    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      fn();
    };
    const onAbort = (): void => {
      child.kill("SIGKILL");
      finish(() => reject(abortReason(signal as AbortSignal)));
    };
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    signal?.addEventListener("abort", onAbort, { once: true });

    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => {
      // Bounded, yet large enough that silencedetect output of long inputs survives whole.
      stderr += chunk;
      if (stderr.length > MAX_STDERR_CHARS) stderr = stderr.slice(-MAX_STDERR_CHARS / 2);
    });
    // EPIPE when the program exits without reading all input is reported by 'close' instead.
    child.stdin.on("error", () => undefined);
    // Closed at once when there is no input, so nothing ever waits on it.
    child.stdin.end(opts.stdin);

    child.on("error", (err: NodeJS.ErrnoException) => {
      finish(() => {
        if (err.code === "ENOENT") {
          const pkg = APT_PACKAGE[command] ?? command;
          reject(
            new ProcessError({
              code: "PROGRAM_MISSING",
              message: `The program "${command}" is not installed or not on PATH (install the Debian package "${pkg}": apt-get install ${pkg})`,
              exitCode: null,
              command,
              args,
              stderr: "",
              cause: err,
            }),
          );
        } else {
          reject(
            new ProcessError({
              message: `Could not run ${command}: ${err.message}`,
              exitCode: null,
              command,
              args,
              stderr,
              cause: err,
            }),
          );
        }
      });
    });

    child.on("close", (code, killSignal) => {
      finish(() => {
        if (timedOut) {
          reject(
            new ProcessError({
              code: "PROCESS_TIMEOUT",
              message: `${command} did not finish within ${timeoutMs} ms and was killed`,
              exitCode: code,
              command,
              args,
              stderr,
            }),
          );
        } else if (code !== 0) {
          const lastLine = stderr.trim().split("\n").pop() ?? "";
          reject(
            new ProcessError({
              message: `${command} exited with ${code ?? killSignal}${lastLine ? `: ${lastLine}` : ""}`,
              exitCode: code,
              command,
              args,
              stderr,
            }),
          );
        } else {
          resolve({ stdout: Buffer.concat(stdout).toString("utf8"), stderr });
        }
      });
    });
  });
}

export interface ToolOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  cwd?: string;
}

/**
 * Runs ffmpeg non-interactively; it always overwrites outputs (our paths are deterministic).
 * Every input is opened by the input policy (forced demuxer, `file` protocol only; see
 * input-policy.ts). The last argument, when it is a file, is written to a temp name beside
 * it and renamed into place on success: a reader (or a retried job) never sees a
 * half-written file, even when a killed worker leaves its ffmpeg child running on the same path.
 */
export async function ffmpeg(rawArgs: readonly string[], opts: ToolOptions = {}): Promise<ProcessResult> {
  const args = applyInputPolicy(rawArgs);
  const out = args.at(-1);
  const atomic = out !== undefined && isOutputFile(out) ? out : undefined;
  if (!atomic) {
    return runProcess({ command: "ffmpeg", args: ["-hide_banner", "-nostdin", "-y", ...args], ...opts });
  }
  // Same folder (same filesystem, so rename is atomic) and same extension (ffmpeg picks the muxer by it).
  const ext = extname(atomic);
  const tmp = join(
    dirname(atomic),
    `.${basename(atomic, ext)}.${process.pid}-${randomBytes(4).toString("hex")}.tmp${ext}`,
  );
  try {
    const result = await runProcess({
      command: "ffmpeg",
      args: ["-hide_banner", "-nostdin", "-y", ...args.slice(0, -1), tmp],
      ...opts,
    });
    await rename(tmp, atomic);
    return result;
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}

/** A plain output path with an extension (not "-", "pipe:1", a null sink, an option or a %d pattern). */
function isOutputFile(arg: string): boolean {
  return !arg.startsWith("-") && !arg.includes(":") && !arg.includes("%") && extname(arg) !== "";
}

export interface FfprobeOptions extends ToolOptions {
  /**
   * Options that open the input, e.g. `["-f", "matroska"]`; without `-f` the demuxer is
   * the one for the file's extension (input-policy.ts).
   */
  inputOptions?: readonly string[];
}

/** Runs ffprobe on one file, opened by the input policy like every ffmpeg input. */
export function ffprobe(
  path: string,
  args: readonly string[],
  opts: FfprobeOptions = {},
): Promise<ProcessResult> {
  const { inputOptions: given = [], ...tool } = opts;
  const input = resolve(path);
  return runProcess({
    command: "ffprobe",
    args: ["-v", "error", ...given, ...inputOptions(input, given), ...args, "-i", input],
    ...tool,
  });
}

/** ffprobe's JSON description of a file's format and streams (unparsed). */
export async function ffprobeJson(path: string, opts: FfprobeOptions = {}): Promise<unknown> {
  const { stdout } = await ffprobe(path, ["-print_format", "json", "-show_format", "-show_streams"], opts);
  return JSON.parse(stdout) as unknown;
}
