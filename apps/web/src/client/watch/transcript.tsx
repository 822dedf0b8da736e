"use client";

import type { SentenceView } from "@vitranslator/api/types";
import type { FormEvent } from "react";
import { memo, useState } from "react";
import { Alert } from "../alert";
import { fitNotes, formatTime, redubMark } from "./task-state";

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

export interface LineEdit {
  translation?: string;
  sourceText?: string;
}

interface TranscriptProps {
  sentences: readonly SentenceView[];
  activeIndex: number | null;
  onSeek: (ms: number) => void;
  /** Segments being re-dubbed (index → revision). */
  redubbed: Record<number, number>;
  /** Present for the task's owner only: viewers of the share link get no edit controls. */
  onEdit?: (index: number, edit: LineEdit) => Promise<void>;
  /** Segments whose lines can be edited now (published ones). */
  editableSegments?: (segmentIndex: number) => boolean;
}

function EditForm({
  s,
  onSave,
  onClose,
}: {
  s: SentenceView;
  onSave: (edit: LineEdit) => Promise<void>;
  onClose: () => void;
}) {
  const [translation, setTranslation] = useState(s.translation ?? "");
  const [source, setSource] = useState(s.sourceText);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const edit: LineEdit = {};
    if (source.trim() !== s.sourceText) edit.sourceText = source;
    if (translation.trim() !== (s.translation ?? "")) edit.translation = translation;
    if (!edit.sourceText && !edit.translation) return onClose();
    setSaving(true);
    setError(null);
    try {
      await onSave(edit);
      onClose();
    } catch (err) {
      setError(err instanceof Error ? err.message : "The change was not saved.");
    } finally {
      setSaving(false);
    }
  }

  return (
    <form className="line-edit" onSubmit={(e) => void submit(e)} aria-label={`Edit line ${s.index}`}>
      <label>
        <span>Dubbed text</span>
        <textarea
          name="translation"
          rows={2}
          value={translation}
          maxLength={2000}
          onChange={(e) => setTranslation(e.currentTarget.value)}
          autoFocus
        />
      </label>
      <label>
        <span>Original text (changing it translates the line again)</span>
        <input
          name="sourceText"
          value={source}
          maxLength={2000}
          onChange={(e) => setSource(e.currentTarget.value)}
        />
      </label>
      <Alert message={error} />
      <div className="line-edit-actions">
        <button type="submit" className="button primary" disabled={saving}>
          {saving ? "Saving…" : "Save and re-dub"}
        </button>
        <button type="button" className="button secondary" onClick={onClose} disabled={saving}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function Line({
  s,
  active,
  onSeek,
  mark,
  onEdit,
  editable,
}: {
  s: SentenceView;
  active: boolean;
  onSeek: (ms: number) => void;
  mark: string | null;
  onEdit?: ((index: number, edit: LineEdit) => Promise<void>) | undefined;
  editable: boolean;
}) {
  const [editing, setEditing] = useState(false);
  const notes = fitNotes(s);
  return (
    <li
      data-index={s.index}
      data-stage={s.stage}
      className={active ? "line active" : "line"}
      aria-current={active ? "true" : undefined}
    >
      <div className="line-row">
        <button
          type="button"
          className="line-button"
          onClick={() => onSeek(s.startMs)}
          title={`Play from ${formatTime(s.startMs)}`}
        >
          <span className="line-time">{formatTime(s.startMs)}</span>
          <span className="line-texts">
            <span className="line-translation">
              {s.translation ?? <em className="muted">translating…</em>}
            </span>
            <span className="line-source">{s.sourceText}</span>
          </span>
          <span className="line-meta">
            <span className={`stage stage-${s.stage}`}>{STAGE_LABEL[s.stage] ?? s.stage}</span>
            {notes.map((n) => (
              <span key={n} className="fit-note">
                {n}
              </span>
            ))}
            {mark && <span className={mark === "re-dubbed" ? "redub-mark done" : "redub-mark"}>{mark}</span>}
            {s.glossaryMissed && (
              <span
                className="glossary-mark"
                title="The translation lost a term of the glossary, even after a retry: check it and Edit if needed"
              >
                glossary term missing
              </span>
            )}
          </span>
        </button>
        {onEdit && editable && !editing && (
          <button
            type="button"
            className="line-edit-button"
            onClick={() => setEditing(true)}
            aria-label={`Edit line at ${formatTime(s.startMs)}`}
          >
            Edit
          </button>
        )}
      </div>
      {onEdit && editing && (
        <EditForm s={s} onSave={(edit) => onEdit(s.index, edit)} onClose={() => setEditing(false)} />
      )}
    </li>
  );
}

const MemoLine = memo(Line);

/** Every sentence with its timing, texts, stage and how it was fitted; a click seeks there. */
export function Transcript({
  sentences,
  activeIndex,
  onSeek,
  redubbed,
  onEdit,
  editableSegments,
}: TranscriptProps) {
  if (sentences.length === 0) {
    return <p className="muted transcript-empty">The transcript appears here as each part is processed.</p>;
  }
  return (
    <ol id="transcript" className="transcript">
      {sentences.map((s) => {
        const mark = redubMark(s, redubbed);
        return (
          <MemoLine
            key={s.index}
            s={s}
            active={s.index === activeIndex}
            onSeek={onSeek}
            mark={mark}
            onEdit={onEdit}
            editable={mark !== "re-dubbing…" && (editableSegments?.(s.segmentIndex) ?? false)}
          />
        );
      })}
    </ol>
  );
}
