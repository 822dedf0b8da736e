/**
 * The REST surface for scripts, plus media files (the original system's endpoints are in
 * legacy-api.ts).
 * Returns false when the path is not ours, so Next can serve it.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { TASK_ID_PATTERN } from "@vitranslator/db";
import type { TaskSummary } from "@vitranslator/db";
import { isAppError, publicTaskError } from "@vitranslator/api";
import { addLanguage, requireTaskOwner } from "@vitranslator/tasks";
import { hls, isHlsName, layout } from "@vitranslator/pipeline/layout";
import { createDownloads, taskSummary } from "./downloads";
import { AppError, header, readJsonBody, RecentFiles, sendError, sendFile, sendJson } from "./http-util";
import { requestedMsn, waitForPlaylist } from "./playlist-wait";
import { languageCheck, targetLanguages } from "./engines";
import { createTaskFromUpload } from "./tasks-service";
import type { FieldNames, ServiceDeps } from "./tasks-service";

const REST_FIELDS: FieldNames = {
  video: "video",
  targetLanguage: "targetLanguage",
  sourceLanguage: "sourceLanguage",
  burnSubtitles: "burnSubtitles",
  manyLanguages: true,
  glossary: "glossary",
};

interface StatusBody {
  id: string;
  status: TaskSummary["status"];
  progress: number;
  segments: { total: number; published: number };
  /** Every dub language, the first being the default of the downloads. */
  languages: string[];
  /** Languages whose MP4 and subtitles can be downloaded. */
  finalLanguages: string[];
  note?: { code: string; message: string };
  /** The public message for the code; the stored detail is shown on /admin only. */
  error?: { code: string; message: string; errorId?: string };
}

function statusBody(t: TaskSummary): StatusBody {
  return {
    id: t.id,
    status: t.status,
    progress: Math.round(t.progress * 1000) / 1000,
    segments: { total: t.segmentCount ?? 0, published: t.publishedCount },
    languages: t.languages,
    finalLanguages: t.finalLanguages,
    // A completed task can carry a note (NOTHING_TO_DUB); anything else with a code is an error.
    ...(t.errorCode
      ? { [t.status === "completed" ? "note" : "error"]: publicTaskError(t.id, t.errorCode, t.errorMessage) }
      : {}),
  };
}

export function createRestHandler(deps: ServiceDeps) {
  const recentChunks = new RecentFiles({ maxBytes: 64 << 20, ttlMs: 1000 });
  const recentPlaylists = new RecentFiles({ maxBytes: 4 << 20, ttlMs: 250 });
  const taskDirOf = (id: string) => {
    if (!TASK_ID_PATTERN.test(id)) throw new AppError("TASK_NOT_FOUND", "No such task.");
    return deps.storage.taskDir(id);
  };
  const downloads = createDownloads(deps);

  /** POST /api/tasks/<id>/languages, `{ "language": "es" }`, the owner token in `x-owner-token`. */
  const addTaskLanguage = async (req: IncomingMessage, res: ServerResponse, id: string) => {
    // Each language dubs the whole video again: counted like an owner's edit.
    await deps.rateLimiter?.check(req, "edits");
    if (!TASK_ID_PATTERN.test(id)) throw new AppError("TASK_NOT_FOUND", "No such task.");
    const body = await readJsonBody(req, 4096);
    const language = (body as { language?: unknown } | null)?.language;
    if (typeof language !== "string")
      throw new AppError("BAD_REQUEST", 'Send JSON like { "language": "es" }.');
    await requireTaskOwner(deps.db, id, header(req, "x-owner-token"));
    const added = await addLanguage(deps, {
      taskId: id,
      language,
      checkEngines: languageCheck(deps.engines),
    });
    sendJson(res, 201, added);
  };

  /** A file of the task's hls/ folder: playlists (master, video, audio and subtitle renditions), chunks, WebVTT parts. */
  const serveHls = async (req: IncomingMessage, res: ServerResponse, id: string, name: string) => {
    if (!isHlsName(name)) throw new AppError("NOT_FOUND", "Not found.");
    const file = layout.hlsFile(taskDirOf(id), name);
    const playlist = name.endsWith(".m3u8");
    // Every media playlist grows (EVENT) and can be waited on; the master is written once per language set.
    const msn = playlist && name !== hls.master ? requestedMsn(req.url) : null;
    if (msn !== null) await holdPlaylist(res, file, msn);
    await sendFile(req, res, file, {
      root: deps.storage.root,
      // A chunk keeps its URI when the owner re-dubs a line, so it must be revalidated too.
      cache: "no-cache",
      // Every viewer fetches the same chunks and playlists within seconds: kept in memory
      // for a moment (a re-dub or a new chunk shows within that moment). A held playlist
      // request is answered from the file, since it waited for the newest version.
      ...(msn === null ? { recent: playlist ? recentPlaylists : recentChunks } : {}),
    });
  };

  const dependencies = async (): Promise<{ db?: boolean; redis?: boolean }> =>
    deps.checkDependencies ? deps.checkDependencies() : {};

  type Handle = (req: IncomingMessage, res: ServerResponse, m: RegExpExecArray) => Promise<void>;
  type Route = [method: string, pattern: RegExp, handle: Handle];
  /** Status reads and downloads count against the client's API rate limit. */
  const limited =
    (handle: Handle): Handle =>
    async (req, res, m) => {
      await deps.rateLimiter?.check(req, "api");
      await handle(req, res, m);
    };
  const routes: Route[] = [
    // Liveness: the process answers (dependencies are reported, not required, so a Redis
    // blip does not get every web process restarted). Readiness needs both.
    [
      "GET",
      /^\/healthz$/,
      async (_req, res) => sendJson(res, 200, { ok: true, service: "web", ...(await dependencies()) }),
    ],
    [
      "GET",
      /^\/readyz$/,
      async (_req, res) => {
        const d = await dependencies();
        const ready = d.db !== false && d.redis !== false;
        sendJson(res, ready ? 200 : 503, { ok: ready, service: "web", ...d });
      },
    ],
    [
      "GET",
      /^\/api\/limits$/,
      (_req, res) =>
        Promise.resolve(
          sendJson(
            res,
            200,
            deps.limits ?? {
              maxUploadMb: deps.maxUploadBytes / 1024 / 1024,
              maxDurationMin: deps.maxDurationMs / 60_000,
            },
          ),
        ),
    ],
    [
      "GET",
      /^\/api\/languages$/,
      async (_req, res) => sendJson(res, 200, { languages: await targetLanguages(deps.engines) }),
    ],
    [
      "POST",
      /^\/api\/tasks$/,
      async (req, res) => sendJson(res, 201, await createTaskFromUpload(deps, req, REST_FIELDS)),
    ],
    [
      "GET",
      /^\/api\/tasks\/([^/]+)$/,
      limited(async (_req, res, m) => sendJson(res, 200, statusBody(await taskSummary(deps.db, m[1]!)))),
    ],
    ["POST", /^\/api\/tasks\/([^/]+)\/languages$/, async (req, res, m) => addTaskLanguage(req, res, m[1]!)],
    [
      "GET",
      /^\/api\/tasks\/([^/]+)\/download$/,
      limited(async (req, res, m) => downloads.mp4(req, res, m[1]!)),
    ],
    [
      "GET",
      /^\/api\/tasks\/([^/]+)\/download\/all$/,
      limited(async (req, res, m) => downloads.allTracks(req, res, m[1]!)),
    ],
    [
      "GET",
      /^\/api\/tasks\/([^/]+)\/subtitles\.(srt|vtt)$/,
      limited(async (req, res, m) => downloads.subtitles(req, res, m[1]!, m[2] as "srt" | "vtt")),
    ],
    ["GET", /^\/media\/([^/]+)\/hls\/([^/]+)$/, async (req, res, m) => serveHls(req, res, m[1]!, m[2]!)],
  ];

  return async (req: IncomingMessage, res: ServerResponse, pathname: string): Promise<boolean> => {
    for (const [method, pattern, handle] of routes) {
      const m = pattern.exec(pathname);
      if (!m) continue;
      if (req.method !== method && !(method === "GET" && req.method === "HEAD")) {
        sendError(res, new AppError("METHOD_NOT_ALLOWED", `${req.method ?? "?"} is not allowed here.`));
        return true;
      }
      try {
        await handle(req, res, m);
      } catch (e) {
        if (isAppError(e)) sendError(res, e);
        else throw e;
      }
      return true;
    }
    return false;
  };
}

/** Holds a playlist request until it has chunk `msn` (see playlist-wait.ts); a viewer who leaves ends the wait. */
async function holdPlaylist(res: ServerResponse, file: string, msn: number): Promise<void> {
  const gone = new AbortController();
  const onClose = () => gone.abort();
  res.once("close", onClose);
  try {
    await waitForPlaylist({ file, msn, signal: gone.signal });
  } finally {
    res.off("close", onClose);
  }
}
