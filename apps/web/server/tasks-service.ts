/** Creating a task from an upload: shared by the REST API and the original system's endpoints. */
import type { IncomingMessage } from "node:http";
import { newTaskId } from "@vitranslator/db";
import type { Db } from "@vitranslator/db";
import type { Storage } from "@vitranslator/pipeline";
import type { EventBus, StageQueues } from "@vitranslator/queue";
import { isAppError, taskLinks } from "@vitranslator/api";
import { createTask, languageTag, taskLanguages } from "@vitranslator/tasks";
import type { MediaCaps } from "@vitranslator/pipeline/media/admission";
import { isTextSubtitleCodec } from "@vitranslator/pipeline/subtitles/embedded";
import { isSourceLanguage, refuseBeforeUpload, refuseTask, taskVoice } from "./engines";
import type { EngineReader } from "./engines";
import type { EnginesReport } from "@vitranslator/queue/capabilities";
import { AppError } from "./http-util";
import type { MinutesQuota } from "./quota";
import type { RateLimiter } from "./rate-limit";
import { receiveUpload } from "./upload";
import type { ReceivedUpload } from "./upload";

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
  /** Upload caps on picture, frame rate and streams (absent: the pipeline's defaults). */
  mediaCaps?: MediaCaps;
  /** Minutes per client IP and per day (absent: unlimited). */
  quota?: MinutesQuota;
  /** What the workers can do (absent: no refusals by engine, as in tests that do not test it). */
  engines?: EngineReader;
  /** Reachability of Postgres and Redis for /healthz and /readyz. */
  checkDependencies?: () => Promise<{ db: boolean; redis: boolean }>;
}

export interface FieldNames {
  video: string;
  targetLanguage: string;
  sourceLanguage: string;
  burnSubtitles: string;
  /** Used when the client sends no target language (the original system's API defaults to zh). */
  defaultTargetLanguage?: string;
  /** The target language field may be repeated or a comma list (the REST API); else one language (the original API). */
  manyLanguages?: boolean;
  /** The glossary's field, a file or text (the REST API); absent: no glossary is read. */
  glossary?: string;
}

const TRUE = new Set(["1", "true", "on", "yes"]);

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
  const report = deps.engines ? await deps.engines.report() : null;
  const refusal = report && refuseBeforeUpload(report);
  if (refusal) {
    req.resume();
    throw refusal;
  }
  const id = newTaskId();
  const taskDir = deps.storage.taskDir(id);
  const upload = await receiveUpload({
    req,
    taskDir,
    maxBytes: deps.maxUploadBytes,
    maxDurationMs: deps.maxDurationMs,
    videoField: names.video,
    ...(names.glossary ? { glossaryField: names.glossary } : {}),
    ...(deps.mediaCaps ? { mediaCaps: deps.mediaCaps } : {}),
    ...(deps.quota ? { quota: deps.quota } : {}),
  });
  const fail = async (err: AppError) => {
    await deps.storage.removeTask(id);
    await upload.refund();
    return err;
  };
  try {
    return await createChecked(deps, id, upload, names, report);
  } catch (e) {
    // A refusal after the upload keeps nothing of it and gives its minutes back.
    if (isAppError(e)) throw await fail(e);
    throw e;
  }
}

/** The task's languages from the form: several for the REST API, one for the original API. */
function requestedLanguages(upload: ReceivedUpload, names: FieldNames): string[] {
  if (names.manyLanguages) {
    const languages = taskLanguages(upload.fieldValues[names.targetLanguage] ?? []);
    if (languages.length > 0 || !names.defaultTargetLanguage) return languages;
  }
  const one = (upload.fields[names.targetLanguage] ?? "").trim() || names.defaultTargetLanguage || "";
  return one ? [languageTag(one)] : [];
}

async function createChecked(
  deps: ServiceDeps,
  id: string,
  upload: ReceivedUpload,
  names: FieldNames,
  report: EnginesReport | null,
) {
  const languages = requestedLanguages(upload, names);
  const [target] = languages;
  if (!target)
    throw new AppError(
      "MISSING_TARGET_LANGUAGE",
      `Field "${names.targetLanguage}" is required (e.g. fr, zh, es${names.manyLanguages ? "; several: fr,de" : ""}).`,
    );
  const voice = taskVoice(report, target, upload.fields.voice);
  const info = upload.video.info;
  const needsAsr =
    !upload.subtitles && !!info.audio && !info.subtitleStreams.some((s) => isTextSubtitleCodec(s.codec));
  for (const language of languages) {
    const refused = refuseTask(report, { target: language, voice, needsAsr });
    if (refused) throw refused;
  }
  const sourceRaw = (upload.fields[names.sourceLanguage] ?? "").trim().toLowerCase();
  if (sourceRaw && sourceRaw !== "auto" && !isSourceLanguage(sourceRaw))
    throw new AppError(
      "UNSUPPORTED_LANGUAGE",
      `Source language "${sourceRaw.slice(0, 20)}" is not supported.`,
    );
  const glossaryText = names.glossary ? (upload.glossaryFile ?? upload.fields[names.glossary]) : undefined;
  const { ownerToken } = await createTask(deps, {
    id,
    originalName: upload.video.originalName,
    sourceLanguage: sourceRaw && sourceRaw !== "auto" ? sourceRaw : null,
    targetLanguage: target,
    languages,
    // Checked (INVALID_GLOSSARY, GLOSSARY_TOO_LARGE) and stored as given by the command.
    glossary: glossaryText ?? null,
    options: {
      burnSubtitles: TRUE.has((upload.fields[names.burnSubtitles] ?? "").toLowerCase()),
      ...(voice ? { voice } : {}),
    },
    sourceFile: upload.video.relativePath,
    subtitleFile: upload.subtitles?.relativePath ?? null,
    durationMs: upload.video.info.durationMs,
  });
  return { id, ownerToken, ...taskLinks(id), languages };
}
