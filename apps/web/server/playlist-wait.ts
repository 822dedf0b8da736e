/**
 * Blocking playlist reload (HLS §6.2.5.2, `_HLS_msn`): a player that asks for a media
 * sequence number the playlist does not hold yet is answered when that chunk is published
 * (or the playlist ends), instead of polling once per target duration. One watcher per
 * playlist file, however many viewers wait on it, so the cost does not grow with viewers.
 */
import { readFile } from "node:fs/promises";

/** Answer with what there is after this long (well under hls.js's playlist load timeout). */
export const PLAYLIST_HOLD_MS = 4000;
const CHECK_EVERY_MS = 100;

interface Watch {
  waiters: Set<() => void>;
  timer: ReturnType<typeof setInterval>;
  lastText: string | null;
}

const watches = new Map<string, Watch>();

/** Number of chunks in a playlist and whether it has ended. */
export function playlistState(text: string): { chunks: number; ended: boolean } {
  let chunks = 0;
  for (const line of text.split("\n")) if (line.startsWith("#EXTINF:")) chunks++;
  return { chunks, ended: text.includes("#EXT-X-ENDLIST") };
}

async function readOrNull(file: string): Promise<string | null> {
  try {
    return await readFile(file, "utf8");
  } catch {
    return null;
  }
}

function watch(file: string, onChange: () => void): () => void {
  let w = watches.get(file);
  if (!w) {
    const entry: Watch = {
      waiters: new Set(),
      lastText: null,
      timer: setInterval(() => {
        void readOrNull(file).then((text) => {
          if (text === entry.lastText) return;
          entry.lastText = text;
          for (const fn of [...entry.waiters]) fn();
        });
      }, CHECK_EVERY_MS),
    };
    entry.timer.unref();
    watches.set(file, entry);
    w = entry;
  }
  const waiters = w.waiters;
  waiters.add(onChange);
  return () => {
    waiters.delete(onChange);
    const current = watches.get(file);
    if (current && current.waiters.size === 0) {
      clearInterval(current.timer);
      watches.delete(file);
    }
  };
}

/**
 * Waits until the playlist at `file` holds media sequence number `msn` (chunks are numbered
 * from 0, EXT-X-MEDIA-SEQUENCE:0), or has ended, or `holdMs` passed, or `signal` aborts
 * (the viewer went away). Returns the playlist's text then, or null if it does not exist.
 */
export async function waitForPlaylist(opts: {
  file: string;
  msn: number;
  holdMs?: number;
  signal?: AbortSignal;
}): Promise<string | null> {
  const ready = (text: string | null) => {
    if (text === null) return false;
    const st = playlistState(text);
    return st.ended || st.chunks > opts.msn;
  };
  const first = await readOrNull(opts.file);
  if (opts.signal?.aborted) return null;
  if (ready(first)) return first;
  return new Promise<string | null>((resolve) => {
    let done = false;
    const finish = (text: string | null) => {
      if (done) return;
      done = true;
      clearTimeout(timeout);
      unwatch();
      opts.signal?.removeEventListener("abort", onAbort);
      resolve(text);
    };
    const check = () => void readOrNull(opts.file).then((t) => ready(t) && finish(t));
    const onAbort = () => finish(null);
    const timeout = setTimeout(
      () => void readOrNull(opts.file).then(finish),
      opts.holdMs ?? PLAYLIST_HOLD_MS,
    );
    const unwatch = watch(opts.file, check);
    opts.signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** The `_HLS_msn` directive of a playlist request, when it is a sane number. */
export function requestedMsn(url: string | undefined): number | null {
  const q = url?.indexOf("?") ?? -1;
  if (!url || q < 0) return null;
  const raw = new URLSearchParams(url.slice(q + 1)).get("_HLS_msn");
  if (raw === null || !/^\d{1,7}$/.test(raw)) return null;
  return Number(raw);
}
