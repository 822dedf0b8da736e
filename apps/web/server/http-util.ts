import { open, realpath } from "node:fs/promises";
import type { FileHandle } from "node:fs/promises";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { AppError } from "@vitranslator/api";

/** The one error model (@vitranslator/tasks/errors): its map gives every code its status. */
export { AppError };

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

/**
 * A small JSON request body: refused past `maxBytes` (413, from the declared length before
 * a byte is read, else as soon as it is passed) or when it is not JSON (400).
 */
export async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const tooLarge = () =>
    new AppError("BODY_TOO_LARGE", `The request body is over the ${maxBytes} byte limit.`);
  if (Number(req.headers["content-length"] ?? 0) > maxBytes) {
    req.resume();
    throw tooLarge();
  }
  const text = await new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    const onData = (chunk: Buffer) => {
      bytes += chunk.length;
      chunks.push(chunk);
      if (bytes <= maxBytes) return;
      // The rest is drained unread, so the answer can still be sent on this connection.
      req.off("data", onData);
      req.resume();
      reject(tooLarge());
    };
    req.on("data", onData);
    req.once("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.once("error", reject);
  });
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AppError("BAD_REQUEST", "Send a JSON body.");
  }
}

/** A request header's first value. */
export function header(req: IncomingMessage, name: string): string | null {
  const h = req.headers[name];
  return (Array.isArray(h) ? h[0] : h) ?? null;
}

const TYPES: Record<string, string> = {
  ".m3u8": "application/vnd.apple.mpegurl",
  ".ts": "video/mp2t",
  ".mp4": "video/mp4",
  ".srt": "application/x-subrip; charset=utf-8",
  ".vtt": "text/vtt; charset=utf-8",
};

/** Files up to this size are read whole and sent with one write. */
const SMALL_FILE = 4 * 1024 * 1024;

/**
 * Streams a file with Range support (the video element seeks in the MP4 with it). The file
 * is opened first and read through that handle, so a file deleted or replaced meanwhile
 * (retention, a re-dub, an admin's delete) is served whole or answered 404; a read error
 * mid-body ends that response only. Small files are sent with one read and one write, and
 * with `recent` (HLS chunks) kept in memory for a moment, because every viewer of a dub
 * asks for the same chunks within seconds of each other.
 */
export async function sendFile(
  req: IncomingMessage,
  res: ServerResponse,
  file: string,
  opts: SendFileOptions = {},
): Promise<void> {
  const cached = opts.recent?.get(file);
  if (cached) return sendBody(req, res, file, { size: cached.length, data: cached }, opts);
  if (opts.root && !(await resolvesInside(file, opts.root))) throw new AppError("NOT_FOUND", "Not found.");
  let handle: FileHandle;
  try {
    handle = await open(file, "r");
  } catch {
    throw new AppError("NOT_FOUND", "Not found (yet).");
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new AppError("NOT_FOUND", "Not found.");
    if (info.size > SMALL_FILE) return await sendBody(req, res, file, { size: info.size, handle }, opts);
    const { buffer, bytesRead } = await handle.read({ buffer: Buffer.allocUnsafe(info.size), position: 0 });
    const data = buffer.subarray(0, bytesRead);
    opts.recent?.set(file, data);
    await sendBody(req, res, file, { size: data.length, data }, opts);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

export interface SendFileOptions {
  downloadName?: string;
  cache?: string;
  root?: string;
  recent?: RecentFiles;
}

async function sendBody(
  req: IncomingMessage,
  res: ServerResponse,
  file: string,
  body: { size: number; data?: Buffer; handle?: FileHandle },
  opts: SendFileOptions,
): Promise<void> {
  const { size } = body;
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
  let end = size - 1;
  let status = 200;
  const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? "");
  if (range && (range[1] || range[2])) {
    start = range[1] ? Number(range[1]) : Math.max(0, size - Number(range[2]));
    end = range[1] && range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
    if (start > end || start >= size) {
      res.writeHead(416, { "content-range": `bytes */${size}` });
      res.end();
      return;
    }
    status = 206;
    headers["content-range"] = `bytes ${start}-${end}/${size}`;
  }
  const length = Math.max(0, end - start + 1);
  res.writeHead(status, { ...headers, "content-length": length });
  if (req.method === "HEAD" || length === 0) return void res.end();
  if (body.data) return void res.end(body.data.subarray(start, end + 1));
  try {
    await pipeline(body.handle!.createReadStream({ start, end, autoClose: false }), res);
  } catch {
    // The client went away or the read failed: this response is over, nothing else is.
    res.destroy();
  }
}

/**
 * Small files served in the last `ttlMs`, up to `maxBytes` in all (oldest dropped first).
 * A file rewritten meanwhile (a re-dubbed chunk keeps its name) is seen after `ttlMs`.
 */
export class RecentFiles {
  private readonly entries = new Map<string, { data: Buffer; at: number }>();
  private bytes = 0;

  constructor(
    private readonly opts: { maxBytes: number; ttlMs: number } = { maxBytes: 64 << 20, ttlMs: 1000 },
  ) {}

  get(file: string): Buffer | null {
    const e = this.entries.get(file);
    if (!e) return null;
    if (Date.now() - e.at > this.opts.ttlMs) {
      this.drop(file);
      return null;
    }
    return e.data;
  }

  set(file: string, data: Buffer): void {
    if (data.length > this.opts.maxBytes) return;
    this.drop(file);
    this.entries.set(file, { data, at: Date.now() });
    this.bytes += data.length;
    for (const [oldest] of this.entries) {
      if (this.bytes <= this.opts.maxBytes) break;
      this.drop(oldest);
    }
  }

  private drop(file: string): void {
    const e = this.entries.get(file);
    if (!e) return;
    this.entries.delete(file);
    this.bytes -= e.data.length;
  }
}

/** True when `file`, with every symlink followed, is inside `root` (false when it does not exist). */
const realRoots = new Map<string, Promise<string>>();

async function resolvesInside(file: string, root: string): Promise<boolean> {
  try {
    let realRoot = realRoots.get(root);
    if (!realRoot) {
      realRoot = realpath(root);
      realRoots.set(root, realRoot);
      realRoot.catch(() => realRoots.delete(root));
    }
    const [real, rootPath] = await Promise.all([realpath(file), realRoot]);
    return real.startsWith(rootPath + path.sep);
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
