/**
 * The REST surface for scripts, plus media files (the original system's endpoints are in
 * legacy-api.ts).
 * Returns false when the path is not ours, so Next can serve it.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { getTaskSummary, TASK_ID_PATTERN } from "@vitranslator/db";
import type { TaskSummary } from "@vitranslator/db";
import { isAppError, publicTaskError } from "@vitranslator/api";
import { layout } from "@vitranslator/pipeline/layout";
import { AppError, RecentFiles, sendError, sendFile, sendJson } from "./http-util";
import { requestedMsn, waitForPlaylist } from "./playlist-wait";
import { targetLanguages } from "./engines";
import { createTaskFromUpload } from "./tasks-service";
import type { ServiceDeps } from "./tasks-service";

const REST_FIELDS = {
  video: "video",
  targetLanguage: "targetLanguage",
  sourceLanguage: "sourceLanguage",
  burnSubtitles: "burnSubtitles",
};

interface StatusBody {
  id: string;
  status: TaskSummary["status"];
  progress: number;
  segments: { total: number; published: number };
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
  const summary = async (id: string) => {
    const t = TASK_ID_PATTERN.test(id) ? await getTaskSummary(deps.db, id) : null;
    if (!t) throw new AppError("TASK_NOT_FOUND", "No such task.");
    return t;
  };
  const downloadMp4 = async (req: IncomingMessage, res: ServerResponse, id: string) => {
    const t = await summary(id);
    if (!t.finalReady)
      throw new AppError(
        "NOT_READY",
        `The dub is not finished yet (${t.publishedCount}/${t.segmentCount ?? "?"} segments).`,
      );
    const base = t.originalName.replace(/\.[^.]+$/, "");
    await sendFile(req, res, layout.finalMp4(taskDirOf(id)), {
      root: deps.storage.root,
      downloadName: `${base}.${t.targetLanguage}.mp4`,
    });
  };
  const downloadSubs = async (req: IncomingMessage, res: ServerResponse, id: string, ext: "srt" | "vtt") => {
    const t = await summary(id);
    if (!t.finalReady) throw new AppError("NOT_READY", "The subtitles are written when the dub is finished.");
    const dir = taskDirOf(id);
    await sendFile(req, res, ext === "srt" ? layout.finalSrt(dir) : layout.finalVtt(dir), {
      root: deps.storage.root,
      downloadName: `${t.originalName.replace(/\.[^.]+$/, "")}.${t.targetLanguage}.${ext}`,
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
      limited(async (_req, res, m) => sendJson(res, 200, statusBody(await summary(m[1]!)))),
    ],
    [
      "GET",
      /^\/api\/tasks\/([^/]+)\/download$/,
      limited(async (req, res, m) => downloadMp4(req, res, m[1]!)),
    ],
    [
      "GET",
      /^\/api\/tasks\/([^/]+)\/subtitles\.(srt|vtt)$/,
      limited(async (req, res, m) => downloadSubs(req, res, m[1]!, m[2] as "srt" | "vtt")),
    ],
    [
      "GET",
      /^\/media\/([^/]+)\/hls\/(index\.m3u8|seg_\d{1,6}_\d{1,4}\.ts)$/,
      async (req, res, m) => {
        const dir = taskDirOf(m[1]!);
        const chunk = layout.parseHlsChunkName(m[2]!);
        const file = chunk ? layout.hlsChunk(dir, chunk.part, chunk.chunk) : layout.playlist(dir);
        const msn = chunk ? null : requestedMsn(req.url);
        if (msn !== null) await holdPlaylist(res, file, msn);
        await sendFile(req, res, file, {
          root: deps.storage.root,
          // A chunk keeps its URI when the owner re-dubs a line, so it must be revalidated too.
          cache: "no-cache",
          // Every viewer fetches the same chunks and playlist within seconds: kept in memory
          // for a moment (a re-dub or a new chunk shows within that moment). A held playlist
          // request is answered from the file, since it waited for the newest version.
          ...(msn === null ? { recent: chunk ? recentChunks : recentPlaylists } : {}),
        });
      },
    ],
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
