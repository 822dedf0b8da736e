"use client";

import type { RefObject } from "react";
import { useEffect, useState } from "react";

const PLAYLIST_POLL_MS = 3000;
const RETRY_AFTER_ERROR_MS = 2000;

interface PlayerProps {
  playlistUrl: string;
  /** True once at least one segment is published (from the snapshot or a live event). */
  hasSegments: boolean;
  /** Shown over the video while there is nothing to play yet. */
  waitingLabel: string | null;
  videoRef: RefObject<HTMLVideoElement | null>;
}

/** Answers true once the playlist exists (it is 404 until the first segment is published). */
async function playlistExists(url: string, signal: AbortSignal): Promise<boolean> {
  try {
    const res = await fetch(url, { method: "HEAD", cache: "no-store", signal });
    return res.ok;
  } catch {
    return false;
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(t);
        resolve();
      },
      { once: true },
    );
  });
}

/**
 * Waits until the playlist is there, then plays it from position 0 with hls.js (or natively
 * where only native HLS exists) and keeps playing while the EVENT playlist grows.
 */
export function Player({ playlistUrl, hasSegments, waitingLabel, videoRef }: PlayerProps) {
  const [ready, setReady] = useState(false);

  // Wait for the first segment: a live `published` event or a successful poll, whichever first.
  useEffect(() => {
    if (ready) return;
    if (hasSegments) {
      setReady(true);
      return;
    }
    const ctl = new AbortController();
    void (async () => {
      while (!ctl.signal.aborted) {
        if (await playlistExists(playlistUrl, ctl.signal)) {
          setReady(true);
          return;
        }
        await sleep(PLAYLIST_POLL_MS, ctl.signal);
      }
    })();
    return () => ctl.abort();
  }, [ready, hasSegments, playlistUrl]);

  useEffect(() => {
    const video = videoRef.current;
    if (!ready || !video) return;
    let disposed = false;
    let destroy = () => {};

    const startPlaying = () => {
      video.play().catch(() => {
        /* autoplay refused: the controls are there */
      });
    };

    void (async () => {
      const { default: Hls } = await import("hls.js");
      if (disposed) return;
      if (!Hls.isSupported()) {
        if (video.canPlayType("application/vnd.apple.mpegurl")) {
          const toStart = () => {
            video.currentTime = 0;
            startPlaying();
          };
          video.addEventListener("loadedmetadata", toStart, { once: true });
          video.src = playlistUrl;
          destroy = () => {
            video.removeEventListener("loadedmetadata", toStart);
            video.removeAttribute("src");
            video.load();
          };
        }
        return;
      }
      const hls = new Hls({
        // An EVENT playlist is "live" to hls.js: start at the beginning, never skip ahead.
        startPosition: 0,
        liveSyncDurationCount: 1_000_000,
        liveMaxLatencyDurationCount: Infinity,
        maxLiveSyncPlaybackRate: 1,
        lowLatencyMode: false,
      });
      let retry: ReturnType<typeof setTimeout> | undefined;
      hls.on(Hls.Events.MANIFEST_PARSED, startPlaying);
      hls.on(Hls.Events.ERROR, (_event, data) => {
        if (!data.fatal) return;
        clearTimeout(retry);
        if (data.type === Hls.ErrorTypes.MEDIA_ERROR) {
          hls.recoverMediaError();
        } else if (data.type === Hls.ErrorTypes.NETWORK_ERROR) {
          // The server may restart or the playlist may not be written yet: try again.
          retry = setTimeout(() => {
            // Resume where playback is; a bare startLoad() could fall back to startPosition 0.
            if (hls.levels.length > 0) hls.startLoad(video.currentTime);
            else hls.loadSource(playlistUrl);
          }, RETRY_AFTER_ERROR_MS);
        }
      });
      hls.loadSource(playlistUrl);
      hls.attachMedia(video);
      destroy = () => {
        clearTimeout(retry);
        hls.destroy();
      };
    })();

    return () => {
      disposed = true;
      destroy();
    };
  }, [ready, playlistUrl, videoRef]);

  const overlay = !ready ? (waitingLabel ?? "Dubbing…") : null;
  return (
    <div className="player-frame">
      <video id="player" ref={videoRef} controls playsInline muted preload="auto" />
      {overlay && (
        <div className="player-overlay" role="status" aria-live="polite">
          {overlay === "Dubbing…" && <span className="spinner" aria-hidden="true" />}
          <span>{overlay}</span>
        </div>
      )}
    </div>
  );
}
