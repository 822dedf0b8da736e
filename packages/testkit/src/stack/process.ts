/**
 * A program of this repository run as a child process (the web server or a worker): started
 * as `node --import tsx <file>`, not through the tsx CLI, so the pid is the program itself —
 * its peak RSS can be read from /proc and a SIGKILL leaves no orphan behind.
 */
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { createWriteStream } from "node:fs";
import type { WriteStream } from "node:fs";
import { readdir, readFile } from "node:fs/promises";

const TAIL_CHARS = 16_000;

export interface StackProcessOptions {
  name: string;
  /** The entry file, absolute or relative to `cwd` (where `tsx` must resolve). */
  file: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Append stdout and stderr here as well as to the in-memory tail. */
  logFile?: string;
  /** Grace period between SIGTERM and SIGKILL in `stop()`. */
  stopGraceMs?: number;
  /** Called when the process exits with a non-zero code by itself (not by a signal we sent). */
  onCrash?: (proc: StackProcess, code: number) => void;
}

export class StackProcess {
  proc: ChildProcess | null = null;
  /** How many times `restart()` ran. */
  restarts = 0;
  private tailText = "";
  private log: WriteStream | null = null;
  /** Set while we are the ones ending it, so that exit is not reported as a crash. */
  private ending = false;

  constructor(private readonly opts: StackProcessOptions) {}

  get name(): string {
    return this.opts.name;
  }
  get pid(): number | undefined {
    return this.proc?.pid;
  }
  get alive(): boolean {
    return this.proc !== null && this.proc.exitCode === null && this.proc.signalCode === null;
  }
  /** The last few thousand characters the process wrote (stdout and stderr together). */
  get tail(): string {
    return this.tailText;
  }

  start(): this {
    if (this.alive) throw new Error(`${this.name} is already running`);
    if (this.opts.logFile && !this.log) this.log = createWriteStream(this.opts.logFile, { flags: "a" });
    const p = spawn(process.execPath, ["--import", "tsx", this.opts.file], {
      cwd: this.opts.cwd,
      env: this.opts.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const keep = (d: Buffer) => {
      this.tailText = (this.tailText + d.toString()).slice(-TAIL_CHARS);
      this.log?.write(d);
    };
    p.stdout.on("data", keep);
    p.stderr.on("data", keep);
    p.on("exit", (code, signal) => {
      if (code && signal === null && !this.ending) this.opts.onCrash?.(this, code);
    });
    this.proc = p;
    this.ending = false;
    return this;
  }

  /** Sends `signal` and waits for the exit. */
  async kill(signal: NodeJS.Signals = "SIGKILL"): Promise<void> {
    const p = this.proc;
    if (!p || !this.alive) return;
    const exited = new Promise((r) => p.once("exit", r));
    this.ending = true;
    p.kill(signal);
    await exited;
  }

  /** SIGTERM (graceful shutdown), then SIGKILL after the grace period. */
  async stop(): Promise<void> {
    const p = this.proc;
    if (!p || !this.alive) return;
    const exited = new Promise((r) => p.once("exit", r));
    const force = setTimeout(() => p.kill("SIGKILL"), this.opts.stopGraceMs ?? 15_000);
    this.ending = true;
    p.kill("SIGTERM");
    await exited;
    clearTimeout(force);
  }

  async restart(signal: NodeJS.Signals = "SIGKILL"): Promise<void> {
    await this.kill(signal);
    this.restarts++;
    this.start();
  }

  /** Peak resident memory of the running process (VmHWM), in MB. */
  peakRssMb(): Promise<number | null> {
    return peakRssMb(this.pid);
  }

  /** Closes the log file (after the process has exited). */
  async closeLog(): Promise<void> {
    const log = this.log;
    this.log = null;
    if (log) await new Promise((r) => log.end(r));
  }
}

/** Peak resident memory (VmHWM) of a live process, in MB; null when it is gone or unreadable. */
export async function peakRssMb(pid: number | undefined): Promise<number | null> {
  if (!pid) return null;
  try {
    const status = await readFile(`/proc/${pid}/status`, "utf8");
    const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1]);
    return Number.isFinite(kb) ? Math.round(kb / 1024) : null;
  } catch {
    return null;
  }
}

const CLOCK_TICKS = 100; // USER_HZ on Linux

/**
 * CPU seconds (user + system, including waited-for children) used so far by a process and,
 * with `tree`, by its live descendants too — e.g. a browser and its renderers. Null when
 * /proc cannot be read.
 */
export async function cpuSeconds(
  pid: number | undefined,
  opts: { tree?: boolean } = {},
): Promise<number | null> {
  if (!pid) return null;
  const stats = new Map<number, { ppid: number; ticks: number }>();
  const pids = opts.tree
    ? (await readdir("/proc").catch(() => [])).filter((d) => /^\d+$/.test(d))
    : [String(pid)];
  for (const p of pids) {
    const text = await readFile(`/proc/${p}/stat`, "utf8").catch(() => null);
    if (!text) continue;
    // Fields after the ")" that closes the command name: state ppid … utime(14) stime cutime cstime.
    const f = text.slice(text.lastIndexOf(")") + 2).split(" ");
    const n = (i: number) => Number(f[i - 3]);
    stats.set(Number(p), { ppid: n(4), ticks: n(14) + n(15) + n(16) + n(17) });
  }
  if (!stats.has(pid)) return null;
  let ticks = 0;
  const wanted = new Set([pid]);
  // A child's pid is usually, not always, above its parent's: repeat until nothing is added.
  for (let grew = true; grew;) {
    grew = false;
    for (const [p, s] of stats) {
      if (wanted.has(p) || !wanted.has(s.ppid)) continue;
      wanted.add(p);
      grew = true;
    }
  }
  for (const p of wanted) ticks += stats.get(p)?.ticks ?? 0;
  return ticks / CLOCK_TICKS;
}
