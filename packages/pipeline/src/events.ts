/** Progress events a task emits; the web app replays and tails them per task. */
export type TaskStatus = "queued" | "processing" | "completed" | "failed" | "cancelled";

import type { StageName } from "./graph";

export { STAGE_NAMES } from "./graph";
export type { StageName } from "./graph";

export interface SentenceView {
  index: number;
  segmentIndex: number;
  startMs: number;
  endMs: number;
  speaker: string | null;
  sourceText: string;
  translation: string | null;
  spokenText: string | null;
  stage: StageName;
  speed: number | null;
  overrunMs: number | null;
  predictedMs: number | null;
  slotMs: number | null;
  shortenAttempts: number;
  placedStartMs: number | null;
  placedMs: number | null;
  /** Segment revision at which the owner edited this line (0 or absent: never). */
  revision?: number;
  /** The translation lost a glossary term even after a retry. */
  glossaryMissed?: boolean;
}

export type TaskEvent =
  | {
      type: "task";
      status: TaskStatus;
      segmentCount?: number | null;
      durationMs?: number | null;
      /** Every part's duration in ms, in order (sent once the parts are planned). */
      partsMs?: number[];
      errorCode?: string | null;
      errorMessage?: string | null;
    }
  /** `language` is absent for the shared stages (segment, asr). */
  | { type: "segment"; index: number; stage: StageName; status: "started" | "done"; language?: string }
  | { type: "sentences"; segmentIndex: number; language: string; sentences: SentenceView[] }
  | {
      type: "published";
      language: string;
      index: number;
      publishedCount: number;
      segmentCount: number;
      /** Media time published so far (ms) and how fast it grows (pacing.ts), for the player's start plan. */
      publishedMs?: number;
      dubRate?: number | null;
    }
  /** This language's final MP4 and subtitles are ready; `all`: every language's are (and the all-tracks MP4). */
  | { type: "final"; language: string; mp4: boolean; srt: boolean; all?: boolean }
  /** A language was added to the task (its rows exist; its parts are being dubbed). */
  | { type: "language"; language: string; languages: string[] }
  /** The owner edited a line: its segment is re-dubbed ("queued"), then republished ("done"). */
  | {
      type: "redub";
      language: string;
      segmentIndex: number;
      sentenceIndex?: number;
      revision: number;
      status: "queued" | "done";
    };
