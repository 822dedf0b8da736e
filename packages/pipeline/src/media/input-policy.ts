/**
 * How every ffmpeg/ffprobe input is opened (DESIGN §7b). An upload is hostile: left to
 * probe, ffmpeg may read it as an HLS playlist, a concat list or an image sequence and
 * open any local file it names. So no input is ever probed after the upload check: the
 * demuxer is forced (`-f`), from the call site or from the extension of a file we wrote
 * (or normalised, see normalise.ts), and only the `file` protocol (`pipe` for stdin) is
 * allowed. Pure functions, applied by the spawn wrappers in process.ts.
 */
import { extname } from "node:path";
import { PipelineError } from "../errors";

/** Demuxer of each file kind the pipeline itself writes, and of the canonical source. */
const DEMUXER_BY_EXTENSION: Readonly<Record<string, string>> = {
  ".wav": "wav",
  ".mkv": "matroska",
  ".webm": "matroska",
  ".mov": "mov",
  ".mp4": "mov",
  ".m4a": "mov",
  ".ts": "mpegts",
  ".mp3": "mp3",
  ".flac": "flac",
  ".ogg": "ogg",
  ".srt": "srt",
  ".vtt": "webvtt",
};

/** The demuxer forced for a file we wrote, by its extension; undefined for anything else. */
export function demuxerForPath(path: string): string | undefined {
  return DEMUXER_BY_EXTENSION[extname(path).toLowerCase()];
}

function isPipe(input: string): boolean {
  return input === "-" || input.startsWith("pipe:");
}

function unforcedInput(input: string): PipelineError {
  return new PipelineError({
    code: "UNFORCED_INPUT",
    category: "system",
    message: `Refusing to let ffmpeg guess the format of ${JSON.stringify(input)}: pass -f or use a known extension`,
  });
}

/** The value of the last `name value` pair in `args`, if any. */
function optionValue(args: readonly string[], name: string): string | undefined {
  for (let i = args.length - 2; i >= 0; i--) if (args[i] === name) return args[i + 1];
  return undefined;
}

/**
 * The input options that open `input`: `-protocol_whitelist` and, unless `options`
 * (what the call site already put before this `-i`) forces one, `-f` from the extension.
 * The one probe of a fresh upload cannot force a demuxer; it passes `-format_whitelist`
 * (the allow-list, see admission.ts) instead. Throws UNFORCED_INPUT (a programming error)
 * when no demuxer can be chosen.
 */
export function inputOptions(input: string, options: readonly string[] = []): string[] {
  const out: string[] = [];
  if (!options.includes("-protocol_whitelist"))
    out.push("-protocol_whitelist", isPipe(input) ? "pipe" : "file");
  if (optionValue(options, "-f") === undefined && optionValue(options, "-format_whitelist") === undefined) {
    const format = isPipe(input) ? undefined : demuxerForPath(input);
    if (format === undefined) throw unforcedInput(input);
    out.push("-f", format);
  }
  return out;
}

/**
 * ffmpeg arguments with the input policy applied to every `-i`: the options a call site
 * wrote before an `-i` (since the previous input) are that input's; the policy's go right
 * before the `-i`. Our calls put all inputs before all outputs, as ffmpeg's usage does.
 */
export function applyInputPolicy(args: readonly string[]): string[] {
  const out: string[] = [];
  let inputOptionsStart = 0;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const input = args[i + 1];
    if (arg === "-i" && input !== undefined) {
      out.push(...inputOptions(input, out.slice(inputOptionsStart)), "-i", input);
      i++;
      inputOptionsStart = out.length;
    } else {
      out.push(arg);
    }
  }
  return out;
}
