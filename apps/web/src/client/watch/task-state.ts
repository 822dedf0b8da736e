import type { SentenceView, TaskEvent, TaskSnapshot } from "@vitranslator/api/types";
import { STAGE_NAMES, taskProgress } from "@vitranslator/pipeline/graph";

type TaskStatus = TaskSnapshot["status"];

/** What the watch page shows; built from the snapshot, then updated by each live event. */
export interface WatchState {
  /** The dub language this state is of (its parts, sentences, publications and re-dubs). */
  language: string;
  status: TaskStatus;
  errorCode: string | null;
  errorMessage: string | null;
  segmentCount: number | null;
  publishedCount: number;
  /** This language's final MP4 and subtitles can be downloaded. */
  finalReady: boolean;
  /** Sorted by sentence index. */
  sentences: SentenceView[];
  /** The stage each segment is in now, from `segment` events. */
  segmentStages: Record<number, string>;
  /** Segments being re-dubbed after an edit: index → revision requested. */
  redubbing: Record<number, number>;
  /** The revision each segment is published at: index → revision (0 or absent: never edited). */
  redubbed: Record<number, number>;
  /** Known segment lengths (ms), for the ETA. */
  segmentDurations: Record<number, number>;
  /** Every part's length in order, once planned (the player's start plan). */
  partsMs: number[];
  /** How fast the dub is being made, media ms per wall ms (pacing.ts); null until known. */
  dubRate: number | null;
  /** Total media length and when work started, for the ETA. */
  durationMs: number | null;
  startedAt: string | null;
}

/** The language a snapshot is of (older servers send none: their one language). */
export const snapshotLanguage = (task: TaskSnapshot): string => task.language ?? task.targetLanguage;

export function stateFromSnapshot(task: TaskSnapshot): WatchState {
  const language = snapshotLanguage(task);
  return {
    language,
    status: task.status,
    errorCode: task.errorCode,
    errorMessage: task.errorMessage,
    segmentCount: task.segmentCount,
    // The task's own count is its first language's; another language counts its parts.
    publishedCount:
      language === task.targetLanguage
        ? task.publishedCount
        : task.segments.filter((s) => s.status === "published").length,
    finalReady:
      (task.finalLanguages ?? []).includes(language) || (task.finalReady && task.status === "completed"),
    sentences: [...task.sentences].sort((a, b) => a.index - b.index),
    segmentStages: {},
    redubbing: Object.fromEntries(
      task.segments
        .filter((s) => (s.revision ?? 0) > (s.publishedRevision ?? 0))
        .map((s) => [s.index, s.revision ?? 0]),
    ),
    redubbed: Object.fromEntries(task.segments.map((s) => [s.index, s.publishedRevision ?? 0])),
    segmentDurations: Object.fromEntries(task.segments.map((s) => [s.index, s.durationMs])),
    partsMs: task.segments.map((s) => s.durationMs),
    dubRate: task.dubRate,
    durationMs: task.durationMs,
    startedAt: task.startedAt,
  };
}

/** The language an event is about; undefined for what every language shares (the task, recognition). */
export function eventLanguage(event: TaskEvent): string | undefined {
  switch (event.type) {
    case "task":
    case "language":
      return undefined;
    case "segment":
      return event.language;
    case "sentences":
    case "published":
    case "final":
    case "redub":
      return event.language;
  }
}

/**
 * Applies one event. Events replayed after the snapshot may repeat what it already holds,
 * so every case is idempotent: replace, or keep the maximum. Another language's events
 * leave the state as it is.
 */
export function applyEvent(state: WatchState, event: TaskEvent): WatchState {
  const language = eventLanguage(event);
  if (language !== undefined && language !== state.language) return state;
  switch (event.type) {
    case "task":
      return {
        ...state,
        status: event.status,
        segmentCount: event.segmentCount ?? state.segmentCount,
        durationMs: event.durationMs ?? state.durationMs,
        ...(event.partsMs
          ? {
              partsMs: event.partsMs,
              segmentDurations: Object.fromEntries(event.partsMs.map((d, i) => [i, d])),
            }
          : {}),
        startedAt: state.startedAt ?? (event.status === "processing" ? new Date().toISOString() : null),
        errorCode: event.errorCode !== undefined ? event.errorCode : state.errorCode,
        errorMessage: event.errorMessage !== undefined ? event.errorMessage : state.errorMessage,
        finalReady: state.finalReady || event.status === "completed",
      };
    case "segment":
      return {
        ...state,
        segmentStages: {
          ...state.segmentStages,
          [event.index]: event.status === "done" ? `${event.stage} done` : event.stage,
        },
      };
    case "sentences": {
      const others = state.sentences.filter((s) => s.segmentIndex !== event.segmentIndex);
      return { ...state, sentences: [...others, ...event.sentences].sort((a, b) => a.index - b.index) };
    }
    case "published":
      return {
        ...state,
        publishedCount: Math.max(state.publishedCount, event.publishedCount),
        segmentCount: event.segmentCount,
        dubRate:
          event.dubRate !== undefined && event.publishedCount >= state.publishedCount
            ? event.dubRate
            : state.dubRate,
      };
    case "final":
      return { ...state, finalReady: true };
    case "language":
      return state;
    case "redub": {
      const redubbing = { ...state.redubbing };
      if (event.status === "queued") redubbing[event.segmentIndex] = event.revision;
      else if ((redubbing[event.segmentIndex] ?? 0) <= event.revision) delete redubbing[event.segmentIndex];
      const redubbed =
        event.status === "done"
          ? {
              ...state.redubbed,
              [event.segmentIndex]: Math.max(state.redubbed[event.segmentIndex] ?? 0, event.revision),
            }
          : state.redubbed;
      // The final files are rebuilt after a re-dub; "final" says when they are back.
      return { ...state, redubbing, redubbed, finalReady: event.status === "done" ? false : state.finalReady };
    }
  }
}

/**
 * "re-dubbing…" while the line's segment is redone after the owner's edit, then "re-dubbed"
 * once that segment is published at the line's revision or later. Only the publication says
 * "re-dubbed": the edited line can arrive before the re-dub is even queued.
 */
export function redubMark(s: SentenceView, redubbed: Record<number, number>): string | null {
  if (!s.revision) return null;
  return (redubbed[s.segmentIndex] ?? 0) >= s.revision ? "re-dubbed" : "re-dubbing…";
}

/**
 * Seconds left, from how much media time has been published per second of work so far;
 * null until there is something to go on.
 */
export function etaSeconds(state: WatchState, nowMs: number): number | null {
  if (state.status !== "processing" || !state.startedAt || !state.segmentCount) return null;
  if (state.publishedCount === 0) return null;
  const elapsed = nowMs - Date.parse(state.startedAt);
  if (!(elapsed > 0)) return null;
  const known = Object.values(state.segmentDurations);
  const average = known.length > 0 ? known.reduce((a, b) => a + b, 0) / known.length : 0;
  let done = 0;
  for (let i = 0; i < state.publishedCount; i++) done += state.segmentDurations[i] ?? average;
  const total = state.durationMs ?? average * state.segmentCount;
  if (!(done > 0) || total <= done) return null;
  return Math.round(((total - done) / done) * (elapsed / 1000));
}

/** How many sentences are at each stage, in pipeline order. */
export function stageCounts(sentences: readonly SentenceView[]): { stage: string; count: number }[] {
  const order = STAGE_NAMES.filter((st) => st !== "segment");
  const counts = new Map<string, number>();
  for (const s of sentences) counts.set(s.stage, (counts.get(s.stage) ?? 0) + 1);
  return order.filter((st) => counts.has(st)).map((stage) => ({ stage, count: counts.get(stage) ?? 0 }));
}

/** 0..1: published segments, blended with how far the known sentences have got (the graph's formula). */
export function progressOf(state: WatchState): number {
  return taskProgress(state, state.sentences);
}

/** The sentence whose [startMs, endMs) holds the playback position, if any. */
export function sentenceAt(sentences: readonly SentenceView[], timeMs: number): SentenceView | null {
  let lo = 0;
  let hi = sentences.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = sentences[mid];
    if (!s) break;
    if (timeMs < s.startMs) hi = mid - 1;
    else if (timeMs >= s.endMs) lo = mid + 1;
    else return s;
  }
  return null;
}

/** Short notes on how the dub was fitted to the original timing. */
export function fitNotes(s: SentenceView): string[] {
  const notes: string[] = [];
  if (s.speed !== null && s.speed > 1.05) notes.push(`sped up ${s.speed.toFixed(2)}×`);
  if (s.shortenAttempts > 0) notes.push("shortened");
  if (s.overrunMs !== null && s.overrunMs > 0) notes.push(`overruns ${(s.overrunMs / 1000).toFixed(1)} s`);
  return notes;
}

export function formatTime(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = h > 0 ? String(m).padStart(2, "0") : String(m);
  return `${h > 0 ? `${h}:` : ""}${mm}:${String(s).padStart(2, "0")}`;
}
