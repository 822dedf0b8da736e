/**
 * Records what a viewer sees on the watch page, from the `<video id="player">` element:
 * the first frame playing, every stall (waiting while it should play, until playback
 * advances again), planned waits (the player's `data-state` on `.player-frame`, when it
 * sets one), seeks, the duration actually played, and `ended`.
 *
 * The in-page part is plain JavaScript in a string: functions handed to the page by
 * source text would carry the helpers tsx adds to named functions (`__name`).
 */
import type { Page } from "playwright-core";

/** A stall: the video waited while it should have been playing. */
export interface Stall {
  positionS: number;
  /** Epoch ms (the page's clock; the same machine as the caller's). */
  startedAtMs: number;
  durationMs: number;
  /** Still stalled when the record was read. */
  open: boolean;
  /** "waiting" (the element said so) or "frozen" (no progress for 1 s without a 'waiting'). */
  cause: "waiting" | "frozen";
}

/** A wait the player announced (`data-state` "planned-wait" or "dubbing-seek"). */
export interface PlannedWait {
  state: string;
  positionS: number;
  startedAtMs: number;
  durationMs: number;
  open: boolean;
  /** The overlay's text when the wait began (or the first text it showed). */
  message: string | null;
}

export interface WatchRecord {
  firstFrameAtMs: number | null;
  firstFramePositionS: number | null;
  stalls: Stall[];
  plannedWaits: PlannedWait[];
  /** Milliseconds spent in each `data-state` value. */
  stateMs: Record<string, number>;
  /** The current `data-state`, null when the player sets none. */
  state: string | null;
  seeks: { fromS: number; toS: number; atMs: number }[];
  /** Media seconds played continuously (seeks excluded). */
  playedS: number;
  positionS: number | null;
  /** `video.duration` when finite. */
  durationS: number | null;
  paused: boolean | null;
  ended: boolean;
  endedAtMs: number | null;
  errors: string[];
  droppedFrames: number | null;
  totalFrames: number | null;
}

/**
 * Media events do not bubble, so they are caught in the capture phase on window; a 100 ms
 * sampler reads `data-state`, notices a frozen picture and counts the played seconds.
 */
const RECORDER = String.raw`(() => {
  if (window.__vtWatch) return;
  const PLANNED = ["planned-wait", "dubbing-seek"];
  const FROZEN_MS = 1000;
  const rec = { firstFrameAtMs: null, firstFramePositionS: null, stalls: [], plannedWaits: [],
    stateMs: {}, seeks: [], playedS: 0, ended: false, endedAtMs: null, errors: [] };
  let video = null, lastPos = null, lastAdvanceAt = 0, stall = null, wait = null;
  let state = null, stateSince = Date.now(), frameWatch = null;
  const player = (e) => e && e.target && e.target.id === "player" ? e.target : null;
  const overlay = () => {
    const el = document.querySelector(".player-frame .player-overlay");
    const text = el ? el.textContent.trim() : "";
    return text || null;
  };
  const shouldPlay = () => !!video && !video.paused && !video.ended;
  const closeStall = (t) => { if (stall) { stall.durationMs = t - stall.startedAtMs; stall.open = false; stall = null; } };
  const openStall = (t, cause) => {
    if (stall || rec.firstFrameAtMs === null || PLANNED.includes(state)) return;
    stall = { positionS: video.currentTime, startedAtMs: t, durationMs: 0, open: true, cause };
    rec.stalls.push(stall);
  };
  const firstFrame = (t, pos) => {
    if (rec.firstFrameAtMs !== null) return;
    rec.firstFrameAtMs = t;
    rec.firstFramePositionS = pos;
  };
  const advance = (t) => {
    if (!video) return;
    const pos = video.currentTime;
    if (lastPos !== null && pos > lastPos) {
      rec.playedS += pos - lastPos;
      lastAdvanceAt = t;
      if (!video.paused) firstFrame(t, lastPos);
      closeStall(t);
    }
    lastPos = pos;
  };
  const watchFrames = (v) => {
    if (frameWatch === v || typeof v.requestVideoFrameCallback !== "function") return;
    frameWatch = v;
    const onFrame = (_now, meta) => {
      if (frameWatch !== v || rec.firstFrameAtMs !== null) return;
      if (!v.paused) firstFrame(Date.now(), meta.mediaTime);
      else v.requestVideoFrameCallback(onFrame);
    };
    v.requestVideoFrameCallback(onFrame);
  };
  const setState = (t, next) => {
    if (next === state) return;
    if (state !== null) rec.stateMs[state] = (rec.stateMs[state] || 0) + (t - stateSince);
    if (wait) { wait.durationMs = t - wait.startedAtMs; wait.open = false; wait = null; }
    state = next;
    stateSince = t;
    if (PLANNED.includes(next)) {
      closeStall(t);
      wait = { state: next, positionS: video ? video.currentTime : 0, startedAtMs: t, durationMs: 0, open: true, message: overlay() };
      rec.plannedWaits.push(wait);
    }
  };
  const on = (type, fn) => window.addEventListener(type, (e) => { const v = player(e); if (v) { video = v; fn(Date.now(), v); } }, true);
  on("playing", (t, v) => { watchFrames(v); advance(t); });
  on("timeupdate", (t) => advance(t));
  on("waiting", (t) => { if (shouldPlay()) openStall(t, "waiting"); });
  on("pause", (t) => { advance(t); closeStall(t); });
  on("seeking", (t, v) => {
    const from = lastPos === null ? 0 : lastPos;
    if (Math.abs(v.currentTime - from) > 0.05) rec.seeks.push({ fromS: from, toS: v.currentTime, atMs: t });
    lastPos = v.currentTime;
  });
  on("ended", (t) => { advance(t); closeStall(t); if (!rec.ended) { rec.ended = true; rec.endedAtMs = t; } });
  on("error", (_t, v) => rec.errors.push(v.error ? (v.error.message || "media error " + v.error.code) : "media error"));
  setInterval(() => {
    const t = Date.now();
    const el = document.getElementById("player");
    if (el && el !== video) { video = el; lastPos = null; }
    const frame = document.querySelector(".player-frame");
    setState(t, frame ? frame.getAttribute("data-state") : null);
    if (wait && !wait.message) wait.message = overlay();
    if (!video) return;
    advance(t);
    if (shouldPlay() && !stall && lastAdvanceAt > 0 && t - lastAdvanceAt > FROZEN_MS) {
      openStall(t, "frozen");
      if (stall) stall.startedAtMs = lastAdvanceAt;
    }
  }, 100);
  window.__vtWatch = {
    snapshot() {
      const t = Date.now();
      const live = (x) => (x.open ? { ...x, durationMs: t - x.startedAtMs } : { ...x });
      const q = video && video.getVideoPlaybackQuality ? video.getVideoPlaybackQuality() : null;
      const stateMs = { ...rec.stateMs };
      if (state !== null) stateMs[state] = (stateMs[state] || 0) + (t - stateSince);
      return {
        ...rec,
        stalls: rec.stalls.map(live),
        plannedWaits: rec.plannedWaits.map(live),
        seeks: rec.seeks.slice(),
        errors: rec.errors.slice(),
        stateMs,
        state,
        positionS: video ? video.currentTime : null,
        durationS: video && Number.isFinite(video.duration) ? video.duration : null,
        paused: video ? video.paused : null,
        droppedFrames: q ? q.droppedVideoFrames : null,
        totalFrames: q ? q.totalVideoFrames : null,
      };
    },
  };
})();`;

/** Installs the recorder in every document the page opens from now on. */
export async function installWatchRecorder(page: Page): Promise<void> {
  await page.addInitScript({ content: RECORDER });
}

/** The record so far; null before the watch page has loaded. */
export async function readWatchRecord(page: Page): Promise<WatchRecord | null> {
  return page.evaluate<WatchRecord | null>("window.__vtWatch ? window.__vtWatch.snapshot() : null");
}

export interface WatchOutcome {
  record: WatchRecord | null;
  /** Why watching stopped before `ended`: "deadline", or what `giveUp` answered. */
  stoppedBecause: string | null;
}

/**
 * Reads the record every `pollMs` until the video has ended, `deadline` (epoch ms) has
 * passed, or `giveUp` names a reason (a failed task, say). Never waits past the deadline.
 */
export async function watchUntilEnded(
  page: Page,
  opts: {
    deadline: number;
    pollMs?: number;
    giveUp?: (record: WatchRecord | null) => Promise<string | null> | string | null;
  },
): Promise<WatchOutcome> {
  for (;;) {
    const record = await readWatchRecord(page).catch(() => null);
    if (record?.ended) return { record, stoppedBecause: null };
    const reason = Date.now() > opts.deadline ? "deadline" : ((await opts.giveUp?.(record)) ?? null);
    if (reason) return { record, stoppedBecause: reason };
    await new Promise((r) => setTimeout(r, opts.pollMs ?? 1000));
  }
}
