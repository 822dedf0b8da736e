/**
 * Cue text: markup in, plain text out, and plain text back into SRT without it turning
 * into markup again. One left-to-right pass with no backtracking, so any input costs time
 * linear in its length (regexes like `<[^>]*>` rescan to the end from every unclosed `<`:
 * 100 000 of them took ~10 s).
 */

const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: " ",
  lrm: "",
  rlm: "",
};

/** `&name;`, `&#123;`, `&#x1F600;`; the digit limits keep every value a finite number. */
const ENTITY = /&(?:#(\d{1,8})|#[xX]([0-9a-fA-F]{1,8})|([a-zA-Z]{1,8}));/y;

/** A code point that can stand in text: not NUL or a C0/C1 control, not a surrogate, ≤ U+10FFFF. */
function decodeCodePoint(cp: number): string {
  if (cp === 0x09 || cp === 0x0a || cp === 0x0d) return " ";
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
    return "\uFFFD";
  return String.fromCodePoint(cp);
}

/** Control characters (NUL breaks Postgres text); tabs and newlines become spaces. */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001F\u007F-\u009F]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Plain text of a cue's lines: VTT/SRT tags (`<i>`, `<c.x>`, `<v Name>`, `<00:01.000>`) and
 * ASS overrides (`{\an8}`) removed, entities decoded exactly once (the decoded `<` of
 * `&lt;` is text, never markup), `\N` and whitespace runs made single spaces.
 */
export function cueText(lines: readonly string[]): string {
  const text = lines.join(" ");
  const out: string[] = [];
  // Once a closer is missing from some point on, it is missing for every later opener too.
  let noTagClose = false;
  let noBraceClose = false;
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    if (ch === "<" && !noTagClose) {
      const close = text.indexOf(">", i + 1);
      if (close !== -1) {
        i = close + 1;
        continue;
      }
      noTagClose = true;
    } else if (ch === "{" && text[i + 1] === "\\" && !noBraceClose) {
      const close = text.indexOf("}", i + 2);
      if (close !== -1) {
        i = close + 1;
        continue;
      }
      noBraceClose = true;
    } else if (ch === "&") {
      ENTITY.lastIndex = i;
      const m = ENTITY.exec(text);
      if (m) {
        const [whole, dec, hex, name] = m;
        if (dec !== undefined) out.push(decodeCodePoint(Number(dec)));
        else if (hex !== undefined) out.push(decodeCodePoint(Number.parseInt(hex, 16)));
        else out.push(NAMED_ENTITIES[(name ?? "").toLowerCase()] ?? whole);
        i += whole.length;
        continue;
      }
    } else if (ch === "\\" && text[i + 1] === "N") {
      out.push(" ");
      i += 2;
      continue;
    }
    out.push(ch);
    i++;
  }
  return out.join("").replace(UNSAFE, " ").replace(LONE_SURROGATE, "\uFFFD").replace(/\s+/g, " ").trim();
}

/** Text as one cue line: a blank line would end the cue early, `-->` would read as a timing line. */
export function oneLine(text: string): string {
  return text
    .replace(/\s+/g, (ws) => (ws.includes("\n") || ws.includes("\r") ? " " : ws))
    .replace(/-->/g, "->")
    .trim();
}

/**
 * Plain text as one SRT cue line, with no markup: SRT has no escapes and players render
 * `<font>`, `<i>` or worse, so a `<` that would open a tag becomes `‹`, and an ASS
 * override's `{\` loses its brace.
 */
export function srtLine(text: string): string {
  return oneLine(text)
    .replace(/<(?=[A-Za-z/!?])/g, "‹")
    .replace(/\{\\/g, "\\");
}
