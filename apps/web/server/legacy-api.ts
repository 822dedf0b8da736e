/**
 * The original system's API (ViTranslator/VideoTrans, FastAPI), kept so its web client and
 * scripts work unchanged:
 *   POST /upload (video, target_language, generate_subtitle) → { status: "processing", task_id, message }
 *   GET  /task/<id>      → { status: processing | success | error, progress 0–100, message, hls_ready }
 *   GET  /playlists/<id>.m3u8   the master playlist, its URIs absolute under /segments/<id>/ (as the original's chunks were)
 *   GET  /segments/<id>/<name>  any file of the task's hls/ folder (renditions' playlists keep relative
 *                               chunk URIs, which resolve under /segments/<id>/ too)
 *   GET  /download/<id>  → the first language's final MP4
 * Errors also carry the original's `detail`. Returns false when the path is not one of these.
 */
import { readFile, realpath } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import { getTaskSummary, TASK_ID_PATTERN } from "@vitranslator/db";
import type { TaskSummary } from "@vitranslator/db";
import { publicTaskError } from "@vitranslator/api";
import { layout } from "@vitranslator/pipeline/layout";
import { AppError, sendJson } from "./http-util";
import { createTaskFromUpload } from "./tasks-service";
import type { FieldNames, ServiceDeps } from "./tasks-service";

const FIELDS: FieldNames = {
  video: "video",
  targetLanguage: "target_language",
  sourceLanguage: "source_language",
  burnSubtitles: "generate_subtitle",
  defaultTargetLanguage: "zh",
};

/** The original's three statuses. */
export function legacyStatus(status: TaskSummary["status"]): "processing" | "success" | "error" {
  switch (status) {
    case "queued":
    case "processing":
      return "processing";
    case "completed":
      return "success";
    case "failed":
    case "cancelled":
      return "error";
  }
}

export function legacyTaskBody(t: TaskSummary) {
  const status = legacyStatus(t.status);
  return {
    task_id: t.id,
    status,
    progress: status === "success" ? 100 : Math.max(0, Math.min(100, Math.round(t.progress * 100))),
    message:
      t.errorCode && t.status !== "completed"
        ? publicTaskError(t.id, t.errorCode, t.errorMessage).message
        : status === "success"
          ? "Done"
          : status === "error"
            ? "Cancelled"
            : "Processing",
    hls_ready: t.publishedCount > 0,
    playlist_url: `/playlists/${t.id}.m3u8`,
    ...(t.errorCode ? { code: t.errorCode } : {}),
  };
}

/**
 * The task's master playlist with every relative URI (variant lines and the renditions'
 * URI="…" attributes) made absolute under /segments/<id>/, as the original wrote its chunk
 * URIs, so the playlist works from /playlists/ without its files there.
 */
export function legacyPlaylist(text: string, id: string): string {
  const prefix = `/segments/${id}/`;
  const absolute = (uri: string) => (/^([a-z][a-z0-9+.-]*:|\/)/i.test(uri) ? uri : prefix + uri);
  return text
    .split("\n")
    .map((line) =>
      line.startsWith("#")
        ? line.replace(/URI="([^"]+)"/g, (_m, uri: string) => `URI="${absolute(uri)}"`)
        : line.trim()
          ? absolute(line.trim())
          : line,
    )
    .join("\n");
}

/** Whether it looks like an error the routes throw on purpose (status + UPPER_CASE code). */
function publicError(e: unknown): { status: number; code: string; message: string; headers?: object } | null {
  const x = e as { status?: unknown; code?: unknown; message?: unknown; headers?: object };
  return typeof x?.status === "number" && typeof x.code === "string" && /^[A-Z][A-Z0-9_]*$/.test(x.code)
    ? {
        status: x.status,
        code: x.code,
        message: String(x.message),
        ...(x.headers ? { headers: x.headers } : {}),
      }
    : null;
}

/**
 * `rest` serves what the newer API serves the same way (chunks, the MP4), so each rule
 * (ids, paths inside the storage root, caching) stays in one place.
 */
export function createLegacyHandler(
  deps: ServiceDeps,
  rest: (req: IncomingMessage, res: ServerResponse, pathname: string) => Promise<boolean>,
) {
  const routes: [
    string,
    RegExp,
    (req: IncomingMessage, res: ServerResponse, id: string, rest?: string) => Promise<void>,
  ][] = [
    [
      "POST",
      /^\/upload$/,
      async (req, res) => {
        const created = await createTaskFromUpload(deps, req, FIELDS);
        sendJson(res, 200, {
          status: "processing",
          task_id: created.id,
          message: "Video uploaded; dubbing has started.",
          ...created,
        });
      },
    ],
    [
      "GET",
      /^\/task\/([^/]+)$/,
      async (req, res, id) => {
        await deps.rateLimiter?.check(req, "api");
        const t = TASK_ID_PATTERN.test(id) ? await getTaskSummary(deps.db, id) : null;
        // The original answered an unknown id with status "error", not with a 404.
        if (!t)
          return sendJson(res, 200, {
            task_id: id.slice(0, 64),
            status: "error",
            progress: 0,
            message: "No such task.",
          });
        sendJson(res, 200, legacyTaskBody(t));
      },
    ],
    [
      "GET",
      /^\/playlists\/([^/]+)\.m3u8$/,
      async (_req, res, id) => {
        const text = TASK_ID_PATTERN.test(id)
          ? await readInside(deps.storage.root, layout.playlist(deps.storage.taskDir(id)))
          : null;
        if (text === null) throw new AppError("NOT_FOUND", "The playlist does not exist (yet).");
        const body = legacyPlaylist(text, id);
        res.writeHead(200, {
          "content-type": "application/vnd.apple.mpegurl",
          "content-length": Buffer.byteLength(body),
          "cache-control": "no-cache",
        });
        res.end(_req.method === "HEAD" ? undefined : body);
      },
    ],
    [
      "GET",
      /^\/segments\/([^/]+)\/([^/]+)$/,
      async (req, res, id, file) => {
        if (!(await rest(req, res, `/media/${id}/hls/${file ?? ""}`)))
          throw new AppError("NOT_FOUND", "Not found.");
      },
    ],
    [
      "GET",
      /^\/download\/([^/]+)$/,
      async (req, res, id) => void (await rest(req, res, `/api/tasks/${id}/download`)),
    ],
  ];

  return async (req: IncomingMessage, res: ServerResponse, pathname: string): Promise<boolean> => {
    for (const [method, pattern, handle] of routes) {
      const m = pattern.exec(pathname);
      if (!m) continue;
      if (req.method !== method && !(method === "GET" && req.method === "HEAD")) {
        sendJson(res, 405, { status: "error", message: `${req.method ?? "?"} is not allowed here.` });
        return true;
      }
      try {
        await handle(req, res, m[1] ?? "", m[2]);
      } catch (e) {
        const err = publicError(e);
        if (!err || res.headersSent) throw e;
        sendJson(
          res,
          err.status,
          {
            status: "error",
            message: err.message,
            detail: err.message,
            error: { code: err.code, message: err.message },
          },
          (err.headers ?? {}) as Record<string, string>,
        );
      }
      return true;
    }
    return false;
  };
}

/** The file's text when it exists inside `root` (symlinks followed), else null. */
async function readInside(root: string, file: string): Promise<string | null> {
  try {
    const [real, realRoot] = await Promise.all([realpath(file), realpath(root)]);
    return real.startsWith(realRoot + path.sep) ? await readFile(real, "utf8") : null;
  } catch {
    return null;
  }
}
