"use client";

import { useEffect, useState } from "react";
import type { ModelPackProgress } from "@vitranslator/pipeline";
import { downloadBanner } from "./model-downloads";

const POLL_MS = 3_000;

/** The first-run model download, per model, while it runs (polls GET /api/engines); nothing otherwise. */
export function ModelDownloadBanner() {
  const [progress, setProgress] = useState<ModelPackProgress | null>(null);

  useEffect(() => {
    const ctl = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const res = await fetch("/api/engines", { signal: ctl.signal, cache: "no-store" });
        const body = res.ok ? ((await res.json()) as { downloads?: ModelPackProgress | null }) : null;
        const next = body?.downloads ?? null;
        setProgress(next);
        if (next?.state !== "running") return;
      } catch {
        if (ctl.signal.aborted) return;
      }
      timer = setTimeout(() => void poll(), POLL_MS);
    };
    void poll();
    return () => {
      ctl.abort();
      clearTimeout(timer);
    };
  }, []);

  const banner = downloadBanner(progress);
  if (!banner) return null;
  return (
    <section className={`model-banner model-banner-${banner.tone}`} aria-live="polite">
      <p className="model-banner-title">{banner.title}</p>
      <ul className="model-banner-rows">
        {banner.rows.map((r) => (
          <li key={r.name}>
            <span className="model-banner-purpose">{r.purpose}</span>
            {r.percent === null ? <span /> : <progress max={100} value={r.percent} aria-label={r.name} />}
            <span className="muted">{r.text}</span>
          </li>
        ))}
      </ul>
      <p className="hint">{banner.hint}</p>
    </section>
  );
}
