import { resolve } from "node:path";
import { PipelineError } from "../errors";
import { ffmpeg, isProcessError } from "../media/process";
import { parseSubtitles, type Cue } from "./parse";

/** Bitmap subtitle codecs (DVD, Blu-ray, DVB) would need OCR; ffmpeg cannot turn them into text. */
const BITMAP_CODECS = new Set(["hdmv_pgs_subtitle", "dvd_subtitle", "dvb_subtitle", "xsub"]);

export function isTextSubtitleCodec(codec: string): boolean {
  return !BITMAP_CODECS.has(codec);
}

/**
 * Reads a text subtitle track out of a media file. `streamIndex` is the absolute stream index
 * (MediaInfo.subtitleStreams[].index). An empty track gives an empty list.
 */
export async function extractEmbeddedSubtitles(opts: {
  input: string;
  streamIndex: number;
  signal?: AbortSignal;
}): Promise<Cue[]> {
  let stdout: string;
  try {
    ({ stdout } = await ffmpeg(
      ["-loglevel", "error", "-i", resolve(opts.input), "-map", `0:${opts.streamIndex}`, "-f", "srt", "-"],
      { signal: opts.signal },
    ));
  } catch (cause) {
    if (isProcessError(cause) && /only possible from text to text|bitmap/i.test(cause.stderrTail)) {
      throw new PipelineError({
        code: "UNSUPPORTED_SUBTITLES",
        category: "user",
        message: `Subtitle stream ${opts.streamIndex} is a picture-based track; only text subtitles can be used`,
        cause,
      });
    }
    throw cause;
  }
  if (stdout.trim() === "") return [];
  return parseSubtitles(stdout);
}
