/**
 * Streams a multipart upload to the new task's folder with a size cap (413 as soon as
 * the cap is passed, not after), then checks the content with ffprobe before anything
 * trusts it. Nothing is kept when the request fails.
 */
import { createWriteStream } from "node:fs";
import { mkdir, readFile, rm } from "node:fs/promises";
import type { IncomingMessage } from "node:http";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import busboy from "busboy";
// Narrow paths, not the package barrel: the web process must load no inference runtime.
import { isPipelineError } from "@vitranslator/pipeline/errors";
import { probeMedia } from "@vitranslator/pipeline/media/probe";
import type { MediaInfo } from "@vitranslator/pipeline/media/probe";
import { parseSubtitles } from "@vitranslator/pipeline/subtitles/parse";
import { HttpError } from "./http-util";

export interface ReceivedUpload {
  fields: Record<string, string>;
  video: { originalName: string; relativePath: string; info: MediaInfo };
  subtitles: { relativePath: string } | null;
}

const SAFE_EXT = /^\.[a-z0-9]{1,8}$/;

function safeExtension(name: string, fallback: string): string {
  const ext = path.extname(name).toLowerCase();
  return SAFE_EXT.test(ext) ? ext : fallback;
}

export async function receiveUpload(opts: {
  req: IncomingMessage;
  taskDir: string;
  maxBytes: number;
  maxDurationMs: number;
  videoField: string;
}): Promise<ReceivedUpload> {
  const { req, taskDir, maxBytes } = opts;
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > maxBytes + 1024 * 1024) {
    throw new HttpError(
      413,
      "UPLOAD_TOO_LARGE",
      `The upload is larger than the limit of ${Math.round(maxBytes / 1024 / 1024)} MB.`,
    );
  }
  if (!(req.headers["content-type"] ?? "").startsWith("multipart/form-data")) {
    throw new HttpError(400, "BAD_REQUEST", "Send the video as multipart/form-data.");
  }
  try {
    await mkdir(path.join(taskDir, "source"), { recursive: true });
    return await parseAndCheck(opts);
  } catch (e) {
    await rm(taskDir, { recursive: true, force: true });
    throw e;
  }
}

async function parseAndCheck(opts: Parameters<typeof receiveUpload>[0]): Promise<ReceivedUpload> {
  const { req, taskDir, maxBytes, videoField } = opts;
  const fields: Record<string, string> = {};
  let video: { originalName: string; relativePath: string; bytes: number } | null = null;
  let subtitles: { relativePath: string } | null = null;
  const writes: Promise<void>[] = [];

  await new Promise<void>((resolve, reject) => {
    const bb = busboy({
      headers: req.headers,
      limits: { fileSize: maxBytes, files: 2, fields: 20, fieldSize: 64 * 1024 },
      defParamCharset: "utf8",
    });
    const fail = (err: HttpError) => {
      req.unpipe(bb);
      req.resume();
      reject(err);
    };
    bb.on("field", (name, value) => {
      fields[name] = value;
    });
    bb.on("file", (name, stream, info) => {
      let relativePath: string;
      if (name === videoField && !video) {
        relativePath = `source/original${safeExtension(info.filename ?? "", ".bin")}`;
        video = { originalName: (info.filename || "video").slice(0, 255), relativePath, bytes: 0 };
      } else if (name === "subtitles" && !subtitles) {
        relativePath = `source/subtitles${safeExtension(info.filename ?? "", ".srt")}`;
        subtitles = { relativePath };
      } else {
        stream.resume();
        return;
      }
      stream.on("limit", () =>
        fail(
          new HttpError(
            413,
            "UPLOAD_TOO_LARGE",
            `The file is larger than the limit of ${Math.round(maxBytes / 1024 / 1024)} MB.`,
          ),
        ),
      );
      writes.push(pipeline(stream, createWriteStream(path.join(taskDir, relativePath))));
    });
    bb.on("error", () =>
      fail(new HttpError(400, "BAD_MULTIPART", "The upload could not be read (malformed multipart body).")),
    );
    bb.on("close", () => resolve());
    req.on("aborted", () => fail(new HttpError(400, "UPLOAD_ABORTED", "The upload was interrupted.")));
    req.pipe(bb);
  });
  await Promise.all(writes);

  const v = video as { originalName: string; relativePath: string } | null;
  if (!v) throw new HttpError(400, "NO_VIDEO", `No file in the "${videoField}" field.`);
  let info: MediaInfo;
  try {
    info = await probeMedia(path.join(taskDir, v.relativePath));
  } catch (e) {
    if (isPipelineError(e) && e.category === "user") throw new HttpError(400, e.code, e.message);
    throw e;
  }
  if (info.durationMs <= 0) throw new HttpError(400, "INVALID_MEDIA", "The file has no measurable duration.");
  if (info.durationMs > opts.maxDurationMs) {
    throw new HttpError(
      400,
      "MEDIA_TOO_LONG",
      `The video is ${Math.round(info.durationMs / 60000)} min long; the limit is ${Math.round(opts.maxDurationMs / 60000)} min.`,
    );
  }
  const subs = subtitles as { relativePath: string } | null;
  if (subs) {
    try {
      parseSubtitles(await readFile(path.join(taskDir, subs.relativePath), "utf8"));
    } catch (e) {
      if (isPipelineError(e)) throw new HttpError(400, e.code, e.message);
      throw e;
    }
  }
  return { fields, video: { ...v, info }, subtitles: subs };
}
