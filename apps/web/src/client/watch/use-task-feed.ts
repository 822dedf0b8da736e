"use client";

import type { TaskSnapshot } from "@vitranslator/api/types";
import { useEffect, useReducer, useRef, useState } from "react";
import { createApiClient } from "../trpc";
import type { LanguagesState } from "./languages-state";
import { languagesFromSnapshot, languagesToLoad, languageState, reduceLanguages } from "./languages-state";
import type { WatchState } from "./task-state";
import { snapshotLanguage, stateFromSnapshot } from "./task-state";

export interface TaskLinks {
  watchUrl: string;
  playlistUrl: string;
  mp4Url: string;
  srtUrl: string;
  vttUrl: string;
  /** The MP4 with every language's audio track. */
  allTracksUrl: string;
}

export type Feed =
  | { phase: "loading" }
  | { phase: "error"; message: string; notFound: boolean }
  | {
      phase: "live";
      /** The first snapshot (the task's main language). */
      task: TaskSnapshot;
      links: TaskLinks;
      /** The main language's state (the task's status, the player's pacing). */
      state: WatchState;
      /** Every language's state the page asked for, and the task's languages. */
      languages: LanguagesState;
    };

type Action =
  | { kind: "loaded"; task: TaskSnapshot; links: TaskLinks }
  | { kind: "failed"; message: string; notFound: boolean }
  | { kind: "languages"; action: Parameters<typeof reduceLanguages>[1] };

function reduce(feed: Feed, action: Action): Feed {
  switch (action.kind) {
    case "loaded": {
      const languages = languagesFromSnapshot(action.task);
      return {
        phase: "live",
        task: action.task,
        links: action.links,
        state: stateFromSnapshot(action.task),
        languages,
      };
    }
    case "failed":
      return { phase: "error", message: action.message, notFound: action.notFound };
    case "languages": {
      if (feed.phase !== "live") return feed;
      const languages = reduceLanguages(feed.languages, action.action);
      const state = languageState(languages, snapshotLanguage(feed.task)) ?? feed.state;
      return { ...feed, languages, state };
    }
  }
}

function errorInfo(err: unknown): { message: string; notFound: boolean } {
  const data = (err as { data?: { code?: string } } | null)?.data;
  const message = err instanceof Error ? err.message : "Could not load the task.";
  return { message, notFound: data?.code === "NOT_FOUND" };
}

/**
 * Nothing more will happen to the task: the live feed can be closed. A completed task
 * stays followed, because its owner may edit a line and every viewer sees the re-dub.
 */
function isSettled(state: WatchState): boolean {
  return state.status === "failed" || state.status === "cancelled";
}

/**
 * Loads the task once, then follows its live events (resuming after reconnects). Each
 * language in `wanted` is loaded once when the page first asks for it (its snapshot), then
 * kept up to date from the same events.
 */
export function useTaskFeed(id: string, wanted: readonly string[] = []): { feed: Feed; connected: boolean } {
  const [feed, dispatch] = useReducer(reduce, { phase: "loading" });
  const [connected, setConnected] = useState(true);
  const stopFeed = useRef<() => void>(() => {});

  useEffect(() => {
    const { api, close } = createApiClient();
    let cancelled = false;
    let unsubscribe = () => {};

    void (async () => {
      try {
        const res = await api.task.get.query({ id });
        if (cancelled) return;
        dispatch({ kind: "loaded", task: res.task, links: res.links });
        if (isSettled(stateFromSnapshot(res.task))) return;
        const sub = api.task.events.subscribe(
          { id, lastEventId: res.lastEventId },
          {
            onData: ({ data }) => dispatch({ kind: "languages", action: { kind: "event", event: data } }),
            // "connecting" with an error means the socket dropped and is retrying.
            onConnectionStateChange: (s) => setConnected(!(s.state === "connecting" && s.error !== null)),
            onError: () => setConnected(false),
          },
        );
        unsubscribe = () => sub.unsubscribe();
        stopFeed.current = () => {
          unsubscribe();
          close();
        };
      } catch (err) {
        if (!cancelled) dispatch({ kind: "failed", ...errorInfo(err) });
      }
    })();

    return () => {
      cancelled = true;
      unsubscribe();
      close();
    };
  }, [id]);

  const toLoad = feed.phase === "live" ? languagesToLoad(feed.languages, wanted).join(",") : "";
  useEffect(() => {
    if (!toLoad) return;
    const { api, close } = createApiClient();
    for (const language of toLoad.split(",")) {
      dispatch({ kind: "languages", action: { kind: "want", language } });
      api.task.get
        .query({ id, language })
        .then((res) => dispatch({ kind: "languages", action: { kind: "loaded", task: res.task } }))
        .catch(() => dispatch({ kind: "languages", action: { kind: "failed", language } }));
    }
    // The queries are not cancelled: their answers land in the reducer whatever the page shows now.
    return close;
  }, [id, toLoad]);

  const settled = feed.phase === "live" && isSettled(feed.state);
  useEffect(() => {
    if (settled) stopFeed.current();
  }, [settled]);

  return { feed, connected: connected || settled };
}
