"use client";

import type { SentenceView } from "@vitranslator/api/types";
import { memo } from "react";
import { fitNotes, formatTime } from "./task-state";

const STAGE_LABEL: Record<string, string> = {
  pending: "waiting",
  asr: "transcribed",
  translate: "translated",
  modelin: "voice ready",
  tts: "spoken",
  align: "aligned",
  audiogen: "mixed",
  mix: "mixed",
  published: "published",
};

interface TranscriptProps {
  sentences: readonly SentenceView[];
  activeIndex: number | null;
  onSeek: (ms: number) => void;
}

function Line({ s, active, onSeek }: { s: SentenceView; active: boolean; onSeek: (ms: number) => void }) {
  const notes = fitNotes(s);
  return (
    <li
      data-index={s.index}
      data-stage={s.stage}
      className={active ? "line active" : "line"}
      aria-current={active ? "true" : undefined}
    >
      <button
        type="button"
        className="line-button"
        onClick={() => onSeek(s.startMs)}
        title={`Play from ${formatTime(s.startMs)}`}
      >
        <span className="line-time">{formatTime(s.startMs)}</span>
        <span className="line-texts">
          <span className="line-translation">{s.translation ?? <em className="muted">translating…</em>}</span>
          <span className="line-source">{s.sourceText}</span>
        </span>
        <span className="line-meta">
          <span className={`stage stage-${s.stage}`}>{STAGE_LABEL[s.stage] ?? s.stage}</span>
          {notes.map((n) => (
            <span key={n} className="fit-note">
              {n}
            </span>
          ))}
        </span>
      </button>
    </li>
  );
}

const MemoLine = memo(Line);

/** Every sentence with its timing, texts, stage and how it was fitted; a click seeks there. */
export function Transcript({ sentences, activeIndex, onSeek }: TranscriptProps) {
  if (sentences.length === 0) {
    return <p className="muted transcript-empty">The transcript appears here as each part is processed.</p>;
  }
  return (
    <ol id="transcript" className="transcript">
      {sentences.map((s) => (
        <MemoLine key={s.index} s={s} active={s.index === activeIndex} onSeek={onSeek} />
      ))}
    </ol>
  );
}
