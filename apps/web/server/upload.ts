/**
 * Streams a multipart upload to the new task's folder with size caps (413 as soon as a
 * cap is passed, not after), then admits the video (allow-listed container and codecs,
 * caps on picture, frame rate and streams, real duration from its packets; see
 * pipeline media/admission.ts) and charges its minutes to the client's quota. Subtitles
 * are only size-checked here: the worker parses them, so no request ever waits on a
 * parser. Nothing is kept when the request fails.
 */
import { createWriteStream } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import type { IncomingMessage } from "node:http";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import busboy from "busboy";
// Narrow paths, not the package barrel: the web process must load no inference runtime.
import { isPipelineError } from "@vitranslator/pipeline/errors";
import { admitMedia } from "@vitranslator/pipeline/media/admission";
import type { MediaCaps } from "@vitranslator/pipeline/media/admission";
import type { MediaInfo } from "@vitranslator/pipeline/media/probe";
import { recordAdmission } from "@vitranslator/pipeline/media/normalise";
import { SUBTITLE_LIMITS } from "@vitranslator/pipeline/subtitles/parse";
import { GLOSSARY_LIMITS } from "@vitranslator/pipeline/glossary/parse";
import { AppError } from "./http-util";
import type { MinutesQuota } from "./quota";

export interface ReceivedUpload {
  /** Each text field's last value. */
  fields: Record<string, string>;
  /** Each text field's values in the order sent (a field may be repeated). */
  fieldValues: Record<string, string[]>;
  /** The glossary file's text (opts.glossaryField), unchecked; null when none was sent. */
  glossaryFile: string | null;
  video: { originalName: string; relativePath: string; info: MediaInfo };
  subtitles: { relativePath: string } | null;
  /** Gives the minutes charged for this upload back (the task was refused after all). */
  refund: () => Promise<void>;
}

/** Subtitle files are text; a larger one is not a subtitle file (the worker's parser has the same cap). */
export const MAX_SUBTITLE_BYTES = SUBTITLE_LIMITS.maxChars;

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
  /** A file field holding the task's glossary (kept in memory, at most GLOSSARY_LIMITS.maxBytes); absent: not read. */
  glossaryField?: string;
  /** Caps on what the video may cost to decode (defaults: pipeline DEFAULT_MEDIA_CAPS). */
  mediaCaps?: MediaCaps;
  /** Minutes per client and per day (absent: unlimited, as in tests that do not test it). */
  quota?: MinutesQuota;
}): Promise<ReceivedUpload> {
  const { req, taskDir, maxBytes } = opts;
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > maxBytes + 1024 * 1024) {
    throw new AppError(
      "UPLOAD_TOO_LARGE",
      `The upload is larger than the limit of ${Math.round(maxBytes / 1024 / 1024)} MB.`,
    );
  }
  if (!(req.headers["content-type"] ?? "").startsWith("multipart/form-data")) {
    throw new AppError("BAD_REQUEST", "Send the video as multipart/form-data.");
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
  const fieldValues: Record<string, string[]> = {};
  const glossary: Buffer[] = [];
  let glossarySent = false;
  let video: { originalName: string; relativePath: string; bytes: number } | null = null;
  let subtitles: { relativePath: string } | null = null;
  const writes: Promise<void>[] = [];
  const tooLarge = (what: string, limit: number) =>
    new AppError(
      "UPLOAD_TOO_LARGE",
      `The ${what} is larger than the limit of ${Math.round(limit / 1024 / 1024)} MB.`,
    );

  await new Promise<void>((resolve, reject) => {
    const bb = busboy({
      headers: req.headers,
      limits: { fileSize: maxBytes, files: 3, fields: 20, fieldSize: 64 * 1024 },
      defParamCharset: "utf8",
    });
    const fail = (err: AppError) => {
      req.unpipe(bb);
      req.resume();
      reject(err);
    };
    bb.on("field", (name, value) => {
      fields[name] = value;
      (fieldValues[name] ??= []).push(value);
    });
    bb.on("file", (name, stream, info) => {
      if (name === opts.glossaryField && !glossarySent) {
        glossarySent = true;
        readGlossary(stream, glossary, () => {
          stream.destroy();
          fail(
            new AppError(
              "GLOSSARY_TOO_LARGE",
              `The glossary file is larger than ${GLOSSARY_LIMITS.maxBytes / 1024} KiB; keep the terms this video needs.`,
            ),
          );
        });
        return;
      }
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
      stream.on("limit", () => fail(tooLarge("file", maxBytes)));
      if (name === "subtitles") {
        let bytes = 0;
        stream.on("data", (chunk: Buffer) => {
          bytes += chunk.length;
          if (bytes > MAX_SUBTITLE_BYTES) {
            stream.destroy();
            fail(
              new AppError(
                "SUBTITLES_TOO_LARGE",
                `The subtitle file is larger than ${MAX_SUBTITLE_BYTES / 1024 / 1024} MB.`,
              ),
            );
          }
        });
      }
      const write = pipeline(stream, createWriteStream(path.join(taskDir, relativePath)));
      // A refused request never awaits its writes: a stream cut short must not reject unobserved.
      write.catch(() => undefined);
      writes.push(write);
    });
    bb.on("error", () =>
      fail(new AppError("BAD_MULTIPART", "The upload could not be read (malformed multipart body).")),
    );
    bb.on("close", () => resolve());
    req.on("aborted", () => fail(new AppError("UPLOAD_ABORTED", "The upload was interrupted.")));
    req.pipe(bb);
  });
  await Promise.all(writes);

  const v = video as { originalName: string; relativePath: string } | null;
  if (!v) throw new AppError("NO_VIDEO", `No file in the "${videoField}" field.`);
  let info: Awaited<ReturnType<typeof admitMedia>>;
  try {
    info = await admitMedia(
      path.join(taskDir, v.relativePath),
      opts.mediaCaps ? { caps: opts.mediaCaps } : {},
    );
  } catch (e) {
    if (isPipelineError(e) && e.category === "user") throw new AppError(e.code, e.message);
    throw e;
  }
  // Planning reads it instead of probing the upload again.
  await recordAdmission(taskDir, info);
  if (info.durationMs > opts.maxDurationMs) {
    throw new AppError(
      "MEDIA_TOO_LONG",
      `The video is ${Math.round(info.durationMs / 60000)} min long; the limit is ${Math.round(opts.maxDurationMs / 60000)} min.`,
    );
  }
  const refund = opts.quota ? await opts.quota.charge(opts.req, info.durationMs) : () => Promise.resolve();
  return {
    fields,
    fieldValues,
    glossaryFile: glossarySent ? Buffer.concat(glossary).toString("utf8") : null,
    video: { ...v, info },
    subtitles: subtitles as { relativePath: string } | null,
    refund,
  };
}

/** Keeps a glossary file's bytes in `into`; past the glossary's size cap, calls `tooLarge` instead. */
function readGlossary(stream: NodeJS.ReadableStream, into: Buffer[], tooLarge: () => void): void {
  let bytes = 0;
  stream.on("data", (chunk: Buffer) => {
    bytes += chunk.length;
    if (bytes > GLOSSARY_LIMITS.maxBytes) tooLarge();
    else into.push(chunk);
  });
}
