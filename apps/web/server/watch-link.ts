/**
 * Tells the watch page whether its link names a task, so a wrong link is a 404 page (Next's
 * notFound()) instead of a player that never starts. The server decides, with the database;
 * the page reads the verdict from a request header that only this function sets.
 */
import type { IncomingMessage } from "node:http";
import { getTaskStatus, TASK_ID_PATTERN } from "@vitranslator/db";
import type { Db } from "@vitranslator/db";
import { WATCH_TASK_HEADER } from "../src/watch-link";

const WATCH_PATH = /^\/watch\/([^/]*)\/?$/;

export async function markWatchRequest(req: IncomingMessage, pathname: string, db: Db): Promise<void> {
  // Whatever a client sent under this name is never believed.
  delete req.headers[WATCH_TASK_HEADER];
  const m = WATCH_PATH.exec(pathname);
  if (!m) return;
  let id = "";
  try {
    id = decodeURIComponent(m[1] ?? "");
  } catch {
    // A malformed escape is a wrong link like any other; Next could not even decode it.
    req.url = "/watch/invalid-link";
  }
  const exists = TASK_ID_PATTERN.test(id) && (await getTaskStatus(db, id)) !== null;
  req.headers[WATCH_TASK_HEADER] = exists ? "found" : "missing";
}
