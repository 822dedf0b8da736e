import type { StageTotal } from "@vitranslator/api/types";

const ORDER = ["segment", "asr", "translate", "modelin", "tts", "align", "audiogen", "mix"];

export function formatMs(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** Where the time went: one bar per stage, scaled to the slowest stage (plain SVG). */
export function StageBars({ stages }: { stages: StageTotal[] }) {
  if (stages.length === 0) return <span className="muted">no runs yet</span>;
  const sorted = [...stages].sort((a, b) => ORDER.indexOf(a.stage) - ORDER.indexOf(b.stage));
  const max = Math.max(1, ...sorted.map((s) => s.totalMs));
  return (
    <div className="stage-bars" role="list" aria-label="Time per stage">
      {sorted.map((s) => (
        <div key={s.stage} className="stage-bar" role="listitem" data-stage={s.stage} data-ms={s.totalMs}>
          <span>{s.stage}</span>
          <svg viewBox="0 0 100 6" preserveAspectRatio="none" aria-hidden="true">
            <rect className="track" x="0" y="0" width="100" height="6" rx="2" />
            <rect
              className="fill"
              x="0"
              y="0"
              width={Math.max(1, (s.totalMs / max) * 100)}
              height="6"
              rx="2"
            />
          </svg>
          <span className="num">
            {formatMs(s.totalMs)}
            {s.errors > 0 ? ` · ${s.errors} err` : ""}
          </span>
        </div>
      ))}
    </div>
  );
}
