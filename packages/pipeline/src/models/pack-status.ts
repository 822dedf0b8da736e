/**
 * Progress of a model-pack download, as a small JSON file in MODELS_DIR
 * (`.downloads/status.json`) that the downloader rewrites atomically and anything else
 * (the upload page's banner, via the web server) reads. Reading needs only the file system.
 */
import { readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";

const modelProgressSchema = z.object({
  target: z.string(),
  purpose: z.string(),
  /** pending → downloading → installed | failed; present: was already there. */
  state: z.enum(["pending", "downloading", "installed", "present", "failed"]),
  received: z.number().nonnegative(),
  total: z.number().nonnegative().nullable(),
  /** Where it goes (absolute), and where it comes from — what a user needs when offline. */
  path: z.string(),
  url: z.string(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});

export const modelPackStatusSchema = z.object({
  version: z.literal(1),
  /** running: a downloader is at work; done: everything is there; incomplete: it stopped with models missing. */
  state: z.enum(["running", "done", "incomplete"]),
  modelsDir: z.string(),
  pid: z.number().int(),
  startedAt: z.string(),
  updatedAt: z.string(),
  models: z.array(modelProgressSchema),
});

export type ModelProgress = z.infer<typeof modelProgressSchema>;
export type ModelPackStatus = z.infer<typeof modelPackStatusSchema>;

/** A reader's view: `stalled` when a "running" file has not been touched for a while (downloader killed). */
export type ModelPackView = ModelPackStatus & {
  stalled: boolean;
  /** 0..1 over the models with a known size; null when no size is known yet. */
  fraction: number | null;
};

/** The downloader touches the file at least this often while it runs. */
export const STATUS_HEARTBEAT_MS = 5_000;
const STALE_AFTER_MS = 6 * STATUS_HEARTBEAT_MS;

export const packStatusPath = (modelsDir: string): string =>
  path.join(modelsDir, ".downloads", "status.json");

export async function writeModelPackStatus(status: ModelPackStatus): Promise<void> {
  const file = packStatusPath(status.modelsDir);
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(status, null, 2)}\n`);
  await rename(tmp, file);
}

function overallFraction(models: readonly ModelProgress[]): number | null {
  let received = 0;
  let total = 0;
  for (const m of models) {
    if (m.total === null) continue;
    total += m.total;
    received += m.state === "installed" || m.state === "present" ? m.total : Math.min(m.received, m.total);
  }
  return total > 0 ? received / total : null;
}

/**
 * The last download's progress, or null when none was ever written (or the file is not
 * ours). Never throws: the web calls it on every engines request.
 */
export async function readModelPackStatus(modelsDir: string, now = Date.now()): Promise<ModelPackView | null> {
  let raw: string;
  try {
    raw = await readFile(packStatusPath(path.resolve(modelsDir)), "utf8");
  } catch {
    return null;
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return null;
  }
  const parsed = modelPackStatusSchema.safeParse(json);
  if (!parsed.success) return null;
  const status = parsed.data;
  const stalled = status.state === "running" && now - Date.parse(status.updatedAt) > STALE_AFTER_MS;
  return { ...status, stalled, fraction: overallFraction(status.models) };
}

/** What the web may show anyone (no paths, URLs or pids): per-model progress for the upload page's banner. */
export interface ModelPackProgress {
  /** stalled: a download was running but its process stopped writing (killed). */
  state: "running" | "done" | "incomplete" | "stalled";
  fraction: number | null;
  updatedAt: string;
  models: {
    name: string;
    purpose: string;
    state: ModelProgress["state"];
    received: number;
    total: number | null;
    /** Error code only (e.g. MODEL_DOWNLOAD_FAILED); the terminal has the detail. */
    error?: string;
  }[];
}

/** readModelPackStatus, reduced to what a browser may see; null when no download was ever started. */
export async function readModelPackProgress(
  modelsDir: string,
  now = Date.now(),
): Promise<ModelPackProgress | null> {
  const view = await readModelPackStatus(modelsDir, now);
  if (!view) return null;
  return {
    state: view.stalled ? "stalled" : view.state,
    fraction: view.fraction,
    updatedAt: view.updatedAt,
    models: view.models.map((m) => ({
      name: path.basename(m.target),
      purpose: m.purpose,
      state: m.state,
      received: m.received,
      total: m.total,
      ...(m.error ? { error: m.error.code } : {}),
    })),
  };
}

/** One terminal line: `models 2/6 [#####.....]  41% · qwen2.5-1.5b-instruct-q4_k_m.gguf 120.0/1117.3 MB`. */
export function packProgressLine(status: ModelPackStatus, width = 20): string {
  const finished = status.models.filter((m) => m.state === "installed" || m.state === "present").length;
  const frac = overallFraction(status.models) ?? 0;
  const filled = Math.round(Math.max(0, Math.min(1, frac)) * width);
  const bar = `[${"#".repeat(filled)}${".".repeat(width - filled)}] ${String(Math.floor(frac * 100)).padStart(3)}%`;
  const now = status.models.find((m) => m.state === "downloading");
  const mb = (n: number) => (n / 1e6).toFixed(1);
  const current = now
    ? ` · ${path.basename(now.target)} ${mb(now.received)}${now.total === null ? "" : `/${mb(now.total)}`} MB`
    : "";
  return `models ${finished}/${status.models.length} ${bar}${current}`;
}
