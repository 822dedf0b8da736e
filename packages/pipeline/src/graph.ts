/**
 * The stage graph, written once: the eight stages in order, what each works on, what
 * follows it, how much of a line's work it stands for, and the gates that schedule parts.
 * Browser-safe (no Node imports): the workers, db, api and the web client all read it.
 */

export const STAGE_NAMES = [
  "segment",
  "asr",
  "translate",
  "modelin",
  "tts",
  "align",
  "audiogen",
  "mix",
] as const;
export type StageName = (typeof STAGE_NAMES)[number];

export interface StageSpec {
  name: StageName;
  /**
   * What one job of the stage works on: the whole task (planning) or one part. `segment`
   * does both: its task job plans the parts, its part jobs extract them.
   */
  scope: readonly ("task" | "part")[];
  /**
   * Run once per dub language (translate → mix) rather than once per part (segment, asr):
   * a shared stage hands over to one job per language of the task.
   */
  perLanguage: boolean;
  /** The stage a part goes to next; null after the last. */
  next: StageName | null;
  /** Progress of a sentence once this stage is done for it, 0..1 (progress bars, ETA). */
  progress: number;
  /** What the stage does, in a few words (admin page, README). */
  does: string;
}

export const STAGES: Record<StageName, StageSpec> = {
  segment: {
    name: "segment",
    scope: ["task", "part"],
    perLanguage: false,
    next: "asr",
    progress: 0,
    does: "plan parts; extract a part's audio and video; separate vocals",
  },
  asr: {
    name: "asr",
    scope: ["part"],
    perLanguage: false,
    next: "translate",
    progress: 1 / 7,
    does: "sentences with times",
  },
  translate: {
    name: "translate",
    scope: ["part"],
    perLanguage: true,
    next: "modelin",
    progress: 2 / 7,
    does: "translate",
  },
  modelin: {
    name: "modelin",
    scope: ["part"],
    perLanguage: true,
    next: "tts",
    progress: 3 / 7,
    does: "TTS inputs",
  },
  tts: {
    name: "tts",
    scope: ["part"],
    perLanguage: true,
    next: "align",
    progress: 4 / 7,
    does: "draft speech",
  },
  align: {
    name: "align",
    scope: ["part"],
    perLanguage: true,
    next: "audiogen",
    progress: 5 / 7,
    does: "fit each line to its slot",
  },
  audiogen: {
    name: "audiogen",
    scope: ["part"],
    perLanguage: true,
    next: "mix",
    progress: 6 / 7,
    does: "final speech",
  },
  mix: {
    name: "mix",
    scope: ["part"],
    perLanguage: true,
    next: null,
    progress: 1,
    does: "mix, mux into HLS chunks, publish",
  },
};

export const PIPELINE = {
  /** Where a new task enters (its planning job). */
  entry: "segment" as StageName,
  /**
   * Parts are pipelined one behind the other: when part k has finished this stage, part
   * k+1 is released (its `segment` job is queued). Part k+1's extraction then overlaps part
   * k's last stages, and no task has more than about two parts competing for the CPU, so
   * a task's first part is never starved by its own backlog. Planning releases part 0.
   */
  releaseNextPartAfter: "tts" as StageName,
  /**
   * A re-dub re-enters here: at `modelin` when the owner changed the translation, at
   * `translate` when they changed the source text. An admin retry re-enters at the stage
   * that failed.
   */
  redubFrom: { translation: "modelin", source: "translate" } as const satisfies Record<string, StageName>,
};

export const isStageName = (s: string): s is StageName => (STAGE_NAMES as readonly string[]).includes(s);

/** Stage after `stage` for a part, or null. */
export const nextStage = (stage: StageName): StageName | null => STAGES[stage].next;

/**
 * Task progress 0..1, one formula for the server and the browser: every part counts the
 * same; a published part is done, any other counts how far its sentences have got (each
 * by its stage's `progress`). It never goes back while the dub runs: a part's sentences
 * only move forward, and a part that gets its first sentences goes from 0 to above 0.
 */
export function taskProgress(
  t: { status: string; segmentCount: number | null; publishedCount: number },
  sentences?: readonly { stage: string; segmentIndex: number }[],
): number {
  if (t.status === "completed") return 1;
  if (!t.segmentCount) return 0;
  const perPart = new Map<number, { sum: number; n: number }>();
  for (const s of sentences ?? []) {
    if (s.segmentIndex < t.publishedCount) continue;
    const acc = perPart.get(s.segmentIndex) ?? { sum: 0, n: 0 };
    acc.sum += isStageName(s.stage) ? STAGES[s.stage].progress : 0;
    acc.n += 1;
    perPart.set(s.segmentIndex, acc);
  }
  let done = Math.min(t.publishedCount, t.segmentCount);
  for (const { sum, n } of perPart.values()) done += sum / n;
  return Math.min(0.99, done / t.segmentCount);
}
