/** Creating a task from an upload: shared by the REST API and the original system's endpoints. */
import type { IncomingMessage } from "node:http";
import { createTask, hashToken, newOwnerToken, newTaskId } from "@vitranslator/db";
import type { Db } from "@vitranslator/db";
import type { Storage } from "@vitranslator/pipeline";
import { enqueue } from "@vitranslator/queue";
import type { EventBus, StageQueues } from "@vitranslator/queue";
import { taskLinks } from "@vitranslator/api";
import { espeakVoiceFor } from "@vitranslator/pipeline";
import { HttpError } from "./http-util";
import { isSourceLanguage, isTargetLanguage } from "./languages";
import type { RateLimiter } from "./rate-limit";
import { receiveUpload } from "./upload";

export interface ServiceDeps {
  db: Db;
  storage: Storage;
  queues: StageQueues;
  events: EventBus;
  maxUploadBytes: number;
  maxDurationMs: number;
  /** What GET /api/limits tells clients, so they can check a file before uploading it. */
  limits?: { maxUploadMb: number; maxDurationMin: number };
  /** Task creation per client IP (absent: unlimited, as in tests that do not test it). */
  rateLimiter?: RateLimiter;
  /** Reachability of Postgres and Redis for /healthz and /readyz. */
  checkDependencies?: () => Promise<{ db: boolean; redis: boolean }>;
}

export interface FieldNames {
  video: string;
  targetLanguage: string;
  sourceLanguage: string;
  burnSubtitles: string;
}

const TRUE = new Set(["1", "true", "on", "yes"]);

/** espeak-ng voice variants offered on the upload page (the default voice needs nothing). */
const VOICE_VARIANTS: Record<string, string> = { male: "m3", female: "f2" };

function voiceOption(target: string, raw: string | undefined): { voice?: string } {
  const variant = VOICE_VARIANTS[(raw ?? "").trim().toLowerCase()];
  const base = espeakVoiceFor(target);
  return variant && base ? { voice: `${base}+${variant}` } : {};
}

export async function createTaskFromUpload(deps: ServiceDeps, req: IncomingMessage, names: FieldNames) {
  if (deps.rateLimiter) {
    try {
      await deps.rateLimiter.check(req);
    } catch (e) {
      // The body is not wanted: drop it, so nothing of it is stored.
      req.resume();
      throw e;
    }
  }
  const id = newTaskId();
  const taskDir = deps.storage.taskDir(id);
  const upload = await receiveUpload({
    req,
    taskDir,
    maxBytes: deps.maxUploadBytes,
    maxDurationMs: deps.maxDurationMs,
    videoField: names.video,
  });
  const fail = async (err: HttpError) => {
    await deps.storage.removeTask(id);
    return err;
  };
  const target = (upload.fields[names.targetLanguage] ?? "").trim().toLowerCase();
  if (!target)
    throw await fail(
      new HttpError(
        400,
        "MISSING_TARGET_LANGUAGE",
        `Field "${names.targetLanguage}" is required (e.g. fr, zh, es).`,
      ),
    );
  if (!isTargetLanguage(target))
    throw await fail(
      new HttpError(
        400,
        "UNSUPPORTED_LANGUAGE",
        `Target language "${target.slice(0, 20)}" is not supported. See GET /api/languages.`,
      ),
    );
  const sourceRaw = (upload.fields[names.sourceLanguage] ?? "").trim().toLowerCase();
  if (sourceRaw && sourceRaw !== "auto" && !isSourceLanguage(sourceRaw)) {
    throw await fail(
      new HttpError(
        400,
        "UNSUPPORTED_LANGUAGE",
        `Source language "${sourceRaw.slice(0, 20)}" is not supported.`,
      ),
    );
  }
  const ownerToken = newOwnerToken();
  await createTask(deps.db, {
    id,
    originalName: upload.video.originalName,
    sourceLanguage: sourceRaw && sourceRaw !== "auto" ? sourceRaw : null,
    targetLanguage: target,
    options: {
      burnSubtitles: TRUE.has((upload.fields[names.burnSubtitles] ?? "").toLowerCase()),
      ...voiceOption(target, upload.fields.voice),
    },
    ownerTokenHash: hashToken(ownerToken),
    sourceFile: upload.video.relativePath,
    subtitleFile: upload.subtitles?.relativePath ?? null,
  });
  await deps.events.emit(id, { type: "task", status: "queued", durationMs: upload.video.info.durationMs });
  await enqueue(deps.queues, "segment", { taskId: id });
  return { id, ownerToken, ...taskLinks(id) };
}
