import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isPipelineError } from "../errors";
import {
  GLOSSARY_LIMITS,
  GlossaryError,
  normaliseGlossaryText,
  parseGlossary,
  serialiseGlossary,
} from "./parse";

function refusal(text: string): {
  code: string;
  category: string;
  line: number | undefined;
  message: string;
} {
  try {
    parseGlossary(text);
  } catch (e) {
    expect(isPipelineError(e)).toBe(true);
    expect(e).toBeInstanceOf(GlossaryError);
    const err = e as GlossaryError;
    return { code: err.code, category: err.category, line: err.line, message: err.message };
  }
  throw new Error("expected a refusal");
}

const timed = (fn: () => unknown): number => {
  const started = performance.now();
  try {
    fn();
  } catch {
    // only the time matters
  }
  return performance.now() - started;
};

describe("parseGlossary", () => {
  it("reads `=`, `=>` and tab lines, trims, skips blanks and # comments", () => {
    const text = [
      "\uFEFF# names",
      "  dubbing = Synchronisation  ",
      "",
      "voice actor=>Synchronsprecher",
      "subtitle\tUntertitel",
      "   # indented comment",
      "speed   cap =  Tempo   limit ",
      "\r\nGPU = Grafikkarte\r",
    ].join("\n");
    expect(parseGlossary(text)).toEqual([
      { term: "dubbing", translation: "Synchronisation" },
      { term: "voice actor", translation: "Synchronsprecher" },
      { term: "subtitle", translation: "Untertitel" },
      { term: "speed cap", translation: "Tempo limit" },
      { term: "GPU", translation: "Grafikkarte" },
    ]);
  });

  it("splits at the first tab, else at the first = (so translations may hold = and =>)", () => {
    expect(parseGlossary("E=mc²\tformule d'Einstein")).toEqual([
      { term: "E=mc²", translation: "formule d'Einstein" },
    ]);
    expect(parseGlossary("arrow = a => b = c")).toEqual([{ term: "arrow", translation: "a => b = c" }]);
    expect(parseGlossary("arrow => = x")).toEqual([{ term: "arrow", translation: "= x" }]);
  });

  it("keeps the last line of a term written twice, case- and width-insensitively", () => {
    expect(parseGlossary("Dubbing = A\nsubtitle = S\nDUBBING = B\nｄｕｂｂｉｎｇ = C")).toEqual([
      { term: "subtitle", translation: "S" },
      { term: "ｄｕｂｂｉｎｇ", translation: "C" },
    ]);
  });

  it("accepts CJK on either side", () => {
    expect(parseGlossary("配音 = dubbing\nvoice = 声優\n字幕　=　subtitles")).toEqual([
      { term: "配音", translation: "dubbing" },
      { term: "voice", translation: "声優" },
      { term: "字幕", translation: "subtitles" },
    ]);
  });

  it("returns nothing for an empty or comment-only text", () => {
    expect(parseGlossary("")).toEqual([]);
    expect(parseGlossary("\n  \n# only a comment\n")).toEqual([]);
  });

  it("refuses a bad line with INVALID_GLOSSARY naming its number", () => {
    expect(refusal("a = b\n\njust words")).toMatchObject({
      code: "INVALID_GLOSSARY",
      category: "user",
      line: 3,
      message: expect.stringMatching(/line 3 .*term = translation/) as unknown,
    });
    expect(refusal("a = b\n = b")).toMatchObject({
      line: 2,
      message: expect.stringMatching(/empty term/) as unknown,
    });
    expect(refusal("a =  ")).toMatchObject({
      line: 1,
      message: expect.stringMatching(/empty translation/) as unknown,
    });
    expect(refusal("a => ")).toMatchObject({ line: 1 });
    expect(refusal("ok = fine\nbell\u0007 = x")).toMatchObject({
      code: "INVALID_GLOSSARY",
      line: 2,
      message: expect.stringMatching(/control character/) as unknown,
    });
    for (const ch of ["\u0000", "\u001b", "\u0085", "\u2028", "\u202E", "\u2066", "\u000B"]) {
      expect(refusal(`x = y${ch}z`).code).toBe("INVALID_GLOSSARY");
    }
    // Zero-width joiners are part of scripts and emoji, not controls.
    expect(parseGlossary("👩\u200D💻 = developer")).toEqual([
      { term: "👩\u200D💻", translation: "developer" },
    ]);
  });

  it("caps each side at 200 characters, counted as code points", () => {
    expect(parseGlossary(`${"字".repeat(200)} = ${"😀".repeat(200)}`)).toHaveLength(1);
    expect(refusal(`ok = 1\n${"a".repeat(201)} = b`)).toMatchObject({ code: "INVALID_GLOSSARY", line: 2 });
    expect(refusal(`a = ${"b".repeat(201)}`)).toMatchObject({ code: "INVALID_GLOSSARY", line: 1 });
  });

  it("caps the entries at 500 distinct terms (duplicates do not count)", () => {
    const lines = (n: number) => Array.from({ length: n }, (_, i) => `t${i}=${i}`);
    expect(parseGlossary(lines(500).join("\n"))).toHaveLength(500);
    expect(parseGlossary([...lines(500), "T0 = again"].join("\n"))).toHaveLength(500);
    expect(refusal(lines(501).join("\n"))).toMatchObject({
      code: "GLOSSARY_TOO_LARGE",
      category: "user",
      line: 501,
    });
  });

  it("caps the text at 16 KiB of UTF-8, before reading it", () => {
    const ascii = `a = ${"b".repeat(GLOSSARY_LIMITS.maxBytes - 4)}`;
    expect(ascii.length).toBe(16 * 1024);
    expect(refusal(ascii).code).toBe("INVALID_GLOSSARY"); // within the size cap, over the side cap
    expect(refusal(`${ascii}x`)).toMatchObject({ code: "GLOSSARY_TOO_LARGE", line: undefined });
    // 6 000 CJK characters are 18 000 bytes though only 6 000 UTF-16 units.
    expect(refusal("字".repeat(6000)).code).toBe("GLOSSARY_TOO_LARGE");
    expect(timed(() => parseGlossary("x".repeat(50_000_000)))).toBeLessThan(200);
  });

  it("takes linear time on hostile lines within the caps", () => {
    const limits = { maxBytes: Infinity, maxEntries: Infinity, maxSideChars: Infinity };
    for (const text of [
      " ".repeat(1_000_000),
      `${" \t".repeat(500_000)}x`,
      "=".repeat(1_000_000),
      `a = ${" x".repeat(500_000)}`,
      Array.from({ length: 100_000 }, (_, i) => `term${i} = t`).join("\n"),
    ]) {
      expect(timed(() => parseGlossary(text, limits))).toBeLessThan(1000);
    }
  });

  it("never throws anything but a GlossaryError, and what it returns is within the caps (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 300 }), fc.string({ maxLength: 300 }), (a, b) => {
        for (const text of [a, b, `${a}=${b}`, `${a}\n${b}\t${a}`]) {
          let entries;
          try {
            entries = parseGlossary(text);
          } catch (e) {
            expect(e).toBeInstanceOf(GlossaryError);
            continue;
          }
          expect(entries.length).toBeLessThanOrEqual(GLOSSARY_LIMITS.maxEntries);
          for (const { term, translation } of entries) {
            for (const side of [term, translation]) {
              expect(side).toBe(side.trim());
              expect(side).not.toBe("");
              expect([...side].length).toBeLessThanOrEqual(GLOSSARY_LIMITS.maxSideChars);
              expect(side).not.toMatch(/[\n\r\t]/);
            }
            expect(term.startsWith("#")).toBe(false);
          }
        }
      }),
    );
  });
});

describe("serialiseGlossary", () => {
  const side = fc
    .string({
      unit: fc.constantFrom("a", "B", " ", "=", ">", "#", "字", "ｘ", "😀", "é"),
      minLength: 1,
      maxLength: 12,
    })
    .filter((s) => s.trim() !== "");
  // A line whose term starts with = has an empty term; one starting with # is a comment.
  const term = side.filter((s) => !/^\s*[=#]/.test(s));

  it("writes what parseGlossary reads back, never longer than the text it came from (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(term, side, fc.constantFrom(" = ", "=", "=>", " => ", "\t")), { maxLength: 8 }),
        (rows) => {
          const text = rows.map(([t, tr, sep]) => `${t}${sep}${tr}`).join("\n");
          let entries;
          try {
            entries = parseGlossary(text);
          } catch {
            return; // a generated line without a usable split; refusals are tested above
          }
          const written = serialiseGlossary(entries);
          expect(parseGlossary(written)).toEqual(entries);
          expect(new TextEncoder().encode(written).length).toBeLessThanOrEqual(
            new TextEncoder().encode(text).length,
          );
          expect(normaliseGlossaryText(written)).toBe(written);
        },
      ),
    );
  });

  it("uses a tab where `=` would be ambiguous", () => {
    const entries = [
      { term: "E=mc²", translation: "x" },
      { term: "arrow", translation: ">right" },
      { term: "plain", translation: "text = more" },
    ];
    const written = serialiseGlossary(entries);
    expect(written).toBe("E=mc²\tx\narrow\t>right\nplain=text = more");
    expect(parseGlossary(written)).toEqual(entries);
  });
});
