/**
 * The `npm run dub` client: uploads a video through the REST API, follows the task with
 * GET /api/tasks/<id> and saves the dubbed MP4. Kept apart from the entry point so tests
 * can run it against an in-process server.
 */
import { createWriteStream } from "node:fs";
import { openAsBlob } from "node:fs";
import { rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { parseArgs } from "node:util";

export interface DubOptions {
  video: string;
  to: string;
  from?: string;
  subtitles?: string;
  out: string;
  server: string;
  burn: boolean;
  voice?: string;
}

export class CliError extends Error {
  override name = "CliError";
}

export const USAGE = `Usage: npm run dub -- <video> --to <lang> [--from <lang>] [--subtitles f.srt]
                     [--out dub.mp4] [--server http://localhost:3000] [--burn] [--voice male|female]`;

export function parseDubArgs(argv: string[]): DubOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        to: { type: "string" },
        from: { type: "string" },
        subtitles: { type: "string" },
        out: { type: "string" },
        server: { type: "string", default: "http://localhost:3000" },
        burn: { type: "boolean", default: false },
        voice: { type: "string" },
      },
    });
  } catch (e) {
    throw new CliError(`${(e as Error).message}\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  const video = positionals[0];
  if (!video || positionals.length > 1) throw new CliError(`Give exactly one video file.\n${USAGE}`);
  if (!values.to) throw new CliError(`--to <lang> is required (e.g. --to fr).\n${USAGE}`);
  const base = path.basename(video).replace(/\.[^.]+$/, "");
  return {
    video,
    to: values.to,
    ...(values.from ? { from: values.from } : {}),
    ...(values.subtitles ? { subtitles: values.subtitles } : {}),
    out: values.out ?? `${base}.${values.to}.mp4`,
    server: (values.server ?? "http://localhost:3000").replace(/\/+$/, ""),
    burn: values.burn ?? false,
    ...(values.voice ? { voice: values.voice } : {}),
  };
}

interface TaskStatusBody {
  id: string;
  status: "queued" | "processing" | "completed" | "failed" | "cancelled";
  progress: number;
  segments: { total: number; published: number };
  error?: { code: string; message: string };
}

export function progressLine(s: TaskStatusBody, width = 30): string {
  const filled = Math.round(Math.min(1, Math.max(0, s.progress)) * width);
  const bar = `${"#".repeat(filled)}${"-".repeat(width - filled)}`;
  const pct = String(Math.round(s.progress * 100)).padStart(3);
  return `[${bar}] ${pct}%  ${s.segments.published}/${s.segments.total || "?"} parts  ${s.status}`;
}

async function call(server: string, pathname: string, init?: RequestInit): Promise<Response> {
  try {
    return await fetch(server + pathname, init);
  } catch (e) {
    const cause = (e as { cause?: { code?: string } }).cause;
    throw new CliError(
      `Cannot reach the ViTranslator server at ${server} (${cause?.code ?? (e as Error).message}). ` +
        "Is it running? Start it with `npm start`, or point --server at it.",
    );
  }
}

async function failure(res: Response, what: string): Promise<CliError> {
  const text = await res.text();
  try {
    const body = JSON.parse(text) as { error?: { code?: string; message?: string } };
    if (body.error?.message)
      return new CliError(`${what}: ${body.error.message} (${body.error.code ?? res.status})`);
  } catch {
    // not JSON: fall through
  }
  return new CliError(`${what}: HTTP ${res.status}`);
}

async function fileBlob(file: string, label: string): Promise<Blob> {
  try {
    if (!(await stat(file)).isFile()) throw new Error("not a file");
    return await openAsBlob(file);
  } catch {
    throw new CliError(`Cannot read the ${label} ${file}.`);
  }
}

export interface RunIo {
  /** Progress output (stderr in the CLI). */
  write(text: string): void;
  /** Redraw one line in place (a terminal) or print only changes (a log). */
  tty: boolean;
  pollMs?: number;
}

/** Uploads, follows and downloads; resolves with the saved file's path. */
export async function runDub(opts: DubOptions, io: RunIo): Promise<string> {
  const form = new FormData();
  form.set("targetLanguage", opts.to);
  if (opts.from) form.set("sourceLanguage", opts.from);
  form.set("burnSubtitles", opts.burn ? "true" : "false");
  if (opts.voice) form.set("voice", opts.voice);
  if (opts.subtitles)
    form.set("subtitles", await fileBlob(opts.subtitles, "subtitles"), path.basename(opts.subtitles));
  const video = await fileBlob(opts.video, "video");
  form.set("video", video, path.basename(opts.video));
  io.write(
    `Uploading ${path.basename(opts.video)} (${(video.size / 1024 / 1024).toFixed(1)} MB) to ${opts.server}…\n`,
  );
  const created = await call(opts.server, "/api/tasks", { method: "POST", body: form });
  if (!created.ok) throw await failure(created, "The server refused the upload");
  const { id, watchUrl } = (await created.json()) as { id: string; watchUrl: string };
  io.write(`Watch it while it is dubbed: ${opts.server}${watchUrl}\n`);

  let last = "";
  for (;;) {
    const res = await call(opts.server, `/api/tasks/${id}`);
    if (!res.ok) throw await failure(res, "Could not follow the task");
    const s = (await res.json()) as TaskStatusBody;
    const line = progressLine(s);
    if (line !== last) io.write(io.tty ? `\r${line}` : `${line}\n`);
    last = line;
    if (s.status === "completed") break;
    if (s.status === "failed" || s.status === "cancelled") {
      if (io.tty) io.write("\n");
      throw new CliError(
        s.error ? `The dub failed: ${s.error.message} (${s.error.code})` : `The task was ${s.status}.`,
      );
    }
    await new Promise((r) => setTimeout(r, io.pollMs ?? 1000));
  }
  if (io.tty) io.write("\n");

  const dl = await call(opts.server, `/api/tasks/${id}/download`);
  if (!dl.ok || !dl.body) throw await failure(dl, "The download failed");
  const tmp = `${opts.out}.part`;
  try {
    await pipeline(Readable.fromWeb(dl.body as NodeReadableStream<Uint8Array>), createWriteStream(tmp));
    await rename(tmp, opts.out);
  } catch (e) {
    await rm(tmp, { force: true });
    throw new CliError(`Could not write ${opts.out}: ${(e as Error).message}`);
  }
  io.write(`Saved ${opts.out}\n`);
  return opts.out;
}
