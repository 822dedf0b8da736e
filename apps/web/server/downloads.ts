/**
 * A task's finished files: one language's MP4 and SRT/VTT (`?language=de`; without it the
 * first language, as before there were several), and the MP4 with every language's audio
 * track (`/download/all` or `?language=all`). A language's files are served once it is in
 * the task's finalLanguages (409 before); a language the task lacks is a 400.
 */
import { stat } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { getTaskSummary, TASK_ID_PATTERN } from "@vitranslator/db";
import type { TaskSummary } from "@vitranslator/db";
import type { Storage } from "@vitranslator/pipeline/storage";
import { layout } from "@vitranslator/pipeline/layout";
import type { Db } from "@vitranslator/db";
import { AppError, sendFile } from "./http-util";

/** `?language=` of the request, or null when it has none. */
export function requestedLanguage(url: string | undefined): string | null {
  const q = url?.indexOf("?") ?? -1;
  if (!url || q < 0) return null;
  return new URLSearchParams(url.slice(q + 1)).get("language") || null;
}

export async function taskSummary(db: Db, id: string): Promise<TaskSummary> {
  const t = TASK_ID_PATTERN.test(id) ? await getTaskSummary(db, id) : null;
  if (!t) throw new AppError("TASK_NOT_FOUND", "No such task.");
  return t;
}

/** The asked language when the task has it, else its first; only languages of the task reach a path. */
function languageOf(t: TaskSummary, asked: string | null): string {
  if (asked === null) return t.languages[0] ?? t.targetLanguage;
  if (!t.languages.includes(asked))
    throw new AppError(
      "LANGUAGE_NOT_IN_TASK",
      `This video is not dubbed into "${asked.slice(0, 20)}"; its languages: ${t.languages.join(", ")}.`,
    );
  return asked;
}

const baseName = (t: TaskSummary) => t.originalName.replace(/\.[^.]+$/, "");

/** The language's own file, else (for a task dubbed before there were several languages) the old one. */
async function finalFile(dir: string, own: string, ext: "mp4" | "srt" | "vtt"): Promise<string> {
  const found = await stat(own).then(
    (s) => s.isFile(),
    () => false,
  );
  return found ? own : layout.legacyFinal(dir, ext);
}

export function createDownloads(deps: { db: Db; storage: Storage }) {
  const send = (req: IncomingMessage, res: ServerResponse, file: string, downloadName: string) =>
    sendFile(req, res, file, { root: deps.storage.root, downloadName });

  /** The task and the asked language, once that language's final files are written. */
  const finalLanguage = async (req: IncomingMessage, id: string, what: "dub" | "subtitles") => {
    const t = await taskSummary(deps.db, id);
    const language = languageOf(t, requestedLanguage(req.url));
    if (!t.finalLanguages.includes(language)) {
      const parts =
        language === t.targetLanguage ? ` (${t.publishedCount}/${t.segmentCount ?? "?"} parts)` : "";
      throw new AppError(
        "NOT_READY",
        what === "dub"
          ? `The ${language} dub is not finished yet${parts}.`
          : `The ${language} subtitles are written when that dub is finished${parts}.`,
      );
    }
    return { t, language, dir: deps.storage.taskDir(id) };
  };

  /** Every language's dub and the original sound as audio tracks of one MP4. */
  const allTracks = async (req: IncomingMessage, res: ServerResponse, id: string) => {
    const t = await taskSummary(deps.db, id);
    if (!t.finalReady)
      throw new AppError(
        "NOT_READY",
        `The MP4 with every language is written when every dub is finished (${t.finalLanguages.length}/${t.languages.length} languages done).`,
      );
    await send(req, res, layout.allTracksMp4(deps.storage.taskDir(id)), `${baseName(t)}.all-languages.mp4`);
  };

  return {
    allTracks,
    async mp4(req: IncomingMessage, res: ServerResponse, id: string) {
      if (requestedLanguage(req.url) === "all") return allTracks(req, res, id);
      const { t, language, dir } = await finalLanguage(req, id, "dub");
      const file = await finalFile(dir, layout.finalMp4(dir, language), "mp4");
      await send(req, res, file, `${baseName(t)}.${language}.mp4`);
    },
    async subtitles(req: IncomingMessage, res: ServerResponse, id: string, ext: "srt" | "vtt") {
      const { t, language, dir } = await finalLanguage(req, id, "subtitles");
      const own = ext === "srt" ? layout.finalSrt(dir, language) : layout.finalVtt(dir, language);
      await send(req, res, await finalFile(dir, own, ext), `${baseName(t)}.${language}.${ext}`);
    },
  };
}
