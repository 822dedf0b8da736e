/**
 * A task's glossary as the user types or uploads it: one `term = translation` per line.
 * Browser-safe (no Node imports), so the upload form can check a glossary before sending it.
 *
 * - The separator is the first tab when the line has one, otherwise the first `=` (an `=>`
 *   there counts as one separator). A term that itself holds `=` is written with a tab.
 * - Blank lines and lines starting with `#` are skipped; a UTF-8 BOM is ignored.
 * - Both sides are trimmed and their inner whitespace runs collapse to one space.
 * - The same term twice (case- and width-insensitively) keeps the last line.
 * - Refused, naming the line: no separator, an empty side, a side over the length cap, a
 *   control character; and the whole text over the size cap or over the entry cap.
 *
 * Every step is a single pass over the text, so hostile input costs linear time.
 */
import { PipelineError } from "../errors";
import { matchKey } from "./match";
import type { GlossaryEntry } from "./types";

export interface GlossaryLimits {
  /** UTF-8 bytes of the whole text. */
  maxBytes: number;
  /** Distinct terms. */
  maxEntries: number;
  /** Characters (code points) of a term and of a translation, each. */
  maxSideChars: number;
}

export const GLOSSARY_LIMITS: GlossaryLimits = { maxBytes: 16 * 1024, maxEntries: 500, maxSideChars: 200 };

/** A refused glossary; `line` (1-based) is set when one line is at fault. */
export class GlossaryError extends PipelineError {
  readonly line: number | undefined;

  constructor(opts: { code: "INVALID_GLOSSARY" | "GLOSSARY_TOO_LARGE"; message: string; line?: number }) {
    super({ code: opts.code, category: "user", message: opts.message });
    this.name = "GlossaryError";
    this.line = opts.line;
  }
}

/*
 * C0/C1 controls other than tab and line breaks, the Unicode line/paragraph separators, and
 * the bidirectional embedding/override/isolate marks (they would reorder what the watch page
 * shows). Zero-width joiners stay: some scripts and emoji need them.
 */
const FORBIDDEN =
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/u;

const codePoints = (s: string): number => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};

function utf8Bytes(s: string): number {
  let bytes = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

const tidy = (s: string): string => s.trim().replace(/\s+/gu, " ");

/** Splits one non-comment line at its separator; undefined when it has none. */
function splitLine(line: string): [string, string] | undefined {
  const tab = line.indexOf("\t");
  if (tab >= 0) return [line.slice(0, tab), line.slice(tab + 1)];
  const eq = line.indexOf("=");
  if (eq < 0) return undefined;
  const after = line[eq + 1] === ">" ? eq + 2 : eq + 1;
  return [line.slice(0, eq), line.slice(after)];
}

export function parseGlossary(text: string, limits: GlossaryLimits = GLOSSARY_LIMITS): GlossaryEntry[] {
  // A UTF-16 unit is at least one UTF-8 byte, so a long string is refused before it is measured.
  if (text.length > limits.maxBytes || utf8Bytes(text) > limits.maxBytes) {
    throw new GlossaryError({
      code: "GLOSSARY_TOO_LARGE",
      message: `The glossary is larger than ${limits.maxBytes} bytes; keep the terms this video needs.`,
    });
  }
  const body = text.startsWith("\uFEFF") ? text.slice(1) : text;
  const byKey = new Map<string, GlossaryEntry>();
  const lines = body.split(/\r\n|\r|\n/u);
  for (let i = 0; i < lines.length; i++) {
    const n = i + 1;
    const raw = lines[i] ?? "";
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    if (FORBIDDEN.test(raw)) {
      throw new GlossaryError({
        code: "INVALID_GLOSSARY",
        line: n,
        message: `Glossary line ${n} contains a control character.`,
      });
    }
    const parts = splitLine(raw);
    if (!parts) {
      throw new GlossaryError({
        code: "INVALID_GLOSSARY",
        line: n,
        message: `Glossary line ${n} has no separator; write "term = translation".`,
      });
    }
    const term = tidy(parts[0]);
    const translation = tidy(parts[1]);
    if (term === "" || translation === "") {
      throw new GlossaryError({
        code: "INVALID_GLOSSARY",
        line: n,
        message: `Glossary line ${n} has an empty ${term === "" ? "term" : "translation"}; write "term = translation".`,
      });
    }
    if (codePoints(term) > limits.maxSideChars || codePoints(translation) > limits.maxSideChars) {
      throw new GlossaryError({
        code: "INVALID_GLOSSARY",
        line: n,
        message: `Glossary line ${n} is too long: a term and its translation may have ${limits.maxSideChars} characters each.`,
      });
    }
    const key = matchKey(term);
    // Delete first so that the entry takes the position of its last line, like its value.
    byKey.delete(key);
    byKey.set(key, { term, translation });
    if (byKey.size > limits.maxEntries) {
      throw new GlossaryError({
        code: "GLOSSARY_TOO_LARGE",
        line: n,
        message: `The glossary has more than ${limits.maxEntries} terms (line ${n}); keep the terms this video needs.`,
      });
    }
  }
  return [...byKey.values()];
}

/**
 * The text form of parsed entries: parseGlossary(serialiseGlossary(e)) gives e back. The
 * separator is one character (`=`, or a tab when the term holds `=` or the translation starts
 * with `>`), so the text is never longer than the one the entries were parsed from and
 * always passes the size cap again.
 */
export function serialiseGlossary(entries: readonly GlossaryEntry[]): string {
  return entries
    .map(({ term, translation }) => {
      const tab = term.includes("=") || translation.startsWith(">");
      return `${term}${tab ? "\t" : "="}${translation}`;
    })
    .join("\n");
}

/** The canonical stored text of a user's glossary: parsed (and so checked), then written back. */
export const normaliseGlossaryText = (text: string, limits: GlossaryLimits = GLOSSARY_LIMITS): string =>
  serialiseGlossary(parseGlossary(text, limits));
