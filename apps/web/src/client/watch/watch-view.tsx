"use client";

import Link from "next/link";
import type { RefObject } from "react";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { CopyLinkButton } from "./copy-link";
import { Player } from "./player";
import { ProgressPanel } from "./progress-panel";
import { sentenceAt } from "./task-state";
import type { TaskLinks } from "./use-task-feed";
import { useTaskFeed } from "./use-task-feed";
import { Transcript } from "./transcript";

/** Follows the playback position (in ms) of a video element. */
function usePlaybackMs(videoRef: RefObject<HTMLVideoElement | null>, enabled: boolean): number {
  const [ms, setMs] = useState(0);
  useEffect(() => {
    const video = videoRef.current;
    if (!enabled || !video) return;
    const update = () => setMs(Math.round(video.currentTime * 1000));
    const events = ["timeupdate", "seeked", "seeking", "loadedmetadata"] as const;
    for (const e of events) video.addEventListener(e, update);
    return () => {
      for (const e of events) video.removeEventListener(e, update);
    };
  }, [videoRef, enabled]);
  return ms;
}

function Downloads({ links }: { links: TaskLinks }) {
  return (
    <nav className="downloads" aria-label="Downloads">
      <a id="download-mp4" className="button primary" href={links.mp4Url} download>
        Download MP4
      </a>
      <a id="download-srt" className="button secondary" href={links.srtUrl} download>
        Subtitles (SRT)
      </a>
      <a id="download-vtt" className="button secondary" href={links.vttUrl} download>
        Subtitles (VTT)
      </a>
    </nav>
  );
}

export function WatchView({ id }: { id: string }) {
  const { feed, connected } = useTaskFeed(id);
  const videoRef = useRef<HTMLVideoElement | null>(null);
  const live = feed.phase === "live" ? feed : null;
  const playbackMs = usePlaybackMs(videoRef, live !== null);

  const sentences = live?.state.sentences ?? [];
  const current = useMemo(() => sentenceAt(sentences, playbackMs), [sentences, playbackMs]);

  const seek = useCallback((ms: number) => {
    const video = videoRef.current;
    if (!video) return;
    video.currentTime = ms / 1000;
    video.play().catch(() => {
      /* the user can press play */
    });
  }, []);

  if (feed.phase === "loading") {
    return (
      <p className="muted page-message" role="status">
        Loading…
      </p>
    );
  }
  if (feed.phase === "error") {
    return (
      <div className="page-message">
        <p role="alert" className="alert">
          {feed.notFound
            ? "This task does not exist (the link may be wrong, or it was deleted)."
            : feed.message}
        </p>
        <Link href="/" className="button">
          Dub a video
        </Link>
      </div>
    );
  }

  const { task, links, state } = feed;
  const waitingLabel =
    state.status === "failed" ? "Dubbing failed" : state.status === "cancelled" ? "Cancelled" : null;

  return (
    <div className="watch">
      <div className="watch-main">
        <div className="watch-title">
          <h1 title={task.originalName}>{task.originalName}</h1>
          <p className="muted">
            {(task.sourceLanguage ?? "auto").toUpperCase()} → {task.targetLanguage.toUpperCase()}
          </p>
        </div>

        <Player
          playlistUrl={links.playlistUrl}
          hasSegments={state.publishedCount > 0}
          waitingLabel={waitingLabel}
          videoRef={videoRef}
        />

        <div id="live-subtitle" data-testid="live-subtitle" className="live-subtitle" aria-live="off">
          <p className="live-translation">{current?.translation ?? current?.spokenText ?? "\u00a0"}</p>
          <p className="live-source">{current?.sourceText ?? "\u00a0"}</p>
        </div>

        {(state.status === "failed" || state.status === "cancelled") && (
          <div role="alert" className="alert">
            {state.status === "failed" ? (
              <>
                <strong>{state.errorCode ?? "FAILED"}</strong>: {state.errorMessage ?? "The task failed."}
              </>
            ) : (
              "This task was cancelled."
            )}
          </div>
        )}
      </div>

      <aside className="watch-side">
        <ProgressPanel state={state} connected={connected} />
        <div className="actions">
          <CopyLinkButton />
          {state.status === "completed" && <Downloads links={links} />}
        </div>
        <section className="transcript-panel" aria-labelledby="transcript-heading">
          <h2 id="transcript-heading">Transcript</h2>
          <Transcript sentences={sentences} activeIndex={current?.index ?? null} onSeek={seek} />
        </section>
      </aside>
    </div>
  );
}
