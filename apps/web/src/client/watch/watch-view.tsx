"use client";

import Link from "next/link";
import type { RefObject } from "react";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { createApiClient } from "../trpc";
import { ownerTokenKey } from "../upload";
import { CopyLinkButton } from "./copy-link";
import { Player } from "./player";
import { ProgressPanel } from "./progress-panel";
import { sentenceAt } from "./task-state";
import type { TaskLinks } from "./use-task-feed";
import { useTaskFeed } from "./use-task-feed";
import { Transcript } from "./transcript";
import type { LineEdit } from "./transcript";

function readOwnerToken(id: string): string | null {
  try {
    return window.localStorage.getItem(ownerTokenKey(id));
  } catch {
    return null;
  }
}

/** The owner's token when this browser created the task (checked by the server), else null. */
function useOwnerToken(id: string): string | null {
  const [token, setToken] = useState<string | null>(null);
  useEffect(() => {
    const stored = readOwnerToken(id);
    if (!stored) return;
    const { api, close } = createApiClient({ ownerToken: stored });
    let cancelled = false;
    api.task.isOwner
      .query({ id })
      .then((r) => {
        if (!cancelled && r.owner) setToken(stored);
      })
      .catch(() => {
        /* no edit controls: the page still works */
      })
      .finally(close);
    return () => {
      cancelled = true;
    };
  }, [id]);
  return token;
}

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

  const ownerToken = useOwnerToken(id);
  const sentences = live?.state.sentences ?? [];
  const publishedCount = live?.state.publishedCount ?? 0;
  const status = live?.state.status;
  const editable = useCallback(
    (segmentIndex: number) =>
      segmentIndex < publishedCount && (status === "processing" || status === "completed"),
    [publishedCount, status],
  );
  const edit = useCallback(
    async (index: number, change: LineEdit) => {
      if (!ownerToken) return;
      const { api, close } = createApiClient({ ownerToken });
      try {
        await api.task.editSentence.mutate({ id, index, ...change });
      } finally {
        close();
      }
    },
    [id, ownerToken],
  );
  const current = useMemo(() => sentenceAt(sentences, playbackMs), [sentences, playbackMs]);

  const seekAhead = useCallback(
    (ms: number) => {
      const { api, close } = createApiClient();
      api.task.seekAhead
        .mutate({ id, positionMs: ms })
        .catch(() => {
          /* the part still comes, in order */
        })
        .finally(close);
    },
    [id],
  );

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
          pacing={{
            partsMs: state.partsMs,
            publishedCount: state.publishedCount,
            dubRate: state.dubRate,
            done: state.status !== "processing" && state.status !== "queued",
          }}
          waitingLabel={waitingLabel}
          videoRef={videoRef}
          onSeekAhead={seekAhead}
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
          {state.status === "completed" &&
            (state.finalReady ? (
              <Downloads links={links} />
            ) : (
              <p className="muted downloads" role="status">
                Rebuilding the MP4 with the re-dubbed line…
              </p>
            ))}
        </div>
        <section className="transcript-panel" aria-labelledby="transcript-heading">
          <h2 id="transcript-heading">Transcript</h2>
          {ownerToken && (
            <p className="muted owner-hint" id="owner-hint">
              You made this dub: use Edit on a line to correct it and re-dub that part.
            </p>
          )}
          <Transcript
            sentences={sentences}
            activeIndex={current?.index ?? null}
            onSeek={seek}
            redubbing={state.redubbing}
            editableSegments={editable}
            {...(ownerToken ? { onEdit: edit } : {})}
          />
        </section>
      </aside>
    </div>
  );
}
