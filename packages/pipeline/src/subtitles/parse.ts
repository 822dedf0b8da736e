import { PipelineError } from "../errors";

export interface Cue {
  startMs: number;
  endMs: number;
  text: string;
}

/** "01:02:03,456", "02:03.456" (VTT without hours), "1:02:03.4", "00:01:02" (no ms). */
const TIME = String.raw`(?:(\d+):)?(\d{1,2}):(\d{1,2})(?:[.,:](\d{1,3}))?`;
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

const ENTITIES: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: " ",
  lrm: "",
  rlm: "",
};

/** Removes markup (VTT/SRT <i>, <c.x>, <v Name>, timestamps, ASS {\an8} overrides) and decodes entities. */
function cleanText(lines: readonly string[]): string {
  return lines
    .join(" ")
    .replace(/<[^>]*>/g, "")
    .replace(/\{\\[^}]*\}/g, "")
    .replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, (whole, name: string) => {
      if (name.startsWith("#x") || name.startsWith("#X"))
        return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
      if (name.startsWith("#")) return String.fromCodePoint(Number(name.slice(1)));
      return ENTITIES[name.toLowerCase()] ?? whole;
    })
    .replace(/\\N/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

function invalid(message: string): PipelineError {
  return new PipelineError({ code: "INVALID_SUBTITLES", category: "user", message });
}

/**
 * Parses SRT or WebVTT (detected from content). Line-based rather than block-based, so files
 * with missing index lines or missing blank lines between cues still parse. VTT NOTE, STYLE
 * and REGION blocks are skipped. Returns cues sorted by start time; empty cues are dropped.
 */
export function parseSubtitles(text: string): Cue[] {
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\r|\n/);
  const isVtt = /^WEBVTT\b/.test(lines[0]?.trim() ?? "");
  const cues: Cue[] = [];
  let current: { startMs: number; endMs: number; lines: string[] } | undefined;
  let skippingBlock = false;
  let malformedTimings = 0;

  const flush = (): void => {
    if (!current) return;
    const cueText = cleanText(current.lines);
    if (cueText && current.endMs > current.startMs)
      cues.push({ startMs: current.startMs, endMs: current.endMs, text: cueText });
    current = undefined;
  };

  for (const [i, raw] of lines.entries()) {
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

/** A blank line would end the cue early; "-->" would be read as a timing line. */
function oneLine(text: string): string {
  return text
    .replace(/\s*\r?\n\s*/g, " ")
    .replace(/-->/g, "->")
    .trim();
}

export function toSrt(cues: readonly Cue[]): string {
  return cues
    .map(
      (c, i) =>
        `${i + 1}\n${formatTime(c.startMs, ",")} --> ${formatTime(c.endMs, ",")}\n${oneLine(c.text)}\n`,
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
