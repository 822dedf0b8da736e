"use client";

import type { WatchState } from "./task-state";
import { progressOf } from "./task-state";

/** What is being worked on now, from the latest `segment` events. */
function activity(state: WatchState): string {
  if (state.status === "queued") return "Waiting for a worker…";
  if (state.status !== "processing") return "\u00a0";
  const active = Object.entries(state.segmentStages)
    .filter(([, stage]) => !stage.endsWith(" done"))
    .map(([index, stage]) => `part ${Number(index) + 1}: ${stage}`);
  return active.length > 0 ? `Working on ${active.slice(0, 3).join(", ")}` : "Working…";
}

/** Fixed-height block so the layout does not move while the numbers change. */
export function ProgressPanel({ state, connected }: { state: WatchState; connected: boolean }) {
  const fraction = progressOf(state);
  const percent = Math.round(fraction * 100);
  return (
    <section className="progress-panel" aria-label="Progress">
      <div className="progress-head">
        <span id="status" className={`status status-${state.status}`}>
          {state.status}
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
      <p className="progress-activity muted">{activity(state)}</p>
    </section>
  );
}
