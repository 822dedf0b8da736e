/**
 * Pacing the viewer: how fast a task is being dubbed (media time published per second of
 * wall time), and how long a viewer should wait before pressing play so that playback,
 * once started, never catches up with the dub. Browser-safe: the server computes the
 * rate when it publishes, the watch page plans its start from it.
 */

export interface PublishedPart {
  durationMs: number;
  /** Wall-clock ms (epoch) when the part was published. */
  publishedAtMs: number;
}

/**
 * Share of the measured rate a task keeps in reserve while other tasks are dubbed: their
 * later, longer parts (and their viewers) compete for the same cores, so the rate drops
 * after it was measured (three 3 min dubs at once: 0.85x over the first minute, 0.7x later).
 */
export const SHARED_MACHINE_RESERVE = 0.25;

/** What else the workers are dubbing, seen from one task (the task store counts it). */
export interface MachineLoad {
  /** Tasks being dubbed on the same workers now, this one included. */
  activeTasks: number;
  /**
   * Of the other tasks being dubbed, those whose first part was out before this task started:
   * this task's first part went ahead of their later parts, so its rate did not pay for them,
   * and from now on it does. Tasks that started with it made their first parts alongside it:
   * its rate already shows them (dividing by them too announced "0.1x … starting in 212 s"
   * to each of three viewers who then waited 17–23 s).
   */
  aheadAtStart: number;
}

export const ALONE: MachineLoad = { activeTasks: 1, aheadAtStart: 0 };

/**
 * Dub rate (media ms per wall ms) from the published prefix, in order; null when nothing is
 * known.
 *
 * - One part: from when work started, shared out among the tasks that were already past their
 *   first part then (`MachineLoad.aheadAtStart`). Not credited for pipelining: part k+1
 *   overlaps part k's last stages, but on a machine whose cores are all busy (the stages are
 *   CPU-bound, and so is the viewer's browser) that overlap bought ~10 %, not 2x — counting
 *   it made viewers alone stall.
 * - Several: the pace of the publications since the first (from the second once there are
 *   three: part 1 is made while part 0 finishes, so it lands right after it), so a slow
 *   start stops counting; parts landing together count 250 ms each, never a huge rate.
 * - With other tasks running, less `SHARED_MACHINE_RESERVE`, and never above the average
 *   since work started: a short window of a shared machine is too hopeful.
 */
export function dubRate(
  published: readonly PublishedPart[],
  startedAtMs: number | null,
  load: MachineLoad = ALONE,
): number | null {
  if (published.length === 0) return null;
  const shared = load.activeTasks > 1;
  const reserve = shared ? 1 - SHARED_MACHINE_RESERVE : 1;
  const last = published.at(-1) as PublishedPart;
  if (published.length === 1) {
    if (startedAtMs === null) return null;
    const making = Math.max(250, last.publishedAtMs - startedAtMs);
    const ahead = Math.min(Math.max(0, load.aheadAtStart), Math.max(0, load.activeTasks - 1));
    return ((last.durationMs / making) * reserve) / (1 + ahead);
  }
  const from = published.length >= 3 ? 1 : 0;
  const first = published[from] as PublishedPart;
  const media = published.slice(from + 1).reduce((a, p) => a + p.durationMs, 0);
  const wall = Math.max(last.publishedAtMs - first.publishedAtMs, 250 * (published.length - 1 - from));
  const pace = media / wall;
  if (!shared || startedAtMs === null) return pace;
  const total = published.reduce((a, p) => a + p.durationMs, 0);
  const average = total / Math.max(250, last.publishedAtMs - startedAtMs);
  return Math.min(pace, average) * reserve;
}

export interface StartPlan {
  /** How long to wait from now before starting playback at position 0 (0: start now). */
  waitMs: number;
  /** The rate the plan assumed. */
  rate: number;
}

/** Slack a part must land ahead of the playhead: a fixed part plus a share of its length. */
export function partMarginMs(partMs: number, baseMs = 750, share = 0.1): number {
  return baseMs + share * partMs;
}

/**
 * The shortest wait after which playing from 0 at real time never reaches a part before it
 * is published, assuming the remaining parts are published one after the other at `rate`
 * from now: for every unpublished part k, its publication must come `partMarginMs(k)` before
 * the playhead reaches its start. Null when the rate is unknown.
 */
export function planStart(opts: {
  /** Every part's duration, in order. */
  partsMs: readonly number[];
  publishedCount: number;
  rate: number | null;
  /** Fixed slack each part must land ahead of the playhead: fetching it and reading the playlist. */
  marginMs?: number;
  /** Further slack, as a share of the part's length: a long part's making wobbles more. */
  marginShare?: number;
  /** The wait is stretched by this share, for a rate that wobbles (other tasks share the machine). */
  wobble?: number;
}): StartPlan | null {
  const { partsMs, publishedCount, rate } = opts;
  if (rate === null || !(rate > 0)) return null;
  const wobble = opts.wobble ?? 0.1;
  let start = 0;
  for (let k = 0; k < publishedCount && k < partsMs.length; k++) start += partsMs[k] as number;
  let publishedAt = 0;
  let wait = 0;
  for (let k = publishedCount; k < partsMs.length; k++) {
    const len = partsMs[k] as number;
    publishedAt += len / rate;
    wait = Math.max(wait, publishedAt + partMarginMs(len, opts.marginMs, opts.marginShare) - start);
    start += len;
  }
  return { waitMs: Math.max(0, Math.round(wait * (1 + wobble))), rate };
}

/** A plan shorter than this is not worth a message: start at once. */
export const MIN_PLANNED_WAIT_MS = 400;
/** How long the player waits for the rate to arrive before it starts without one. */
export const MAX_RATE_WAIT_MS = 5000;

export type StartDecision = { kind: "play" } | { kind: "measure" } | { kind: "wait"; plan: StartPlan };

/**
 * What the player does once it holds the first part: play; wait for the dub rate (it comes
 * with the first part's publication event, which can reach the page after the player has the
 * part: starting blind then made one of three viewers stall seven times); or a planned wait.
 * After `waitedForRateMs` of measuring it plays anyway.
 */
export function decideStart(
  p: { partsMs: readonly number[]; publishedCount: number; dubRate: number | null; done: boolean },
  waitedForRateMs = 0,
): StartDecision {
  if (p.done) return { kind: "play" };
  if (p.dubRate === null) return waitedForRateMs < MAX_RATE_WAIT_MS ? { kind: "measure" } : { kind: "play" };
  const plan = planStart({ partsMs: p.partsMs, publishedCount: p.publishedCount, rate: p.dubRate });
  return !plan || plan.waitMs < MIN_PLANNED_WAIT_MS ? { kind: "play" } : { kind: "wait", plan };
}

/** What the player says while it waits for the rate. */
export const MEASURING_MESSAGE = "Measuring how fast this is being dubbed…";

/**
 * Publications from which the dub rate is measured rather than guessed: the first part's 5 s
 * carry a whole part's fixed costs (eight stage hand-overs, the translation call), and the
 * second lands right behind it (pipelined). Planned on the first part alone, three viewers of
 * three 10 min tasks were told "starting in 26 s", "in 1050 s" and "in 5 s", and waited 4.0,
 * 7.0 and 2.9 s.
 */
export const MEASURED_AFTER_PARTS = 3;

/**
 * What the player says during a planned wait: before `MEASURED_AFTER_PARTS` publications,
 * that it is measuring (the plan it keeps to is a cautious guess); then the rate and the
 * countdown.
 */
export function plannedWaitMessage(plan: StartPlan, remainingMs: number, publishedCount: number): string {
  if (publishedCount < MEASURED_AFTER_PARTS) return MEASURING_MESSAGE;
  const secs = Math.max(1, Math.ceil(remainingMs / 1000));
  return `Dubbing at ${plan.rate.toFixed(1)}x real time: starting in ${secs} s so you can watch without pauses`;
}
