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
 * Dub rate (media ms per wall ms) from the published prefix, in order. With one part, from
 * when work started; with more, over every publication since the first, so a slow start
 * (model loading, planning) stops counting once the pipeline runs, and a burst of parts
 * landing together (other tasks sharing the machine) does not look like speed. Null when
 * nothing is known.
 */
export function dubRate(
  published: readonly PublishedPart[],
  startedAtMs: number | null,
  /**
   * Tasks being dubbed on the same workers now. A first part jumps every queue, so it is
   * made faster than the parts after it will be while other tasks share the machine: with
   * one part known, its rate is shared out among them.
   */
  activeTasks = 1,
): number | null {
  if (published.length === 0) return null;
  if (published.length === 1) {
    const only = published[0] as PublishedPart;
    if (startedAtMs === null) return null;
    return only.durationMs / Math.max(250, only.publishedAtMs - startedAtMs) / Math.max(1, activeTasks);
  }
  // Part 1 is made while part 0 finishes (they are pipelined), so it lands soon after it:
  // once there are three, the rate is measured from the second publication on.
  const from = published.length >= 3 ? 1 : 0;
  const first = published[from] as PublishedPart;
  const last = published.at(-1) as PublishedPart;
  const media = published.slice(from + 1).reduce((a, p) => a + p.durationMs, 0);
  // Parts published together (a burst) would give a huge rate: count at least 250 ms each.
  const wall = Math.max(last.publishedAtMs - first.publishedAtMs, 250 * (published.length - 1 - from));
  return media / wall;
}

export interface StartPlan {
  /** How long to wait from now before starting playback at position 0 (0: start now). */
  waitMs: number;
  /** The rate the plan assumed. */
  rate: number;
}

/**
 * The shortest wait after which playing from 0 at real time never reaches a part before it
 * is published, assuming the remaining parts are published one after the other at `rate`:
 * for every unpublished part k, its publication (from now) must come `marginMs` before the
 * playhead reaches its start. Null when the rate is unknown.
 */
export function planStart(opts: {
  /** Every part's duration, in order. */
  partsMs: readonly number[];
  publishedCount: number;
  rate: number | null;
  /** Slack each part must land ahead of the playhead: fetching it and reading the playlist. */
  marginMs?: number;
  /** The wait is stretched by this share, for a rate that wobbles (other tasks share the machine). */
  wobble?: number;
}): StartPlan | null {
  const { partsMs, publishedCount, rate } = opts;
  if (rate === null || !(rate > 0)) return null;
  const margin = opts.marginMs ?? 1500;
  const wobble = opts.wobble ?? 0.1;
  let start = 0;
  for (let k = 0; k < publishedCount && k < partsMs.length; k++) start += partsMs[k] as number;
  let publishedAt = 0;
  let wait = 0;
  for (let k = publishedCount; k < partsMs.length; k++) {
    const len = partsMs[k] as number;
    publishedAt += len / rate;
    wait = Math.max(wait, publishedAt + margin - start);
    start += len;
  }
  return { waitMs: Math.max(0, Math.round(wait * (1 + wobble))), rate };
}

/** What the player says during a planned wait. */
export function plannedWaitMessage(plan: StartPlan, remainingMs: number): string {
  const secs = Math.max(1, Math.ceil(remainingMs / 1000));
  return `Dubbing at ${plan.rate.toFixed(1)}x real time: starting in ${secs} s so you can watch without pauses`;
}
