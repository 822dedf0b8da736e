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
  targetLanguage: string;
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
  /** Every segment now published, in order (including earlier ones). */
  published: SegmentRecord[];
  newlyPublished: number[];
  complete: boolean;
  /** Media ms published per wall ms (pacing.ts dubRate); null when unknown. */
  dubRate: number | null;
}

/** One (task, part, stage) run; segmentIndex -1 is the task's planning job. */
export interface StageRunKey {
  taskId: string;
  segmentIndex: number;
  stage: StageName;
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
  getSegment(taskId: string, index: number): Promise<SegmentRecord | null>;
  setSegmentStage(taskId: string, index: number, stage: StageName): Promise<void>;
  replaceSentences(taskId: string, segmentIndex: number, sentences: NewSentence[]): Promise<void>;
  listSentences(taskId: string, segmentIndex?: number): Promise<SentenceRecord[]>;
  updateSentences(taskId: string, updates: SentenceUpdate[]): Promise<void>;
  /** The part's chunks are in place: their durations, in order. */
  markSegmentMixed(taskId: string, index: number, chunkMs: number[]): Promise<void>;
  /**
   * Under a per-task lock: publishes every mixed segment that directly follows the
   * published prefix, then calls `write` with the whole published list so the playlist
   * is written while the lock is held.
   */
  publishReady(
    taskId: string,
    write: (published: SegmentRecord[], complete: boolean) => Promise<void>,
  ): Promise<PublishOutcome>;
  /** `note` explains a completion without a dub (e.g. NOTHING_TO_DUB: no speech found). */
  completeTask(taskId: string, note?: { code: string; message: string }): Promise<void>;
  /**
   * Under the same per-task lock as `publishReady`: when `revision` is newer than the
   * published one, calls `replace` (which swaps the chunk file in place), records the
   * revision and, if the task was finished, clears finalReady so the final files are
   * rebuilt. `replaced` is false for a stale or repeated revision.
   */
  republishSegment(
    taskId: string,
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
  /** Absent only for the planning job of the segment stage. */
  segmentIndex?: number;
  /** Re-dub revision of a segment (0 or absent: the first run). */
  revision?: number;
  /** A viewer seeked to this part: its jobs go ahead of the rest of its task. */
  seek?: boolean;
}

export interface StageResult {
  /** Jobs of the same stage to add (the segment stage fans out per segment). */
  fanOut?: number[];
  /** false: do not enqueue the next stage (e.g. the task was cancelled). */
  continue: boolean;
}

export interface Stage {
  name: StageName;
  run(input: StageInput, ctx: StageContext): Promise<StageResult>;
}
