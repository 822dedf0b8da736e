import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { PipelineError } from "../errors";
import { ffmpeg, ffprobeJson } from "../media/process";

/** A line of an ffconcat list; single quotes are closed, escaped and reopened. */
export function concatListLine(path: string): string {
  return `file '${resolve(path).replace(/'/g, "'\\''")}'`;
}

/**
 * Joins the published TS chunks into one MP4 without re-encoding. `aac_adtstoasc` turns the
 * TS audio framing into what MP4 expects; faststart lets the download play before it is complete.
 */
export async function concatToMp4(opts: {
  tsPaths: readonly string[];
  /**
   * Each chunk's length on the timeline (ms). Without it the concat demuxer places the next
   * chunk after this one's container duration, which includes the AAC encoder's priming
   * (~23 ms a part): the MP4 would grow, and drift from the subtitles, by that much a part.
   */
  durationsMs?: readonly number[];
  out: string;
  signal?: AbortSignal;
}): Promise<void> {
  if (opts.tsPaths.length === 0) {
    throw new PipelineError({
      code: "NOTHING_TO_CONCAT",
      category: "system",
      message: "No segments to join into the final video",
    });
  }
  const dir = await mkdtemp(join(tmpdir(), "vitr-concat-"));
  try {
    const list = join(dir, "list.ffconcat");
    const lines = opts.tsPaths.map((p, i) => {
      const d = opts.durationsMs?.[i];
      return d === undefined ? concatListLine(p) : `${concatListLine(p)}\nduration ${(d / 1000).toFixed(3)}`;
    });
    await writeFile(list, `ffconcat version 1.0\n${lines.join("\n")}\n`);
    await ffmpeg(
      [
        "-f",
        "concat",
        "-safe",
        "0",
        "-i",
        list,
        "-map",
        "0",
        "-c",
        "copy",
        "-bsf:a",
        "aac_adtstoasc",
        "-movflags",
        "+faststart",
        resolve(opts.out),
      ],
      { signal: opts.signal },
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Container duration of a media file, in ms (via ffprobe). */
export async function probeDurationMs(path: string, opts: { signal?: AbortSignal } = {}): Promise<number> {
  const json = (await ffprobeJson(path, opts)) as { format?: { duration?: string } };
  const sec = Number.parseFloat(json.format?.duration ?? "");
  if (!Number.isFinite(sec)) {
    throw new PipelineError({
      code: "INVALID_MEDIA",
      category: "system",
      message: `No duration known for ${path}`,
    });
  }
  return Math.round(sec * 1000);
}
