"use client";

import type { EngineKind, EnginesReport } from "./engines";
import { blockingReason } from "./engines";
import { Alert } from "./alert";

const LABELS: Record<Exclude<EngineKind, "vad">, string> = {
  asr: "Speech recognition",
  translation: "Translation",
  tts: "Voice",
  separation: "Voice/music separation",
  diarization: "Speaker labels",
};

/** Which engine will do each step, and for those that cannot, what is missing and the fix. */
export function EnginesPanel({ report, failed }: { report: EnginesReport | null; failed: boolean }) {
  if (!report)
    return (
      <section className="engines card" aria-live="polite">
        <p className="muted">
          {failed ? "Cannot reach the server to see its engines." : "Checking the engines…"}
        </p>
      </section>
    );
  const blocked = blockingReason(report);
  const kinds = Object.keys(LABELS) as (keyof typeof LABELS)[];
  return (
    <section className="engines card" aria-labelledby="engines-title" aria-live="polite">
      <h2 id="engines-title">Engines</h2>
      <Alert message={blocked} />
      {report.workers > 0 && (
        <ul className="engine-list">
          {kinds.map((kind) => {
            const s = report.engines[kind];
            return (
              <li key={kind} className={s.ready ? "engine ready" : "engine missing"} data-kind={kind}>
                <span className="engine-kind">{LABELS[kind]}</span>
                <span className="engine-state">{s.ready ? (s.name ? s.label : "off") : "not ready"}</span>
                {!s.ready && s.missing && (
                  <span className="engine-fix">
                    {s.missing.what}. Fix: <code>{s.missing.fix}</code>
                  </span>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {report.workers === 0 && (
        <p className="hint">
          Start them with <code>npm start</code> (or <code>npm run workers</code>).
        </p>
      )}
    </section>
  );
}
