/**
 * What `npm start` does about models: nothing when the pack is there; otherwise fetch the
 * missing ones in the background (the caller does not wait) with a progress line now and
 * then, or — with MODELS_AUTO_DOWNLOAD=0, or when the downloads fail (offline) — say
 * exactly which models are missing, where each comes from and where it goes.
 */
import path from "node:path";
import { PipelineError } from "../errors";
import { describeMissing, manualInstallLine } from "./download";
import { fetchModelPack, missingModels } from "./first-run";
import type { ModelEntry } from "./manifest";
import { packProgressLine } from "./pack-status";

export type FirstStartOutcome = "ready" | "disabled" | "fetched" | "incomplete" | "busy";

export interface FirstStartOptions {
  modelsDir: string;
  entries: readonly ModelEntry[];
  autoDownload: boolean;
  /** Where the messages go (one line or paragraph per call). */
  print: (text: string) => void;
  signal?: AbortSignal;
  /** Least time between two progress lines (state changes always print). */
  progressEveryMs?: number;
  attempts?: number;
}

const sizeOf = (entries: readonly ModelEntry[]) => entries.reduce((n, e) => n + (e.sizeMb ?? 0), 0);

export async function firstStartModels(opts: FirstStartOptions): Promise<FirstStartOutcome> {
  const modelsDir = path.resolve(opts.modelsDir);
  const missing = await missingModels(modelsDir, opts.entries);
  if (missing.length === 0) return "ready";
  if (!opts.autoDownload) {
    opts.print(
      `MODELS_AUTO_DOWNLOAD=0: not downloading. ${missing.length} model(s) of the default pack are missing from ${modelsDir}:\n` +
        `${missing.map((e) => manualInstallLine(modelsDir, e)).join("\n")}\nRun \`npm run models\` to fetch them, or put the files there by hand.`,
    );
    return "disabled";
  }
  opts.print(
    `Fetching ${missing.length} missing model(s) (~${sizeOf(missing)} MB) into ${modelsDir} in the background; ` +
      "the app is usable meanwhile and each model serves as soon as it is in place. MODELS_AUTO_DOWNLOAD=0 turns this off.",
  );
  // A line when a model lands, and every few seconds while bytes flow; failures are
  // listed once at the end (offline, every model fails at once: one message, not a storm).
  let lastLine = 0;
  let landed = 0;
  try {
    const { report } = await fetchModelPack({
      modelsDir,
      entries: missing,
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(opts.attempts ? { attempts: opts.attempts } : {}),
      onStatus: (status) => {
        const done = status.models.filter((m) => m.state === "installed").length;
        const flowing = status.models.some((m) => m.state === "downloading" && m.received > 0);
        const due = flowing && Date.now() - lastLine >= (opts.progressEveryMs ?? 5_000);
        if (done === landed && !due) return;
        landed = done;
        lastLine = Date.now();
        opts.print(packProgressLine(status));
      },
    });
    if (report.failed.length > 0) {
      opts.print(describeMissing(modelsDir, report.failed));
      return "incomplete";
    }
    opts.print(`Models ready in ${modelsDir}: ${report.installed.map((e) => e.target).join(", ")}.`);
    return "fetched";
  } catch (err) {
    if (err instanceof PipelineError && err.code === "MODEL_DOWNLOAD_BUSY") {
      opts.print(err.message);
      return "busy";
    }
    throw err;
  }
}
