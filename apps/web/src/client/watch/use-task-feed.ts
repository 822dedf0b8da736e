"use client";

import type { TaskSnapshot } from "@vitranslator/api/types";
import { useEffect, useReducer, useRef, useState } from "react";
import { createApiClient } from "../trpc";
import type { WatchState } from "./task-state";
import { applyEvent, stateFromSnapshot } from "./task-state";

export interface TaskLinks {
  watchUrl: string;
  playlistUrl: string;
  mp4Url: string;
  srtUrl: string;
  vttUrl: string;
}

export type Feed =
  | { phase: "loading" }
  | { phase: "error"; message: string; notFound: boolean }
  | { phase: "live"; task: TaskSnapshot; links: TaskLinks; state: WatchState };

type Action =
  | { kind: "loaded"; task: TaskSnapshot; links: TaskLinks }
  | { kind: "failed"; message: string; notFound: boolean }
  | { kind: "event"; event: Parameters<typeof applyEvent>[1] };

function reduce(feed: Feed, action: Action): Feed {
  switch (action.kind) {
    case "loaded":
      return { phase: "live", task: action.task, links: action.links, state: stateFromSnapshot(action.task) };
    case "failed":
      return { phase: "error", message: action.message, notFound: action.notFound };
    case "event":
      return feed.phase === "live" ? { ...feed, state: applyEvent(feed.state, action.event) } : feed;
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

/** Loads the task once, then follows its live events (resuming after reconnects). */
export function useTaskFeed(id: string): { feed: Feed; connected: boolean } {
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
            onData: ({ data }) => dispatch({ kind: "event", event: data }),
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

  const settled = feed.phase === "live" && isSettled(feed.state);
  useEffect(() => {
    if (settled) stopFeed.current();
  }, [settled]);

  return { feed, connected: connected || settled };
}
