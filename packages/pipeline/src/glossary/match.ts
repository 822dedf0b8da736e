/**
 * Where glossary terms occur. Text is compared in one normal form: NFKC (full-width letters
 * and digits become ASCII, half-width kana full-width), lower case, whitespace runs as one
 * space. In scripts written with spaces a term must stand as a whole word ("cat" is not in
 * "category"); in scripts written without them (Chinese, Japanese, Korean's attached
 * particles, Thai…) any substring counts. Browser-safe.
 */
import type { GlossaryEntry } from "./types";

/** The form two strings are compared in; also the key that makes glossary terms unique. */
export const matchKey = (s: string): string => s.normalize("NFKC").toLowerCase().replace(/\s+/gu, " ");

const WORD = /[\p{L}\p{N}\p{M}]/u;
const UNSPACED =
  /[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Hangul}\p{scx=Thai}\p{scx=Lao}\p{scx=Khmer}\p{scx=Myanmar}\p{scx=Tibetan}]/u;

/** A letter, digit or mark of a script that separates words with spaces. */
const isSpacedWordChar = (ch: string | undefined): boolean =>
  ch !== undefined && WORD.test(ch) && !UNSPACED.test(ch);

function charBefore(s: string, i: number): string | undefined {
  if (i <= 0) return undefined;
  const cp = s.codePointAt(i - 1) ?? 0;
  // i - 1 is the low half of a surrogate pair: read the pair from its start.
  if (cp >= 0xdc00 && cp <= 0xdfff && i >= 2) return String.fromCodePoint(s.codePointAt(i - 2) ?? cp);
  return String.fromCodePoint(cp);
}

const charAt = (s: string, i: number): string | undefined => {
  const cp = s.codePointAt(i);
  return cp === undefined ? undefined : String.fromCodePoint(cp);
};

/**
 * Whether `needle` occurs in `haystack` (both already in matchKey form) starting at a word
 * start and, with `wholeWord`, also ending at a word end.
 */
function occurs(haystack: string, needle: string, wholeWord: boolean): boolean {
  if (needle === "") return false;
  const guardStart = isSpacedWordChar(charAt(needle, 0));
  const guardEnd = wholeWord && isSpacedWordChar(charBefore(needle, needle.length));
  for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1)) {
    if (guardStart && isSpacedWordChar(charBefore(haystack, at))) continue;
    if (guardEnd && isSpacedWordChar(charAt(haystack, at + needle.length))) continue;
    return true;
  }
  return false;
}

/** Whether the glossary term occurs in the source text, as a whole word where words are spaced. */
export const termOccurs = (source: string, term: string): boolean =>
  occurs(matchKey(source), matchKey(term).trim(), true);

/**
 * Whether the expected translation is in the translated text. It must start at a word start
 * but may end inside a word, so inflected forms count ("Katze" in "Katzen").
 */
export const translationOccurs = (translated: string, translation: string): boolean =>
  occurs(matchKey(translated), matchKey(translation).trim(), false);

/** The entries whose term occurs in at least one of the source lines, in glossary order. */
export function entriesFor(
  glossary: readonly GlossaryEntry[],
  sourceTexts: readonly string[],
): GlossaryEntry[] {
  if (glossary.length === 0) return [];
  const texts = sourceTexts.map(matchKey);
  return glossary.filter((entry) => {
    const term = matchKey(entry.term).trim();
    return texts.some((text) => occurs(text, term, true));
  });
}

/** The entries whose term is in `source` but whose translation is missing from `translation`. */
export function lostTerms(
  entries: readonly GlossaryEntry[],
  source: string,
  translation: string,
): GlossaryEntry[] {
  if (entries.length === 0) return [];
  const src = matchKey(source);
  const out = matchKey(translation);
  return entries.filter(
    (e) => occurs(src, matchKey(e.term).trim(), true) && !occurs(out, matchKey(e.translation).trim(), false),
  );
}
