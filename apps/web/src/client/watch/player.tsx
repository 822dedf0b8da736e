"use client";

import type { RefObject } from "react";
import { useEffect, useRef, useState } from "react";
import { planStart, plannedWaitMessage } from "@vitranslator/pipeline/pacing";
import type { HlsHandle } from "./hls-player";
import { createHls } from "./hls-player";

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

interface PlayerProps {
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
/** A plan shorter than this is not worth a message: start at once. */
const MIN_PLANNED_WAIT_MS = 400;

/** Answers true once the playlist exists (it is 404 until the first segment is published). */
async function playlistExists(url: string, signal: AbortSignal): Promise<boolean> {
  try {
    const res = await fetch(url, { method: "HEAD", cache: "no-store", signal });
    return res.ok;
  } catch {
    return false;
  }
}

const publishedEndMs = (p: Pacing) => p.partsMs.slice(0, p.publishedCount).reduce((a, b) => a + b, 0);

/**
 * Plays the growing EVENT playlist from position 0. When the first part is in, it starts at
 * once if the dub is made fast enough to stay ahead, and otherwise waits on purpose — once,
 * saying how long and why — so that playback, once started, never pauses for the pipeline.
 */
export function Player({
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
    // three parts are in, never with a rate above the one first seen. It ends once.
    const planAndStart = () => {
      const p = pacingRef.current;
      const plan = p.done
        ? null
        : planStart({ partsMs: p.partsMs, publishedCount: p.publishedCount, rate: p.dubRate });
      if (!plan || plan.waitMs < MIN_PLANNED_WAIT_MS) return play();
      let deadline = Date.now() + plan.waitMs;
      let seen = p.publishedCount;
      let current = plan;
      setState("planned-wait");
      setMessage(plannedWaitMessage(plan, plan.waitMs));
      waitTimer = setInterval(() => {
        const now = pacingRef.current;
        if (now.done) return play();
        if (now.publishedCount !== seen) {
          seen = now.publishedCount;
          // Three publications measure the rate itself; fewer are only a hint (see dubRate).
          const rate =
            now.publishedCount >= 3 && now.dubRate !== null
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
        else setMessage(plannedWaitMessage(current, left));
      }, 250);
    };

    const onSeeking = () => {
      if (!started) return;
      const p = pacingRef.current;
      const target = video.currentTime * 1000;
      if (!p.done && target >= publishedEndMs(p)) {
        setState("dubbing-seek");
        setMessage("Dubbing this part first… playback resumes by itself when it is ready");
        seekAheadRef.current?.(Math.round(target));
      }
    };
    const onPlaying = () => {
      if (!started) return;
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
        onReady: planAndStart,
        audioLanguage: () => audioRef.current ?? "",
        onAudioTrack: (value, index) => setPlayingAudio({ value, index }),
      });
      hlsRef.current = handle;
      destroy = handle.destroy;
    })();

    return () => {
      disposed = true;
      clearInterval(waitTimer);
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
