/**
 * The upload page's banner about the model pack download (first run): what is on its
 * way, how far it is, and what to do when it stopped. The server sends the progress as
 * `downloads` in GET /api/engines (readModelPackProgress); this turns it into text.
 */
import type { ModelPackProgress } from "@vitranslator/pipeline";

export interface DownloadRow {
  name: string;
  purpose: string;
  /** 0..100, null while the size is unknown. */
  percent: number | null;
  text: string;
}

export interface DownloadBanner {
  tone: "progress" | "problem";
  title: string;
  rows: DownloadRow[];
  hint: string;
}

const mb = (n: number) => `${Math.round(n / 1e6)} MB`;

function rowOf(m: ModelPackProgress["models"][number]): DownloadRow {
  const percent = m.total ? Math.min(100, Math.floor((m.received / m.total) * 100)) : null;
  const text =
    m.state === "failed"
      ? `not downloaded (${m.error ?? "error"})`
      : m.state === "pending"
        ? "waiting"
        : m.state === "downloading"
          ? `${mb(m.received)}${m.total ? ` of ${mb(m.total)}` : ""}`
          : "ready";
  return { name: m.name, purpose: m.purpose, percent: m.state === "downloading" ? percent : null, text };
}

/** null when there is nothing to say (no download, or every model in place). */
export function downloadBanner(progress: ModelPackProgress | null | undefined): DownloadBanner | null {
  if (!progress || progress.state === "done") return null;
  const waiting = progress.models.filter((m) => m.state !== "present" && m.state !== "installed");
  if (waiting.length === 0) return null;
  const ready = progress.models.length - waiting.length;
  const rows = waiting.map(rowOf);
  if (progress.state === "running") {
    const overall = progress.fraction === null ? "" : `, ${Math.floor(progress.fraction * 100)}%`;
    return {
      tone: "progress",
      title: `Downloading the local models (${ready} of ${progress.models.length} ready${overall})`,
      rows,
      hint: "Each one works as soon as it is in place; until then, what it does needs subtitles or a configured service.",
    };
  }
  return {
    tone: "problem",
    title:
      progress.state === "stalled"
        ? "The model download stopped before it finished"
        : `${waiting.length} local model(s) could not be downloaded`,
    rows,
    hint: "Run `npm run models` on the server when it is online; the terminal lists each missing file and where it goes.",
  };
}
