/** What the workers can do (GET /api/engines), refreshed while the upload page is open. */
import { useEffect, useState } from "react";
import type { EngineKind, EnginesReport, EngineStatus } from "@vitranslator/queue/capabilities";

export type { EngineKind, EnginesReport, EngineStatus };

/** How often the page asks again: a worker that starts or a model that lands shows up by itself. */
const REFRESH_MS = 10_000;

export async function fetchEngines(signal: AbortSignal): Promise<EnginesReport> {
  const res = await fetch("/api/engines", { signal, headers: { Accept: "application/json" } });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return (await res.json()) as EnginesReport;
}

/** The latest report (null until the first answer), and whether the last request failed. */
export function useEngines(): { report: EnginesReport | null; failed: boolean } {
  const [report, setReport] = useState<EnginesReport | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    const ctl = new AbortController();
    const load = () =>
      fetchEngines(ctl.signal)
        .then((r) => {
          setReport(r);
          setFailed(false);
        })
        .catch(() => {
          if (!ctl.signal.aborted) setFailed(true);
        });
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => {
      clearInterval(timer);
      ctl.abort();
    };
  }, []);
  return { report, failed };
}

/** Why no dub can start right now (the server refuses the same), or null. */
export function blockingReason(r: EnginesReport): string | null {
  if (r.workers === 0) return "No worker is running, so nothing can be dubbed yet.";
  if (r.unservedStages.length > 0)
    return `No running worker serves the ${r.unservedStages.join(", ")} stage.`;
  if (!r.engines.translation.ready) return "No translation engine is ready.";
  if (!r.engines.tts.ready) return "No speech engine is ready.";
  return null;
}

/** Voices the speech engine offers for `language`. */
export const voicesFor = (r: EnginesReport | null, language: string) =>
  (r?.engines.tts.voices ?? []).filter((v) => !v.languages || v.languages.includes(language));
