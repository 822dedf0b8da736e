/**
 * What the workers can do, as the web server sees it: the merged capabilities they publish
 * to Redis (GET /api/engines), and the upload-time refusals of what no engine could dub.
 * The web process runs no engine of its own.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { STAGE_NAMES } from "@vitranslator/pipeline/events";
import { LANGUAGE_CODES, languageName, mergeCapabilities } from "@vitranslator/queue/capabilities";
import type { EngineStatus, EnginesReport } from "@vitranslator/queue/capabilities";
import { readCapabilities } from "@vitranslator/queue/capability-store";
import type { createRedis } from "@vitranslator/queue";
import { AppError, sendJson } from "./http-util";

export interface EngineReader {
  report(): Promise<EnginesReport>;
}

/** Reads the workers' capabilities, at most once per `cacheMs` (uploads and page loads share it). */
export function createEngineReader(opts: {
  redis: ReturnType<typeof createRedis>;
  prefix: string;
  cacheMs?: number;
}): EngineReader {
  let cached: { at: number; report: Promise<EnginesReport> } | null = null;
  return {
    report() {
      if (cached && Date.now() - cached.at < (opts.cacheMs ?? 1000)) return cached.report;
      const report = readCapabilities(opts.redis, opts.prefix).then((w) => mergeCapabilities(w, STAGE_NAMES));
      cached = { at: Date.now(), report };
      report.catch(() => (cached = null));
      return report;
    },
  };
}

/** GET /api/engines (not served without a reader). */
export function createEnginesRoute(reader: EngineReader | undefined) {
  return async (req: IncomingMessage, res: ServerResponse, pathname: string): Promise<boolean> => {
    if (pathname !== "/api/engines" || !reader) return false;
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET" }).end();
      return true;
    }
    sendJson(res, 200, await reader.report());
    return true;
  };
}

const explain = (s: EngineStatus) => (s.missing ? `${s.missing.what}. Fix: ${s.missing.fix}.` : "");

/**
 * Refusals that need nothing of the upload: no worker at all, a stage nobody serves, no
 * translator or no voice. Checked before the body is read, so nothing is stored.
 */
export function refuseBeforeUpload(report: EnginesReport): AppError | null {
  if (report.workers === 0)
    return new AppError(
      "NO_WORKERS",
      "No worker is running, so nothing would dub this video. Start them: npm start (or npm run workers).",
    );
  if (report.unservedStages.length > 0)
    return new AppError(
      "NO_WORKER_FOR_STAGE",
      `No running worker serves the ${report.unservedStages.join(", ")} stage. Start one: WORKER_STAGES=${report.unservedStages.join(",")} npm run workers.`,
    );
  const { translation, tts } = report.engines;
  if (!translation.ready)
    return new AppError("NO_TRANSLATOR", `No translation engine is ready: ${explain(translation)}`);
  if (!tts.ready) return new AppError("NO_TTS_ENGINE", `No speech engine is ready: ${explain(tts)}`);
  return null;
}

/** Whether a task can be dubbed with what the workers have: target language, voice, speech recognition. */
export function refuseTask(
  report: EnginesReport | null,
  task: { target: string; voice: string | null; needsAsr: boolean },
): AppError | null {
  const languages = report ? report.targetLanguages.map((l) => l.code) : [...LANGUAGE_CODES];
  if (!languages.includes(task.target)) {
    const tts = report?.engines.tts;
    return new AppError(
      "UNSUPPORTED_LANGUAGE",
      `Target language "${task.target.slice(0, 20)}" is not supported${tts ? ` by the speech engine (${tts.name ?? "none"})` : ""}. See GET /api/engines for the languages it speaks.`,
    );
  }
  if (!report) return null;
  const { tts, asr } = report.engines;
  if (task.voice) {
    const voices = (tts.voices ?? []).filter((v) => !v.languages || v.languages.includes(task.target));
    if (!voices.some((v) => v.id === task.voice))
      return new AppError(
        "UNKNOWN_VOICE",
        `"${task.voice.slice(0, 40)}" is not a voice of the speech engine (${tts.name ?? "none"}); ` +
          (voices.length
            ? `choose one of ${voices.map((v) => v.id).join(", ")}, or leave it empty (one voice per speaker).`
            : "it has no voices to choose from: leave it empty."),
      );
  }
  if (task.needsAsr && !asr.ready)
    return new AppError(
      "NO_ASR_ENGINE",
      `This video has speech but no subtitles, and no speech recognition is ready: ${explain(asr)} Or upload its .srt/.vtt with it.`,
    );
  return null;
}

/** Any catalogue language may be the source (recognition detects it when none is given). */
export const isSourceLanguage = (code: string): boolean =>
  (LANGUAGE_CODES as readonly string[]).includes(code);

const NO_VOICE = new Set(["", "auto", "default"]);

/**
 * The task's voice from the form's `voice` field: null for none (one voice per speaker),
 * else the engine's own spelling of a voice it has (matched without case), else the value
 * as given, which refuseTask then refuses.
 */
export function taskVoice(
  report: EnginesReport | null,
  target: string,
  raw: string | undefined,
): string | null {
  const wanted = (raw ?? "").trim();
  if (NO_VOICE.has(wanted.toLowerCase())) return null;
  const voices = (report?.engines.tts.voices ?? []).filter(
    (v) => !v.languages || v.languages.includes(target),
  );
  return voices.find((v) => v.id.toLowerCase() === wanted.toLowerCase())?.id ?? wanted;
}

/** Target languages for GET /api/languages and the upload form (the catalogue without a reader). */
export async function targetLanguages(reader: EngineReader | undefined) {
  return reader
    ? (await reader.report()).targetLanguages
    : LANGUAGE_CODES.map((code) => ({ code, name: languageName(code) }));
}

/**
 * The add-language check: whether the workers speak `language`, with the task's voice
 * (the catalogue without a reader). Recognition is done already, so it is not asked for.
 */
export const languageCheck =
  (reader: EngineReader | undefined) =>
  async (language: string, voice: string | null): Promise<AppError | null> =>
    refuseTask(reader ? await reader.report() : null, { target: language, voice, needsAsr: false });
