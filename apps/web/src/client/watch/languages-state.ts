/**
 * A task followed in several languages at once: one live event stream, and each language's
 * state loaded only when the page shows it (the dub being listened to, the subtitle being
 * read). Events for a language whose snapshot is still loading are kept and applied on top
 * of it (they are idempotent), so none is lost between the request and the answer.
 */
import type { TaskEvent, TaskSnapshot } from "@vitranslator/api/types";
import type { WatchState } from "./task-state";
import { applyEvent, snapshotLanguage, stateFromSnapshot } from "./task-state";

export type LanguageTrack =
  { phase: "loading"; pending: TaskEvent[] } | { phase: "failed" } | { phase: "ready"; state: WatchState };

export interface LanguagesState {
  /** Every dub language, the main one first. */
  languages: string[];
  /** Languages whose final MP4 and subtitles can be downloaded. */
  finalLanguages: string[];
  /** Every language is final: the MP4 with every audio track can be downloaded. */
  allFinal: boolean;
  /** How many languages were added while the page was open (the master playlist has new renditions). */
  added: number;
  tracks: Record<string, LanguageTrack>;
}

export type LanguagesAction =
  | { kind: "want"; language: string }
  | { kind: "loaded"; task: TaskSnapshot }
  | { kind: "failed"; language: string }
  | { kind: "event"; event: TaskEvent };

export function languagesFromSnapshot(task: TaskSnapshot): LanguagesState {
  const languages = task.languages?.length ? task.languages : [task.targetLanguage];
  const finalLanguages = task.finalLanguages ?? (task.finalReady ? languages : []);
  return {
    languages,
    finalLanguages,
    allFinal: task.finalReady && languages.every((l) => finalLanguages.includes(l)),
    added: 0,
    tracks: { [snapshotLanguage(task)]: { phase: "ready", state: stateFromSnapshot(task) } },
  };
}

const without = (list: readonly string[], item: string) => list.filter((x) => x !== item);

/** Task-wide facts (languages, final files) from one event. */
function applyToTask(s: LanguagesState, e: TaskEvent): LanguagesState {
  switch (e.type) {
    case "language":
      return {
        ...s,
        languages: e.languages,
        allFinal: false,
        added: s.languages.includes(e.language) ? s.added : s.added + 1,
      };
    case "final":
      return {
        ...s,
        finalLanguages: s.finalLanguages.includes(e.language)
          ? s.finalLanguages
          : [...s.finalLanguages, e.language],
        allFinal: s.allFinal || e.all === true,
      };
    case "redub":
      // The language's MP4 and the all-tracks MP4 are rebuilt; `final` says when they are back.
      return e.status === "done"
        ? { ...s, finalLanguages: without(s.finalLanguages, e.language), allFinal: false }
        : s;
    case "task":
    case "segment":
    case "sentences":
    case "published":
      return s;
  }
}

function applyToTrack(track: LanguageTrack, e: TaskEvent): LanguageTrack {
  switch (track.phase) {
    case "loading":
      return { phase: "loading", pending: [...track.pending, e] };
    case "failed":
      return track;
    case "ready": {
      const state = applyEvent(track.state, e);
      return state === track.state ? track : { phase: "ready", state };
    }
  }
}

export function reduceLanguages(s: LanguagesState, a: LanguagesAction): LanguagesState {
  switch (a.kind) {
    case "want": {
      const known = s.tracks[a.language];
      if (known && known.phase !== "failed") return s;
      return { ...s, tracks: { ...s.tracks, [a.language]: { phase: "loading", pending: [] } } };
    }
    case "loaded": {
      const language = snapshotLanguage(a.task);
      const track = s.tracks[language];
      const pending = track?.phase === "loading" ? track.pending : [];
      const state = pending.reduce(applyEvent, stateFromSnapshot(a.task));
      return { ...s, tracks: { ...s.tracks, [language]: { phase: "ready", state } } };
    }
    case "failed":
      return { ...s, tracks: { ...s.tracks, [a.language]: { phase: "failed" } } };
    case "event": {
      const tracks: Record<string, LanguageTrack> = {};
      for (const [language, track] of Object.entries(s.tracks))
        tracks[language] = applyToTrack(track, a.event);
      return { ...applyToTask(s, a.event), tracks };
    }
  }
}

/** A language's state once loaded, else null. */
export function languageState(s: LanguagesState, language: string): WatchState | null {
  const track = s.tracks[language];
  return track?.phase === "ready" ? track.state : null;
}

/** Languages asked for whose snapshot has not been requested yet. */
export const languagesToLoad = (s: LanguagesState, wanted: readonly string[]): string[] =>
  wanted.filter((l) => s.languages.includes(l) && s.tracks[l] === undefined);
