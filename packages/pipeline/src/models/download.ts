/**
 * Downloading the model pack: resumable (HTTP Range into `.part` files), checked by sha256
 * (pinned in the manifest, or recorded on first download in `models.lock.json` and
 * enforced afterwards), archives extracted with the `tar` program into a temporary folder
 * and moved into place only when complete — an interrupted run never leaves half a model.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, open, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { PipelineError } from "../errors";
import { runProcess } from "../media/process";
import type { ModelEntry } from "./manifest";

export interface ModelsLock {
  version: 1;
  files: Record<string, { sha256: string; bytes: number; verifiedAt: string }>;
}

export interface DownloadProgress {
  entry: ModelEntry;
  received: number;
  /** null when the server sends no length. */
  total: number | null;
}

export const lockPath = (modelsDir: string) => path.join(modelsDir, "models.lock.json");

export async function readLock(modelsDir: string): Promise<ModelsLock> {
  try {
    const parsed = JSON.parse(await readFile(lockPath(modelsDir), "utf8")) as Partial<ModelsLock>;
    return { version: 1, files: parsed.files ?? {} };
  } catch {
    return { version: 1, files: {} };
  }
}

async function writeLock(modelsDir: string, lock: ModelsLock): Promise<void> {
  const tmp = `${lockPath(modelsDir)}.tmp`;
  await writeFile(tmp, `${JSON.stringify(lock, null, 2)}\n`);
  await rename(tmp, lockPath(modelsDir));
}

const size = (p: string) =>
  stat(p).then(
    (s) => s.size,
    () => 0,
  );

export async function sha256File(p: string): Promise<string> {
  const hash = createHash("sha256");
  await pipeline(createReadStream(p), hash);
  return hash.digest("hex");
}

/** Whether the entry's target is already in MODELS_DIR. */
export async function isInstalled(modelsDir: string, entry: ModelEntry): Promise<boolean> {
  try {
    const s = await stat(path.join(modelsDir, entry.target));
    return entry.format === "file" ? s.isFile() && s.size > 0 : s.isDirectory();
  } catch {
    return false;
  }
}

function unreachable(entry: ModelEntry, cause: unknown): PipelineError {
  const detail =
    cause instanceof Error ? ((cause.cause as Error | undefined)?.message ?? cause.message) : String(cause);
  return new PipelineError({
    code: "MODEL_DOWNLOAD_FAILED",
    category: "third_party",
    message: `Could not download ${entry.url} (${detail})`,
    cause,
  });
}

/**
 * Fetches `entry.url` into `part`, continuing from the bytes already there. Retries a
 * dropped connection from where it stopped, up to `attempts` times.
 */
async function fetchResumable(opts: {
  entry: ModelEntry;
  part: string;
  attempts: number;
  onProgress?: (p: DownloadProgress) => void;
  signal?: AbortSignal;
}): Promise<void> {
  const { entry, part } = opts;
  let lastError: unknown;
  for (let attempt = 0; attempt < opts.attempts; attempt++) {
    const have = await size(part);
    let res: Response;
    try {
      res = await fetch(entry.url, {
        headers: have > 0 ? { Range: `bytes=${have}-` } : {},
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
    } catch (err) {
      throw unreachable(entry, err);
    }
    if (res.status === 416 && have > 0) return; // the part file already holds everything
    if (!res.ok || !res.body) {
      throw new PipelineError({
        code: "MODEL_DOWNLOAD_FAILED",
        category: "third_party",
        message: `Download of ${entry.url} failed: HTTP ${res.status}`,
      });
    }
    const resumed = res.status === 206;
    if (!resumed && have > 0) await rm(part, { force: true }); // server ignored Range: start over
    const start = resumed ? have : 0;
    const length = Number(res.headers.get("content-length") ?? NaN);
    const total = Number.isFinite(length) ? start + length : null;
    let received = start;
    // Each chunk is written before the next is read, so a dropped connection keeps every
    // byte received and the next attempt asks for exactly the rest.
    const fh = await open(part, resumed ? "a" : "w");
    try {
      for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
        await fh.write(chunk);
        received += chunk.length;
        opts.onProgress?.({ entry, received, total });
      }
      if (total !== null && received < total) throw new Error("connection closed early");
      return;
    } catch (err) {
      if (opts.signal?.aborted) throw err;
      lastError = err;
    } finally {
      await fh.close();
    }
  }
  throw unreachable(entry, lastError);
}

/**
 * Downloads, verifies and installs one entry (no-op when installed). The lock object is
 * updated in place and written when a new digest is recorded.
 */
export async function installModel(opts: {
  modelsDir: string;
  entry: ModelEntry;
  lock: ModelsLock;
  onProgress?: (p: DownloadProgress) => void;
  signal?: AbortSignal;
  attempts?: number;
}): Promise<"installed" | "present"> {
  const { modelsDir, entry, lock } = opts;
  if (await isInstalled(modelsDir, entry)) return "present";
  const downloads = path.join(modelsDir, ".downloads");
  await mkdir(downloads, { recursive: true });
  const part = path.join(downloads, `${path.basename(new URL(entry.url).pathname)}.part`);
  await fetchResumable({
    entry,
    part,
    attempts: opts.attempts ?? 3,
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  const digest = await sha256File(part);
  const expected = entry.sha256 ?? lock.files[entry.url]?.sha256;
  if (expected && expected.toLowerCase() !== digest) {
    await rm(part, { force: true });
    throw new PipelineError({
      code: "MODEL_CHECKSUM_MISMATCH",
      category: "third_party",
      message: `${entry.url}: sha256 ${digest} does not match the expected ${expected}${entry.sha256 ? " (pinned in the manifest)" : ` (recorded in ${lockPath(modelsDir)} on the first download)`}. The file was deleted; run again, or delete the lock entry if the release was knowingly replaced.`,
    });
  }
  if (!expected) {
    lock.files[entry.url] = { sha256: digest, bytes: await size(part), verifiedAt: new Date().toISOString() };
    await writeLock(modelsDir, lock);
  }
  const dest = path.join(modelsDir, entry.target);
  await mkdir(path.dirname(dest), { recursive: true });
  if (entry.format === "file") {
    await rename(part, dest);
    return "installed";
  }
  const tmp = path.join(downloads, `extract-${path.basename(entry.target)}`);
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  try {
    await runProcess({
      command: "tar",
      args: ["-xjf", part, "-C", tmp],
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    const extracted = path.join(tmp, path.basename(entry.target));
    if (
      !(await stat(extracted).then(
        (s) => s.isDirectory(),
        () => false,
      ))
    ) {
      throw new PipelineError({
        code: "MODEL_ARCHIVE_UNEXPECTED",
        category: "third_party",
        message: `${entry.url} did not contain the folder ${path.basename(entry.target)}/`,
      });
    }
    await rename(extracted, dest);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  await rm(part, { force: true });
  return "installed";
}

export interface InstallReport {
  installed: ModelEntry[];
  present: ModelEntry[];
  failed: { entry: ModelEntry; error: PipelineError | Error }[];
}

/** Installs every entry, going on past failures so one report says everything that is missing. */
export async function installModels(opts: {
  modelsDir: string;
  entries: readonly ModelEntry[];
  onProgress?: (p: DownloadProgress) => void;
  signal?: AbortSignal;
  attempts?: number;
}): Promise<InstallReport> {
  await mkdir(opts.modelsDir, { recursive: true });
  const lock = await readLock(opts.modelsDir);
  const report: InstallReport = { installed: [], present: [], failed: [] };
  for (const entry of opts.entries) {
    try {
      const r = await installModel({ ...opts, entry, lock });
      report[r === "present" ? "present" : "installed"].push(entry);
    } catch (err) {
      if (opts.signal?.aborted) throw err;
      report.failed.push({ entry, error: err instanceof Error ? err : new Error(String(err)) });
    }
  }
  return report;
}

/** One missing model, for a person: what it is, where it comes from and where it goes. */
export function manualInstallLine(modelsDir: string, entry: ModelEntry): string {
  const where = path.join(modelsDir, entry.target);
  const how =
    entry.format === "tar.bz2"
      ? `download and run \`tar -xjf <file> -C ${modelsDir}\` (gives ${where}/)`
      : `save it as ${where}`;
  return `  - ${entry.purpose}${entry.sizeMb ? ` (~${entry.sizeMb} MB)` : ""}\n    ${entry.url}\n    ${how}`;
}

/** What to tell a user whose downloads failed: each missing model, its URL and where it goes. */
export function describeMissing(modelsDir: string, failed: InstallReport["failed"]): string {
  const lines = failed.map(
    ({ entry, error }) => `${manualInstallLine(modelsDir, entry)}\n    error: ${error.message}`,
  );
  return `These models are missing (no internet, or the server refused):\n${lines.join("\n")}\nRun \`npm run models\` again when online; finished parts are kept and resumed.`;
}

/** A one-line terminal progress bar: `label [#####.....]  42% 12.3/29.0 MB`. */
export function renderProgressBar(opts: {
  label: string;
  received: number;
  total: number | null;
  width?: number;
}): string {
  const mb = (n: number) => (n / 1e6).toFixed(1);
  if (!opts.total) return `${opts.label} ${mb(opts.received)} MB`;
  const width = opts.width ?? 30;
  const frac = Math.max(0, Math.min(1, opts.received / opts.total));
  const filled = Math.round(frac * width);
  return `${opts.label} [${"#".repeat(filled)}${".".repeat(width - filled)}] ${String(Math.floor(frac * 100)).padStart(3)}% ${mb(opts.received)}/${mb(opts.total)} MB`;
}
