"use client";

import type { Ref, RefObject } from "react";
import { useEffect, useImperativeHandle, useRef, useState } from "react";
import {
  decideStart,
  MEASURED_AFTER_PARTS,
  MEASURING_MESSAGE,
  planStart,
  plannedWaitMessage,
} from "@vitranslator/pipeline/pacing";
import type { HlsHandle } from "./hls-player";
import { createHls } from "./hls-player";
import {
  askedSeekMs,
  landedAt,
  landedShort,
  needsDubbingFirst,
  pendingSeekReached,
  plannedDurationS,
} from "./seek-ahead";

/**
 * What the player is doing; also exposed as `data-state` on the frame so the benchmark and
 * the browser tests can tell a planned wait from a stall.
 */
export type PlayerState = "waiting" | "planned-wait" | "playing" | "dubbing-seek" | "ended";

export interface Pacing {
  /** Every part's duration in order (empty until planned). */
  partsMs: readonly number[];
  publishedCount: number;
  /** Media ms published per wall ms; null until known. */
  dubRate: number | null;
  /** Nothing more will be published (completed, or ended another way). */
  done: boolean;
}

/** What the page may ask of the player. */
export interface PlayerControls {
  /** Plays from `ms`; past what is dubbed, waits there until that part is in (seek ahead). */
  seek: (ms: number) => void;
}

interface PlayerProps {
  ref?: Ref<PlayerControls>;
  playlistUrl: string;
  /** True once at least one segment is published (from the snapshot or a live event). */
  hasSegments: boolean;
  pacing: Pacing;
  /** Shown over the video while there is nothing to play yet. */
  waitingLabel: string | null;
  videoRef: RefObject<HTMLVideoElement | null>;
  /** The viewer jumped to `ms`, past what is dubbed: ask for that part first. */
  onSeekAhead?: (ms: number) => void;
  /** The audio rendition to play: a dub language's tag or "orig" (switched in place). */
  audioLanguage?: string;
  /** Changes when the master playlist gained a rendition: it is read again, at the same position. */
  reloadKey?: number;
}

const PLAYLIST_POLL_MS = 500;

/** Answers true once the playlist exists (it is 404 until the first segment is published). */
async function playlistExists(url: string, signal: AbortSignal): Promise<boolean> {
  try {
    const res = await fetch(url, { method: "HEAD", cache: "no-store", signal });
    return res.ok;
  } catch {
    return false;
  }
}

/** Where the element can seek to now (ms): the end of `seekable`, else the duration. */
function seekableEndMs(video: HTMLVideoElement): number {
  const s = video.seekable;
  if (s.length > 0) return s.end(s.length - 1) * 1000;
  return Number.isFinite(video.duration) ? video.duration * 1000 : 0;
}

const SEEK_AHEAD_MESSAGE = "Dubbing this part first… playback resumes by itself when it is ready";
const PENDING_SEEK_POLL_MS = 250;

/**
 * Plays the growing EVENT playlist from position 0. When the first part is in, it starts at
 * once if the dub is made fast enough to stay ahead, and otherwise waits on purpose — once,
 * saying how long and why — so that playback, once started, never pauses for the pipeline.
 */
export function Player({
  ref,
  playlistUrl,
  hasSegments,
  pacing,
  waitingLabel,
  videoRef,
  onSeekAhead,
  audioLanguage,
  reloadKey,
}: PlayerProps) {
  const [ready, setReady] = useState(hasSegments);
  const [state, setState] = useState<PlayerState>("waiting");
  const [message, setMessage] = useState<string | null>(null);
  const pacingRef = useRef(pacing);
  pacingRef.current = pacing;
  const seekAheadRef = useRef(onSeekAhead);
  seekAheadRef.current = onSeekAhead;
  const audioRef = useRef(audioLanguage);
  audioRef.current = audioLanguage;
  const hlsRef = useRef<HlsHandle | null>(null);
  const [playingAudio, setPlayingAudio] = useState<{ value: string | null; index: number } | null>(null);
  // The one place the position of a jump past the dubbed edge is kept (ms) until it plays:
  // video.currentTime may have been clamped short of it.
  const pendingSeekMs = useRef<number | null>(null);
  const seekRef = useRef<(ms: number) => void>(() => {});
  useImperativeHandle(ref, () => ({ seek: (ms) => seekRef.current(ms) }), []);

  // Wait for the first part: a live `published` event or a successful poll, whichever first.
  useEffect(() => {
    if (ready) return;
    if (hasSegments) {
      setReady(true);
      return;
    }
    const ctl = new AbortController();
    const poll = async () => {
      while (!ctl.signal.aborted) {
        if (await playlistExists(playlistUrl, ctl.signal)) return setReady(true);
        await new Promise((r) => setTimeout(r, PLAYLIST_POLL_MS));
      }
    };
    void poll();
    return () => ctl.abort();
  }, [ready, hasSegments, playlistUrl]);

  useEffect(() => {
    const video = videoRef.current;
    if (!ready || !video) return;
    let disposed = false;
    let destroy = () => {};
    let started = false;
    let waitTimer: ReturnType<typeof setInterval> | undefined;
    let pendingTimer: ReturnType<typeof setInterval> | undefined;

    const play = () => {
      started = true;
      clearInterval(waitTimer);
      setMessage(null);
      setState("playing");
      video.play().catch(() => {
        /* autoplay refused: the controls are there */
      });
    };

    // The one planned wait. Re-planned when a part lands (it may get shorter or longer); until
    // three parts are in, never with a rate above the one first seen. It ends once. Before it,
    // while the rate is not known yet, the player waits for it (the same planned-wait state).
    const planAndStart = (measuringSince = Date.now()) => {
      if (started) return;
      const decision = decideStart(pacingRef.current, Date.now() - measuringSince);
      if (decision.kind === "play") return play();
      if (decision.kind === "measure") {
        setState("planned-wait");
        setMessage(MEASURING_MESSAGE);
        clearInterval(waitTimer);
        waitTimer = setInterval(() => {
          if (decideStart(pacingRef.current, Date.now() - measuringSince).kind === "measure") return;
          clearInterval(waitTimer);
          planAndStart(measuringSince);
        }, 100);
        return;
      }
      const plan = decision.plan;
      let deadline = Date.now() + plan.waitMs;
      let seen = pacingRef.current.publishedCount;
      let current = plan;
      setState("planned-wait");
      setMessage(plannedWaitMessage(plan, plan.waitMs, seen));
      waitTimer = setInterval(() => {
        const now = pacingRef.current;
        if (now.done) return play();
        if (now.publishedCount !== seen) {
          seen = now.publishedCount;
          // Three publications measure the rate itself; fewer are only a hint (see dubRate).
          const rate =
            now.publishedCount >= MEASURED_AFTER_PARTS && now.dubRate !== null
              ? now.dubRate
              : Math.min(plan.rate, now.dubRate ?? plan.rate);
          const again = planStart({ partsMs: now.partsMs, publishedCount: now.publishedCount, rate });
          if (again) {
            current = again;
            deadline = Date.now() + again.waitMs;
          }
        }
        const left = deadline - Date.now();
        if (left <= 0) play();
        else setMessage(plannedWaitMessage(current, left, seen));
      }, 250);
    };

    const resume = () =>
      video.play().catch(() => {
        /* the controls are there */
      });
    const endPendingSeek = () => {
      pendingSeekMs.current = null;
      clearInterval(pendingTimer);
    };
    // The jump's part is in: go exactly where it was asked, and play ('playing' ends the state).
    const checkPendingSeek = () => {
      const asked = pendingSeekMs.current;
      if (asked === null) return;
      const reached = pendingSeekReached({
        pendingMs: asked,
        parts: pacingRef.current,
        seekableEndMs: seekableEndMs(video),
      });
      if (!reached) return;
      endPendingSeek();
      if (!landedAt(video.currentTime * 1000, asked)) video.currentTime = asked / 1000;
      void resume();
    };
    /**
     * The viewer asked for `askedMs`. Past what is dubbed: say so, ask for that part first, and
     * hold there until it is in. Answers whether it holds.
     */
    const holdForSeek = (askedMs: number): boolean => {
      if (!needsDubbingFirst(askedMs, pacingRef.current)) {
        if (pendingSeekMs.current !== null) {
          // Back into what is dubbed: that jump is over.
          endPendingSeek();
          setState("playing");
          setMessage(null);
          void resume();
        }
        return false;
      }
      if (pendingSeekMs.current === askedMs) return true;
      pendingSeekMs.current = askedMs;
      setState("dubbing-seek");
      setMessage(SEEK_AHEAD_MESSAGE);
      seekAheadRef.current?.(Math.round(askedMs));
      clearInterval(pendingTimer);
      pendingTimer = setInterval(checkPendingSeek, PENDING_SEEK_POLL_MS);
      return true;
    };
    // Clamped short of the asked position, the element would play the parts before it as they land.
    const holdStill = (askedMs: number) => {
      if (landedShort(video.currentTime * 1000, askedMs)) video.pause();
    };

    // Native controls and any other seek: the element says where it went. The whole planned
    // length is the media's duration (see createHls), so that is where the viewer asked to go;
    // only where that duration could not be set is a seek past the edge clamped to it.
    const onSeeking = () => {
      if (!started) return;
      const asked = askedSeekMs({
        currentMs: video.currentTime * 1000,
        pendingMs: pendingSeekMs.current,
        seekableEndMs: seekableEndMs(video),
      });
      if (holdForSeek(asked)) holdStill(asked);
    };
    // The page's own seeks (transcript lines) know the asked position before the element clamps it.
    seekRef.current = (ms: number) => {
      if (!started) {
        // The viewer chose where to play: the planned wait is over.
        started = true;
        clearInterval(waitTimer);
        setState("playing");
        setMessage(null);
      }
      const held = holdForSeek(ms);
      video.currentTime = ms / 1000;
      if (held) holdStill(ms);
      else void resume();
    };
    const onPlaying = () => {
      if (!started) return;
      // Playing from elsewhere (the viewer pressed play at the clamped edge) ends the wait too.
      endPendingSeek();
      setState("playing");
      setMessage(null);
    };
    const onEnded = () => setState("ended");
    video.addEventListener("seeking", onSeeking);
    video.addEventListener("playing", onPlaying);
    video.addEventListener("ended", onEnded);

    void (async () => {
      const { default: Hls } = await import("hls.js");
      if (disposed) return;
      const handle = createHls({
        Hls,
        video,
        playlistUrl,
        onReady: () => planAndStart(),
        audioLanguage: () => audioRef.current ?? "",
        onAudioTrack: (value, index) => setPlayingAudio({ value, index }),
        plannedDurationS: () => plannedDurationS(pacingRef.current),
      });
      hlsRef.current = handle;
      destroy = handle.destroy;
    })();

    return () => {
      disposed = true;
      clearInterval(waitTimer);
      endPendingSeek();
      seekRef.current = () => {};
      video.removeEventListener("seeking", onSeeking);
      video.removeEventListener("playing", onPlaying);
      video.removeEventListener("ended", onEnded);
      hlsRef.current = null;
      destroy();
    };
  }, [ready, playlistUrl, videoRef]);

  useEffect(() => {
    if (audioLanguage) hlsRef.current?.selectAudio(audioLanguage);
  }, [audioLanguage]);
  useEffect(() => {
    if (reloadKey) hlsRef.current?.reload();
  }, [reloadKey]);

  const overlay = !ready ? (waitingLabel ?? "Dubbing…") : message;
  return (
    <div
      className="player-frame"
      data-state={ready ? state : "waiting"}
      data-audio-language={playingAudio?.value ?? undefined}
      data-audio-track={playingAudio?.index}
    >
      <video id="player" ref={videoRef} controls playsInline muted preload="auto" />
      {overlay && (
        <div className="player-overlay" role="status" aria-live="polite">
          {(overlay === "Dubbing…" || state === "dubbing-seek") && (
            <span className="spinner" aria-hidden="true" />
          )}
          <span>{overlay}</span>
        </div>
      )}
    </div>
  );
}
