"use client";

import { useEffect, useState } from "react";
import type { WatchState } from "./task-state";
import { etaSeconds, progressOf, stageCounts } from "./task-state";

const STAGE_WORD: Record<string, string> = {
  asr: "transcribed",
  translate: "translated",
  modelin: "prepared",
  tts: "spoken",
  align: "aligned",
  audiogen: "voiced",
};

/** What is being worked on now, from the latest `segment` events. */
function activity(state: WatchState): string {
  if (state.status === "queued") return "Waiting for a worker…";
  const redubs = Object.keys(state.redubbing).map((i) => Number(i) + 1);
  if (redubs.length > 0) return `Re-dubbing part ${redubs.join(", ")}…`;
  if (state.status !== "processing") return "\u00a0";
  const active = Object.entries(state.segmentStages)
    .filter(([, stage]) => !stage.endsWith(" done"))
    .map(([index, stage]) => `part ${Number(index) + 1}: ${stage}`);
  return active.length > 0 ? `Working on ${active.slice(0, 3).join(", ")}` : "Working…";
}

function formatEta(sec: number): string {
  if (sec < 60) return `about ${Math.max(5, Math.round(sec / 5) * 5)} s left`;
  if (sec < 3600) return `about ${Math.round(sec / 60)} min left`;
  return `about ${Math.floor(sec / 3600)} h ${Math.round((sec % 3600) / 60)} min left`;
}

/** Re-renders every few seconds so the ETA counts down between events. */
function useNow(enabled: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!enabled) return;
    const t = setInterval(() => setNow(Date.now()), 5000);
    return () => clearInterval(t);
  }, [enabled]);
  return now;
}

/** Fixed-height block so the layout does not move while the numbers change. */
export function ProgressPanel({ state, connected }: { state: WatchState; connected: boolean }) {
  const fraction = progressOf(state);
  const percent = Math.round(fraction * 100);
  const now = useNow(state.status === "processing");
  const eta = etaSeconds(state, now);
  const counts = stageCounts(state.sentences);
  return (
    <section className="progress-panel" aria-label="Progress">
      <div className="progress-head">
        <span id="status" className={`status status-${state.status}`}>
          {state.status}
        </span>
        <span id="eta" className="eta muted" aria-live="off">
          {state.status === "processing"
            ? eta !== null
              ? formatEta(eta)
              : state.publishedCount === 0
                ? "dubbing the first part…"
                : "\u00a0"
            : "\u00a0"}
        </span>
        {!connected && (
          <span className="reconnecting" role="status">
            Reconnecting…
          </span>
        )}
      </div>
      <div id="progress" data-published={state.publishedCount} data-total={state.segmentCount ?? ""}>
        <p className="progress-text">
          {state.publishedCount} / {state.segmentCount ?? "?"} segments published
        </p>
        <progress className="progress-bar" max={100} value={percent} aria-label={`${percent}% done`} />
      </div>
      <p className="stage-counts muted" id="stage-counts">
        {counts.length > 0
          ? counts.map((c) => `${c.count} ${STAGE_WORD[c.stage] ?? c.stage}`).join(" · ")
          : "\u00a0"}
      </p>
      <p className="progress-activity muted">{activity(state)}</p>
    </section>
  );
}
