/**
 * The upload, normalised once into a canonical file that every later step reads (with its
 * demuxer forced, see input-policy.ts). A stream copy, so nothing is decoded: the main
 * video, the main audio and the text subtitle tracks, remuxed by our own muxer, whose
 * durations come from the packets actually copied (a header's claim does not survive).
 * QuickTime-family uploads stay QuickTime (the muxer keeps their rotation matrix);
 * everything else, and anything QuickTime cannot hold, becomes Matroska.
 */
import { readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { PipelineError } from "../errors";
import {
  checkAllowed,
  forcedDemuxer,
  probeUntrusted,
  TEXT_SUBTITLE_CODECS,
  type AdmittedMedia,
} from "./admission";
import { ffmpeg, isProcessError } from "./process";

const CANONICAL = {
  mov: path.join("source", "canonical.mov"),
  matroska: path.join("source", "canonical.mkv"),
} as const;
type Container = keyof typeof CANONICAL;

/** The upload check's result (admission.ts admitMedia), kept beside the upload. */
const ADMITTED = path.join("source", "admitted.json");

/**
 * Keeps the upload check's result in the task's folder, so normalising does not probe the
 * upload a second time (a process start on the path to the first frame).
 */
export async function recordAdmission(taskDir: string, info: AdmittedMedia): Promise<void> {
  await writeFile(path.join(taskDir, ADMITTED), JSON.stringify(info));
}

/** The recorded upload check, checked against the allow-lists again; null when there is none. */
async function readAdmission(taskDir: string): Promise<AdmittedMedia | null> {
  try {
    const info = JSON.parse(await readFile(path.join(taskDir, ADMITTED), "utf8")) as AdmittedMedia;
    return { ...info, demuxer: checkAllowed(info) };
  } catch {
    // None, or not one we accept: the upload is probed (and refused) as if nothing were kept.
    return null;
  }
}

/** Faults of the machine, not of the file: retried like any system error. */
const MACHINE_FAULT = /No space left|Permission denied|Cannot allocate memory|Too many open files/i;

/** Pure builder of the remux arguments (see normaliseSource). */
export function buildNormaliseArgs(opts: {
  input: string;
  info: Pick<AdmittedMedia, "demuxer" | "streamIndex" | "subtitleStreams">;
  container: Container;
  out: string;
}): string[] {
  const { info } = opts;
  const subtitles = info.subtitleStreams.filter((s) => TEXT_SUBTITLE_CODECS.has(s.codec));
  const maps = [info.streamIndex.video, info.streamIndex.audio, ...subtitles.map((s) => s.index)]
    .filter((i) => i !== undefined)
    .flatMap((i) => ["-map", `0:${i}`]);
  return [
    ...forcedDemuxer(info.demuxer),
    // Some AVI/MPEG files lack presentation times, which a muxer needs.
    "-fflags",
    "+genpts",
    "-i",
    path.resolve(opts.input),
    ...maps,
    "-c",
    "copy",
    ...(subtitles.length > 0 ? ["-c:s", opts.container === "mov" ? "mov_text" : "srt"] : []),
    "-map_chapters",
    "-1",
    "-f",
    opts.container,
    path.resolve(opts.out),
  ];
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

function unreadable(cause: unknown): PipelineError {
  return new PipelineError({
    code: "INVALID_MEDIA",
    category: "user",
    message: "The file could not be read to the end (it may be damaged). Re-export it and upload it again.",
    cause,
  });
}

/**
 * The canonical file of a task (absolute path), made from `sourceFile` on first call.
 * Idempotent: the file is written under a temp name and renamed (process.ts), so one that
 * exists is complete and is returned as is. Throws the admission errors (user) for a file
 * outside the allow-lists.
 */
export async function normaliseSource(opts: {
  taskDir: string;
  sourceFile: string;
  signal?: AbortSignal;
}): Promise<string> {
  for (const file of Object.values(CANONICAL)) {
    const full = path.join(opts.taskDir, file);
    if (await exists(full)) return full;
  }
  const input = path.join(opts.taskDir, opts.sourceFile);
  const signal = opts.signal ? { signal: opts.signal } : {};
  const info = (await readAdmission(opts.taskDir)) ?? (await probeUntrusted(input, signal));
  const containers: Container[] = info.demuxer === "mov" ? ["mov", "matroska"] : ["matroska"];
  let lastError: unknown;
  for (const container of containers) {
    const out = path.join(opts.taskDir, CANONICAL[container]);
    try {
      await ffmpeg(buildNormaliseArgs({ input, info, container, out }), signal);
      return out;
    } catch (err) {
      if (!isProcessError(err) || err.code !== "PROCESS_FAILED" || MACHINE_FAULT.test(err.stderrTail))
        throw err;
      lastError = err;
    }
  }
  throw unreadable(lastError);
}
