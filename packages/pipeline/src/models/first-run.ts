/**
 * Fetching the model pack with visible progress: one downloader at a time per MODELS_DIR
 * (a pid lock file), every entry through installModel (resumable `.part` file, sha256
 * check, moved into place only when complete), and a status file others can read
 * (pack-status.ts) rewritten on every change and at least every few seconds.
 */
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { PipelineError } from "../errors";
import { installModel, isInstalled, readLock } from "./download";
import type { InstallReport } from "./download";
import type { ModelEntry } from "./manifest";
import { STATUS_HEARTBEAT_MS, writeModelPackStatus } from "./pack-status";
import type { ModelPackStatus, ModelProgress } from "./pack-status";

export interface FetchModelPackOptions {
  modelsDir: string;
  entries: readonly ModelEntry[];
  signal?: AbortSignal;
  attempts?: number;
  /** Called on every status change once it is written; byte progress at most every `throttleMs`. */
  onStatus?: (status: ModelPackStatus) => void;
  throttleMs?: number;
}

/** The entries not yet installed in `modelsDir`. */
export async function missingModels(
  modelsDir: string,
  entries: readonly ModelEntry[],
): Promise<ModelEntry[]> {
  const out: ModelEntry[] = [];
  for (const e of entries) if (!(await isInstalled(modelsDir, e))) out.push(e);
  return out;
}

const lockFile = (modelsDir: string) => path.join(modelsDir, ".downloads", "pack.lock");

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Takes the per-folder download lock; a lock left by a dead process is taken over. */
async function acquireLock(modelsDir: string): Promise<() => Promise<void>> {
  const file = lockFile(modelsDir);
  for (let tries = 0; tries < 2; tries++) {
    try {
      await writeFile(file, String(process.pid), { flag: "wx" });
      return () => rm(file, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const pid = Number(await readFile(file, "utf8").catch(() => ""));
      if (Number.isInteger(pid) && pid > 0 && alive(pid)) {
        throw new PipelineError({
          code: "MODEL_DOWNLOAD_BUSY",
          category: "system",
          message: `Another process (pid ${pid}) is downloading models into ${modelsDir}; its progress is in .downloads/status.json.`,
        });
      }
      await rm(file, { force: true });
    }
  }
  throw new PipelineError({
    code: "MODEL_DOWNLOAD_BUSY",
    category: "system",
    message: `Could not take the download lock ${file}.`,
  });
}

const errorOf = (e: unknown): { code: string; message: string } => ({
  code: e instanceof PipelineError ? e.code : "MODEL_DOWNLOAD_FAILED",
  message: e instanceof Error ? e.message : String(e),
});

export async function fetchModelPack(
  opts: FetchModelPackOptions,
): Promise<{ report: InstallReport; status: ModelPackStatus }> {
  const modelsDir = path.resolve(opts.modelsDir);
  await mkdir(path.join(modelsDir, ".downloads"), { recursive: true });
  const release = await acquireLock(modelsDir);
  const now = () => new Date().toISOString();
  const models: ModelProgress[] = opts.entries.map((e) => ({
    target: e.target,
    purpose: e.purpose,
    state: "pending",
    received: 0,
    total: e.sizeMb ? e.sizeMb * 1e6 : null,
    path: path.join(modelsDir, e.target),
    url: e.url,
  }));
  const status: ModelPackStatus = {
    version: 1,
    state: "running",
    modelsDir,
    pid: process.pid,
    startedAt: now(),
    updatedAt: now(),
    models,
  };

  // Writes are chained so a slow disk never reorders two versions of the file.
  let writing: Promise<void> = Promise.resolve();
  let lastWrite = 0;
  const publish = (force: boolean) => {
    const t = Date.now();
    if (!force && t - lastWrite < (opts.throttleMs ?? 500)) return;
    lastWrite = t;
    status.updatedAt = now();
    const snapshot = structuredClone(status);
    // Observers hear of a status once it is on disk, so what they read there agrees with it
    // (told first, a reader could find the file a version behind: fraction null mid-download).
    writing = writing
      .then(() => writeModelPackStatus(snapshot))
      .catch(() => undefined)
      .then(() => opts.onStatus?.(snapshot))
      .catch(() => undefined);
  };
  const heartbeat = setInterval(() => publish(true), STATUS_HEARTBEAT_MS);
  heartbeat.unref();

  const report: InstallReport = { installed: [], present: [], failed: [] };
  try {
    publish(true);
    const lock = await readLock(modelsDir);
    for (const [i, entry] of opts.entries.entries()) {
      const m = models[i] as ModelProgress;
      try {
        m.state = "downloading";
        publish(true);
        const r = await installModel({
          modelsDir,
          entry,
          lock,
          ...(opts.signal ? { signal: opts.signal } : {}),
          ...(opts.attempts ? { attempts: opts.attempts } : {}),
          onProgress: ({ received, total }) => {
            m.received = received;
            if (total !== null) m.total = total;
            publish(false);
          },
        });
        m.state = r;
        if (m.total !== null) m.received = m.total;
        report[r].push(entry);
      } catch (err) {
        if (opts.signal?.aborted) throw err;
        m.state = "failed";
        m.error = errorOf(err);
        report.failed.push({ entry, error: err instanceof Error ? err : new Error(String(err)) });
      }
      publish(true);
    }
    status.state = report.failed.length > 0 ? "incomplete" : "done";
  } catch (err) {
    status.state = "incomplete";
    throw err;
  } finally {
    clearInterval(heartbeat);
    publish(true);
    await writing;
    await release();
  }
  return { report, status: structuredClone(status) };
}
