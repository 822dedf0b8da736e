/**
 * The ports a stage talks to. The pipeline never imports Prisma, BullMQ or Redis:
 * apps/workers passes implementations of these in.
 */
import type { SentenceView, StageName, TaskEvent, TaskStatus } from "./events";
import type { MediaTools } from "./stages/media-tools";
import type { TtsEngine } from "./tts/types";
import type { Transcriber, Translator } from "./llm";
import type { Separator } from "./separation/types";
import type { Diarizer } from "./diarization/sherpa";

export interface TaskOptions {
  burnSubtitles?: boolean;
  voice?: string;
}

export interface TaskRecord {
  id: string;
  status: TaskStatus;
  sourceLanguage: string | null;
  /** The first dub language (languages[0]). */
  targetLanguage: string;
  /** Every dub language, in order. */
  languages: string[];
  /** Languages whose final MP4 and subtitles are written. */
  finalLanguages: string[];
  /** `term = translation` lines (validated at the door), or null. */
  glossary: string | null;
  options: TaskOptions;
  /** Paths relative to the task's folder. */
  sourceFile: string;
  subtitleFile: string | null;
  durationMs: number | null;
  hasVideo: boolean;
  hasAudio: boolean;
  segmentCount: number | null;
  publishedCount: number;
  targetDurationS: number | null;
  finalReady: boolean;
}

export interface SegmentRecord {
  index: number;
  startMs: number;
  durationMs: number;
  status: "pending" | "processing" | "mixed" | "published" | "failed";
  hlsDurationMs: number | null;
  /** Durations of the part's HLS chunks in order (empty until it is mixed). */
  chunkMs: number[];
  /** Re-dub revision requested (bumped by an edit) and the one now published. */
  revision?: number;
  publishedRevision?: number;
}

export type SentenceRecord = SentenceView;

export interface NewSentence {
  index: number;
  startMs: number;
  endMs: number;
  sourceText: string;
  speaker?: string | null;
}

export type SentenceUpdate = { index: number } & Partial<
  Pick<
    SentenceView,
    | "translation"
    | "spokenText"
    | "stage"
    | "speed"
    | "overrunMs"
    | "predictedMs"
    | "slotMs"
    | "shortenAttempts"
    | "placedStartMs"
    | "placedMs"
    | "glossaryMissed"
  >
>;

export interface ProbeUpdate {
  durationMs: number;
  hasVideo: boolean;
  hasAudio: boolean;
  width: number | null;
  height: number | null;
  detectedLanguage?: string | null;
}

export interface PublishOutcome {
  /** Every language's published parts (the playlists are written from these). */
  tracks: PublishedTrack[];
  /** Every part of this language now published, in order (including earlier ones). */
  published: SegmentRecord[];
  newlyPublished: number[];
  complete: boolean;
  /** Media ms published per wall ms (pacing.ts dubRate); null when unknown. */
  dubRate: number | null;
}

/** One (task, part, stage[, language]) run; segmentIndex -1 is the task's planning job. */
export interface StageRunKey {
  taskId: string;
  segmentIndex: number;
  stage: StageName;
  /** The dub language of a per-language stage; absent for segment and asr (done once). */
  language?: string;
}

/** One language's published parts, in order. */
export interface PublishedTrack {
  language: string;
  published: SegmentRecord[];
  complete: boolean;
}

export interface TaskStore {
  getTask(taskId: string): Promise<TaskRecord | null>;
  /** null when the task does not exist (deleted). */
  taskStatus(taskId: string): Promise<TaskStatus | null>;
  /** The stage finished for this part without an error (a re-delivered job only hands over). */
  stageRunFinished(run: StageRunKey): Promise<boolean>;
  recordStageStart(run: StageRunKey): Promise<void>;
  recordStageEnd(run: StageRunKey & { errorCode?: string }): Promise<void>;
  saveProbe(taskId: string, probe: ProbeUpdate): Promise<void>;
  /** Idempotent: re-planning the same task keeps existing rows. */
  savePlan(
    taskId: string,
    plan: { index: number; startMs: number; durationMs: number }[],
    targetDurationS: number,
  ): Promise<void>;
  /**
   * A part's row in one language; without `language`, the first language's row (its start
   * and duration, which every language shares).
   */
  getSegment(taskId: string, index: number, language?: string): Promise<SegmentRecord | null>;
  /** Records the stage a part finished; without `language` (segment, asr) in every language not past it. */
  setSegmentStage(taskId: string, index: number, stage: StageName, language?: string): Promise<void>;
  /** Recognition's sentences of a part, written into every language's rows. */
  replaceSentences(taskId: string, segmentIndex: number, sentences: NewSentence[]): Promise<void>;
  listSentences(taskId: string, language: string, segmentIndex?: number): Promise<SentenceRecord[]>;
  updateSentences(taskId: string, language: string, updates: SentenceUpdate[]): Promise<void>;
  /** The part's chunks are in place in this language: their durations, in order. */
  markSegmentMixed(taskId: string, language: string, index: number, chunkMs: number[]): Promise<void>;
  /**
   * Under a per-task lock: publishes every mixed part of this language that directly follows
   * its published prefix, then calls `write` with every language's published parts so the
   * playlists are written while the lock is held.
   */
  publishReady(
    taskId: string,
    language: string,
    write: (tracks: PublishedTrack[]) => Promise<void>,
  ): Promise<PublishOutcome>;
  /**
   * This language's final files are written: records it and answers whether every language
   * of the task now has its final files (then the task is completed by the caller).
   */
  markLanguageFinal(
    taskId: string,
    language: string,
  ): Promise<{ allFinal: boolean; finalLanguages: string[] }>;
  /** `note` explains a completion without a dub (e.g. NOTHING_TO_DUB: no speech found). */
  completeTask(taskId: string, note?: { code: string; message: string }): Promise<void>;
  /**
   * Under the same per-task lock as `publishReady`: when `revision` is newer than the
   * published one of this language's part, calls `replace` (which swaps the chunk files in
   * place), records the revision and, when that language was finished, takes it out of the
   * final languages so its final files are rebuilt. `replaced` is false for a stale or
   * repeated revision.
   */
  republishSegment(
    taskId: string,
    language: string,
    index: number,
    revision: number,
    replace: () => Promise<void>,
  ): Promise<{ replaced: boolean }>;
}

export interface EventSink {
  emit(taskId: string, event: TaskEvent): Promise<unknown>;
}

/** Structured logs bound to task, stage and job; debug is optional, so a test's logger can be three functions. */
export interface Logger {
  debug?(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface Engines {
  tts: TtsEngine;
  translator: Translator | null;
  transcriber: Transcriber | null;
  /** Labels sentences with speakers (S1, S2, …) in the asr stage; absent: no diarization. */
  diarizer?: Diarizer | null;
  /** Vocal/background separation of each segment; null or absent: the mix ducks the original. */
  separator?: Separator | null;
  /** How the segment stage finds pauses; silero when absent. */
  vad?: "silero" | "silencedetect";
}

export interface PipelineConfig {
  maxSpeed: number;
  minSpeed: number;
  maxShortenAttempts: number;
  ttsConcurrency: number;
}

export interface StageContext {
  store: TaskStore;
  /** ffmpeg, ffprobe and the VAD (stages/media-tools.ts): fakes in unit tests. */
  media: MediaTools;
  events: EventSink;
  /** Absolute folder of this task's media, inside the storage root. */
  taskDir: string;
  engines: Engines;
  config: PipelineConfig;
  signal: AbortSignal;
  log: Logger;
}

export interface StageInput {
  taskId: string;
  /** The dub language of a per-language stage (translate → mix); absent for segment and asr. */
  language?: string;
  /** Absent only for the planning job of the segment stage. */
  segmentIndex?: number;
  /** Re-dub revision of a segment (0 or absent: the first run). */
  revision?: number;
  /** A viewer seeked to this part: its jobs go ahead of the rest of its task. */
  seek?: boolean;
}

export interface StageResult {
  /** Jobs of the same stage to add (the segment stage's planning job releases part 0). */
  fanOut?: number[];
  /** false: do not enqueue the next stage (e.g. the task was cancelled). */
  continue: boolean;
}

export interface Stage {
  name: StageName;
  run(input: StageInput, ctx: StageContext): Promise<StageResult>;
}
