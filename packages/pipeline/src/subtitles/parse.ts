import { PipelineError } from "../errors";
import { cueText, oneLine, srtLine } from "./cue-text";

export interface Cue {
  startMs: number;
  endMs: number;
  text: string;
}

/** "01:02:03,456", "02:03.456" (VTT without hours), "1:02:03.4", "00:01:02" (no ms). */
const TIME = String.raw`(?:(\d{1,3}):)?(\d{1,2}):(\d{1,2})(?:[.,:](\d{1,3}))?`;

/**
 * Caps on a subtitle file (DESIGN §7b). The largest real files (a 3 h film, ~2 000 cues,
 * ~150 KB) are far inside them; anything beyond is refused with a code naming the cap.
 */
export interface SubtitleLimits {
  /** Characters of the whole file (the web server checks the same number in bytes). */
  maxChars: number;
  maxCues: number;
  maxLineChars: number;
  maxCueMs: number;
}

export const SUBTITLE_LIMITS: SubtitleLimits = {
  maxChars: 2 * 1024 * 1024,
  maxCues: 20_000,
  maxLineChars: 1_000,
  maxCueMs: 5 * 60_000,
};
const TIMING_LINE = new RegExp(String.raw`^\s*${TIME}\s*-->\s*${TIME}`);

function toMs(
  h: string | undefined,
  m: string | undefined,
  s: string | undefined,
  frac: string | undefined,
): number {
  // "5" after the separator means 500 ms, not 5 ms.
  const ms = frac === undefined ? 0 : Number(frac.padEnd(3, "0"));
  return ((Number(h ?? 0) * 60 + Number(m)) * 60 + Number(s)) * 1000 + ms;
}

function invalid(message: string, code = "INVALID_SUBTITLES"): PipelineError {
  return new PipelineError({ code, category: "user", message });
}

/**
 * Parses SRT or WebVTT (detected from content). Line-based rather than block-based, so files
 * with missing index lines or missing blank lines between cues still parse. VTT NOTE, STYLE
 * and REGION blocks are skipped. Returns cues sorted by start time; empty cues are dropped.
 * Linear in the input; over a cap in `limits` it throws SUBTITLES_TOO_LARGE,
 * SUBTITLES_TOO_MANY_CUES, SUBTITLES_LINE_TOO_LONG or SUBTITLES_CUE_TOO_LONG (user).
 */
export function parseSubtitles(text: string, limits: SubtitleLimits = SUBTITLE_LIMITS): Cue[] {
  if (text.length > limits.maxChars) {
    throw invalid(
      `The subtitle file is larger than ${Math.round(limits.maxChars / 1024)} KB`,
      "SUBTITLES_TOO_LARGE",
    );
  }
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\r|\n/);
  const isVtt = /^WEBVTT\b/.test(lines[0]?.trim() ?? "");
  const cues: Cue[] = [];
  let current: { startMs: number; endMs: number; lines: string[] } | undefined;
  let skippingBlock = false;
  let malformedTimings = 0;

  const flush = (): void => {
    if (!current) return;
    const text = cueText(current.lines);
    if (text && current.endMs > current.startMs) {
      // A cue is spoken as one line, so its joined text has the same cap as a line.
      if (text.length > limits.maxLineChars) {
        throw invalid(
          `Cue ${cues.length + 1} has more than ${limits.maxLineChars} characters of text`,
          "SUBTITLES_LINE_TOO_LONG",
        );
      }
      if (current.endMs - current.startMs > limits.maxCueMs) {
        throw invalid(
          `Cue ${cues.length + 1} lasts ${Math.round((current.endMs - current.startMs) / 1000)} s; the limit is ${Math.round(limits.maxCueMs / 1000)} s`,
          "SUBTITLES_CUE_TOO_LONG",
        );
      }
      if (cues.length >= limits.maxCues)
        throw invalid(`The subtitle file has more than ${limits.maxCues} cues`, "SUBTITLES_TOO_MANY_CUES");
      cues.push({ startMs: current.startMs, endMs: current.endMs, text });
    }
    current = undefined;
  };

  for (const [i, raw] of lines.entries()) {
    if (raw.length > limits.maxLineChars) {
      throw invalid(
        `Line ${i + 1} of the subtitle file is longer than ${limits.maxLineChars} characters`,
        "SUBTITLES_LINE_TOO_LONG",
      );
    }
    const line = raw.trim();
    if (line === "") {
      flush();
      skippingBlock = false;
      continue;
    }
    if (skippingBlock || (isVtt && i === 0)) {
      skippingBlock = true;
      continue;
    }
    if (line.includes("-->")) {
      const m = TIMING_LINE.exec(line);
      if (!m) {
        malformedTimings++;
        flush();
        skippingBlock = true;
        continue;
      }
      // A number right before a timing line without a blank line between is the next cue's index.
      if (current && /^\d+$/.test(current.lines.at(-1) ?? "")) current.lines.pop();
      flush();
      current = { startMs: toMs(m[1], m[2], m[3], m[4]), endMs: toMs(m[5], m[6], m[7], m[8]), lines: [] };
      continue;
    }
    if (current) {
      current.lines.push(line);
    } else if (isVtt && /^(NOTE|STYLE|REGION)\b/.test(line)) {
      skippingBlock = true;
    }
    // Other lines outside a cue are SRT indexes or VTT cue identifiers.
  }
  flush();

  if (cues.length === 0) {
    throw invalid(
      malformedTimings > 0
        ? `The subtitle file has ${malformedTimings} timing line(s) that could not be read`
        : "The subtitle file contains no cues (expected SRT or WebVTT)",
    );
  }
  return cues.sort((a, b) => a.startMs - b.startMs);
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

function formatTime(ms: number, sep: "," | "."): string {
  const total = Math.max(0, Math.round(ms));
  const h = Math.floor(total / 3_600_000);
  const m = Math.floor((total % 3_600_000) / 60_000);
  const s = Math.floor((total % 60_000) / 1000);
  return `${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}${sep}${pad(total % 1000, 3)}`;
}

export function toSrt(cues: readonly Cue[]): string {
  return cues
    .map(
      (c, i) =>
        `${i + 1}\n${formatTime(c.startMs, ",")} --> ${formatTime(c.endMs, ",")}\n${srtLine(c.text)}\n`,
    )
    .join("\n");
}

export function toVtt(cues: readonly Cue[]): string {
  const body = cues
    .map((c) => {
      const text = oneLine(c.text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
      return `${formatTime(c.startMs, ".")} --> ${formatTime(c.endMs, ".")}\n${text}\n`;
    })
    .join("\n");
  return `WEBVTT\n\n${body}`;
}
