"use client";

import Link from "next/link";
import type { RefObject } from "react";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { createApiClient } from "../trpc";
import { ownerTokenKey } from "../upload";
import { CopyLinkButton } from "./copy-link";
import { ORIGINAL_AUDIO } from "./hls-player";
import {
  AddLanguage,
  LanguageDownloads,
  LanguageMenus,
  languageLabel,
  SUBTITLES_OFF,
} from "./language-controls";
import { languageState } from "./languages-state";
import { Player } from "./player";
import type { PlayerControls } from "./player";
import { ProgressPanel } from "./progress-panel";
import { sentenceAt } from "./task-state";
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

/**
 * The audio and subtitle languages chosen (null: the task's main one). The transcript shows
 * the dub being heard (the last one chosen while the original plays); subtitles follow the
 * audio until the viewer picks them apart.
 */
function useLanguageChoice(main: string | null) {
  const [audioChosen, setAudio] = useState<string | null>(null);
  const [subtitleChosen, setSubtitle] = useState<string | null>(null);
  const [lastDub, setLastDub] = useState<string | null>(null);
  const audio = audioChosen ?? main ?? "";
  const subtitle = subtitleChosen ?? main ?? SUBTITLES_OFF;
  const dub = audio === ORIGINAL_AUDIO ? (lastDub ?? main ?? "") : audio;
  const chooseAudio = useCallback(
    (value: string) => {
      if (value !== ORIGINAL_AUDIO) {
        setLastDub(value);
        if (subtitle === dub) setSubtitle(value);
      }
      setAudio(value);
    },
    [subtitle, dub],
  );
  return { audio, subtitle, dub, chooseAudio, chooseSubtitle: setSubtitle };
}

export function WatchView({ id }: { id: string }) {
  const [main, setMain] = useState<string | null>(null);
  const { audio, subtitle, dub, chooseAudio, chooseSubtitle } = useLanguageChoice(main);
  const { feed, connected } = useTaskFeed(id, [dub, subtitle]);
  const videoRef = useRef<HTMLVideoElement | null>(null);
  const live = feed.phase === "live" ? feed : null;
  const playbackMs = usePlaybackMs(videoRef, live !== null);
  const mainLanguage = live?.state.language ?? null;
  useEffect(() => setMain(mainLanguage), [mainLanguage]);
  // The chosen dub's state once loaded (the main one meanwhile), and the subtitle's.
  const dubState = (live && languageState(live.languages, dub)) ?? live?.state;
  const subtitleState = live && subtitle !== SUBTITLES_OFF ? languageState(live.languages, subtitle) : null;

  const ownerToken = useOwnerToken(id);
  const sentences = dubState?.sentences ?? [];
  const publishedCount = dubState?.publishedCount ?? 0;
  const status = dubState?.status;
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
        await api.task.editSentence.mutate({ id, index, language: dub, ...change });
      } finally {
        close();
      }
    },
    [id, ownerToken, dub],
  );
  const current = useMemo(() => sentenceAt(sentences, playbackMs), [sentences, playbackMs]);
  const subtitleSentences = subtitleState?.sentences;
  const currentSubtitle = useMemo(
    () => (subtitleSentences ? sentenceAt(subtitleSentences, playbackMs) : null),
    [subtitleSentences, playbackMs],
  );

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

  // A transcript line seeks through the player, which keeps the asked position (seek ahead).
  const playerRef = useRef<PlayerControls | null>(null);
  const seek = useCallback((ms: number) => playerRef.current?.seek(ms), []);

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

  const { task, links, state, languages } = feed;
  const shown = dubState ?? state;
  const waitingLabel =
    state.status === "failed" ? "Dubbing failed" : state.status === "cancelled" ? "Cancelled" : null;

  return (
    <div className="watch">
      <div className="watch-main">
        <div className="watch-title">
          <h1 title={task.originalName}>{task.originalName}</h1>
          <p className="muted">
            {(task.sourceLanguage ?? "auto").toUpperCase()} → {languages.languages.join(", ").toUpperCase()}
          </p>
        </div>

        <Player
          ref={playerRef}
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
          audioLanguage={audio}
          reloadKey={languages.added}
        />

        <LanguageMenus
          languages={languages.languages}
          withOriginal={task.hasVideo}
          audio={audio}
          subtitle={subtitle}
          onAudio={chooseAudio}
          onSubtitle={chooseSubtitle}
        />

        <div
          id="live-subtitle"
          data-testid="live-subtitle"
          data-language={subtitle}
          className="live-subtitle"
          aria-live="off"
        >
          <p className="live-translation" lang={subtitle === SUBTITLES_OFF ? undefined : subtitle}>
            {currentSubtitle?.translation ?? currentSubtitle?.spokenText ?? "\u00a0"}
          </p>
          <p className="live-source">{currentSubtitle?.sourceText ?? "\u00a0"}</p>
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
        <ProgressPanel state={shown} connected={connected} />
        <div className="actions">
          <CopyLinkButton />
          <LanguageDownloads
            links={links}
            languages={languages.languages}
            finalLanguages={languages.finalLanguages}
            allFinal={languages.allFinal}
          />
          {shown.status === "completed" && !languages.finalLanguages.includes(shown.language) && (
            <p className="muted downloads" role="status">
              Rebuilding the MP4 with the re-dubbed line…
            </p>
          )}
        </div>
        {ownerToken && (state.status === "processing" || state.status === "completed") && (
          <AddLanguage
            id={id}
            ownerToken={ownerToken}
            languages={languages.languages}
            finalLanguages={languages.finalLanguages}
          />
        )}
        <section className="transcript-panel" aria-labelledby="transcript-heading">
          <h2 id="transcript-heading">
            Transcript
            {languages.languages.length > 1 && (
              <span className="muted"> · {languageLabel(shown.language)}</span>
            )}
          </h2>
          {ownerToken && (
            <p className="muted owner-hint" id="owner-hint">
              You made this dub: use Edit on a line to correct it and re-dub that part.
            </p>
          )}
          <Transcript
            sentences={sentences}
            activeIndex={current?.index ?? null}
            onSeek={seek}
            redubbed={shown.redubbed}
            editableSegments={editable}
            {...(ownerToken ? { onEdit: edit } : {})}
          />
        </section>
      </aside>
    </div>
  );
}
