import { open, realpath } from "node:fs/promises";
import type { FileHandle } from "node:fs/promises";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { AppError } from "@vitranslator/api";

/**
 * An AppError whose status the thrower states (the upload code's errors); new code throws
 * `AppError(code, message)` and gets the status from the one map in @vitranslator/api.
 */
export class HttpError extends AppError {
  override readonly status: number;
  constructor(status: number, code: string, message: string, headers: Record<string, string> = {}) {
    super(code, message, { headers });
    this.status = status;
  }
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const data = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(data),
    "cache-control": "no-store",
  });
  res.end(data);
}

export function sendError(res: ServerResponse, err: AppError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, err.status, { error: { code: err.code, message: err.message } }, err.headers);
}

const TYPES: Record<string, string> = {
  ".m3u8": "application/vnd.apple.mpegurl",
  ".ts": "video/mp2t",
  ".mp4": "video/mp4",
  ".srt": "application/x-subrip; charset=utf-8",
  ".vtt": "text/vtt; charset=utf-8",
};

/**
 * Streams a file with Range support (the video element seeks in the MP4 with it). The file
 * is opened first and read through that handle, so a file deleted or replaced meanwhile
 * (retention, a re-dub, an admin's delete) is served whole or answered 404; a read error
 * mid-body ends that response only.
 */
export async function sendFile(
  req: IncomingMessage,
  res: ServerResponse,
  file: string,
  opts: { downloadName?: string; cache?: string; root?: string } = {},
): Promise<void> {
  if (opts.root && !(await resolvesInside(file, opts.root))) throw new AppError("NOT_FOUND", "Not found.");
  let handle: FileHandle;
  try {
    handle = await open(file, "r");
  } catch {
    throw new AppError("NOT_FOUND", "Not found (yet).");
  }
  try {
    await sendOpenFile(req, res, handle, file, opts);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

async function sendOpenFile(
  req: IncomingMessage,
  res: ServerResponse,
  handle: FileHandle,
  file: string,
  opts: { downloadName?: string; cache?: string },
): Promise<void> {
  const info = await handle.stat();
  if (!info.isFile()) throw new AppError("NOT_FOUND", "Not found.");
  const headers: Record<string, string | number> = {
    "content-type": TYPES[path.extname(file)] ?? "application/octet-stream",
    "accept-ranges": "bytes",
    "cache-control": opts.cache ?? "no-cache",
  };
  if (opts.downloadName) {
    headers["content-disposition"] =
      `attachment; filename="${opts.downloadName.replace(/[^\w.-]+/g, "_")}"; filename*=UTF-8''${encodeURIComponent(opts.downloadName)}`;
  }
  let start = 0;
  let end = info.size - 1;
  let status = 200;
  const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? "");
  if (range && (range[1] || range[2])) {
    start = range[1] ? Number(range[1]) : Math.max(0, info.size - Number(range[2]));
    end = range[1] && range[2] ? Math.min(Number(range[2]), info.size - 1) : info.size - 1;
    if (start > end || start >= info.size) {
      res.writeHead(416, { "content-range": `bytes */${info.size}` });
      res.end();
      return;
    }
    status = 206;
    headers["content-range"] = `bytes ${start}-${end}/${info.size}`;
  }
  res.writeHead(status, { ...headers, "content-length": Math.max(0, end - start + 1) });
  if (req.method === "HEAD" || info.size === 0) return void res.end();
  try {
    await pipeline(handle.createReadStream({ start, end, autoClose: false }), res);
  } catch {
    // The client went away or the read failed: this response is over, nothing else is.
    res.destroy();
  }
}

/** True when `file`, with every symlink followed, is inside `root` (false when it does not exist). */
async function resolvesInside(file: string, root: string): Promise<boolean> {
  try {
    const [real, realRoot] = await Promise.all([realpath(file), realpath(root)]);
    return real.startsWith(realRoot + path.sep);
  } catch {
    return false;
  }
}

/**
 * Request timeouts. Node's own limit (`requestTimeout`, 300 s for the whole request) would
 * cut a 2 GB upload on any link slower than ~7 MB/s, so it is switched off: an upload may
 * take as long as it needs while bytes keep coming (it is cut after `uploadIdleMs` of
 * silence), and every other request must be received whole within `requestMs`.
 */
export function applyRequestTimeouts(
  server: Server,
  opts: { requestMs: number; uploadIdleMs: number; isUpload: (req: IncomingMessage) => boolean },
): void {
  server.requestTimeout = 0;
  server.headersTimeout = Math.min(server.headersTimeout, opts.requestMs);
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    if (opts.isUpload(req)) {
      req.setTimeout(opts.uploadIdleMs, () => req.destroy());
      // Received: what follows (probing, storing) is the server's time, not the client's.
      req.once("end", () => req.socket.setTimeout(0));
      return;
    }
    if (req.complete) return;
    const timer = setTimeout(() => {
      if (!req.complete) req.socket.destroy();
    }, opts.requestMs);
    timer.unref();
    req.once("end", () => clearTimeout(timer));
    res.once("close", () => clearTimeout(timer));
  });
}
