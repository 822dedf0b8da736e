/** Subtitle files written by an attacker: caps, linear time, entities, and properties over any input. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isPipelineError } from "../errors";
import { parseSubtitles, SUBTITLE_LIMITS, toSrt, toVtt, type Cue } from "./parse";

const NO_CAPS = { maxChars: Infinity, maxCues: Infinity, maxLineChars: Infinity, maxCueMs: Infinity };

const cue = (text: string, start = "00:00:01,000", end = "00:00:02,000") =>
  `1\n${start} --> ${end}\n${text}\n`;

function codeOf(fn: () => unknown): unknown {
  try {
    fn();
    return "parsed";
  } catch (e) {
    return isPipelineError(e) ? [e.code, e.category] : e;
  }
}

/** Wall time of one call, in ms. */
function timed(fn: () => unknown): number {
  const started = performance.now();
  try {
    fn();
  } catch {
    // only the time matters here
  }
  return performance.now() - started;
}

describe("parseSubtitles on hostile input", () => {
  it("strips markup in linear time: 100 000 unclosed '<' or '{\\' in a cue take milliseconds, not seconds", () => {
    for (const text of [
      "<".repeat(100_000),
      "{\\".repeat(50_000),
      "<a".repeat(50_000) + ">",
      "&".repeat(100_000),
    ]) {
      expect(timed(() => parseSubtitles(cue(text), NO_CAPS))).toBeLessThan(1000);
    }
    expect(parseSubtitles(cue("a <b c"), NO_CAPS)[0]?.text).toBe("a <b c");
  });

  it("refuses what is over a cap, with a code naming the cap", () => {
    expect(codeOf(() => parseSubtitles(cue("<".repeat(100_000))))).toEqual([
      "SUBTITLES_LINE_TOO_LONG",
      "user",
    ]);
    const manyLines = cue(Array.from({ length: 200 }, () => "word ".repeat(10)).join("\n"));
    expect(codeOf(() => parseSubtitles(manyLines))).toEqual(["SUBTITLES_LINE_TOO_LONG", "user"]);
    expect(codeOf(() => parseSubtitles(cue("x", "00:00:00,000", "03:00:00,000")))).toEqual([
      "SUBTITLES_CUE_TOO_LONG",
      "user",
    ]);
    const many = Array.from({ length: 21 }, (_, i) =>
      cue("x", `00:00:${String(i).padStart(2, "0")},000`, `00:00:${String(i).padStart(2, "0")},500`),
    );
    expect(codeOf(() => parseSubtitles(many.join("\n"), { ...SUBTITLE_LIMITS, maxCues: 20 }))).toEqual([
      "SUBTITLES_TOO_MANY_CUES",
      "user",
    ]);
    expect(codeOf(() => parseSubtitles(" ".repeat(SUBTITLE_LIMITS.maxChars + 1)))).toEqual([
      "SUBTITLES_TOO_LARGE",
      "user",
    ]);
  });

  it("decodes entities once, as text: an encoded tag never becomes markup in the SRT written back", () => {
    const [parsed] = parseSubtitles(
      cue("&lt;script&gt;alert(1)&lt;/script&gt; &lt;i&gt;x&lt;/i&gt; &amp;lt;b&amp;gt;"),
    );
    expect(parsed?.text).toBe("<script>alert(1)</script> <i>x</i> &lt;b&gt;");
    const srt = toSrt([parsed as Cue]);
    expect(srt).not.toMatch(/<[A-Za-z/]/);
    expect(srt).toContain("‹script>alert(1)‹/script>");
    expect(toVtt([parsed as Cue])).toContain("&lt;script&gt;");
  });

  it("turns out-of-range, surrogate and control code points into U+FFFD instead of failing", () => {
    const [parsed] = parseSubtitles(cue("a&#x110000;b&#1114112;c&#xD800;d&#0;e&#99999999;f\u0000g"));
    expect(parsed?.text).toBe("a\uFFFDb\uFFFDc\uFFFDd\uFFFDe\uFFFDf g");
    expect(parseSubtitles(cue("&#128512; &#x1F600;"))[0]?.text).toBe("😀 😀");
  });
});

/** Text that looks like subtitles often enough to reach every branch of the parser. */
const subtitleish = fc
  .array(
    fc.oneof(
      fc.constantFrom("", "WEBVTT", "NOTE x", "STYLE", "1", "2", "-->", "00:00:01,000 --> 00:00:02,000"),
      fc
        .tuple(fc.nat(99), fc.nat(59), fc.nat(999), fc.nat(99), fc.nat(59), fc.nat(999))
        .map(([h1, s1, ms1, h2, s2, ms2]) => `${h1}:00:${s1},${ms1} --> ${h2}:01:${s2}.${ms2} align:start`),
      fc.string({ maxLength: 40 }),
      fc.string({ unit: "binary", maxLength: 40 }),
      fc.stringMatching(/^[<>{}\\&#;xNa-f0-9 ]{0,40}$/),
    ),
    { maxLength: 60 },
  )
  .chain((lines) => fc.constantFrom("\n", "\r\n", "\r").map((eol) => lines.join(eol)));

function checkCues(cues: Cue[]): void {
  expect(cues.length).toBeGreaterThan(0);
  for (const [i, c] of cues.entries()) {
    expect(Number.isFinite(c.startMs) && Number.isFinite(c.endMs)).toBe(true);
    expect(c.endMs).toBeGreaterThan(c.startMs);
    expect(c.text).not.toBe("");
    expect([...c.text].some((ch) => ch < " ")).toBe(false);
    if (i > 0) expect(c.startMs).toBeGreaterThanOrEqual(cues[i - 1]?.startMs ?? 0);
  }
}

describe("parseSubtitles properties (fast-check, bounded runs)", () => {
  it("any input gives valid cues or a clean PipelineError, quickly", () => {
    fc.assert(
      fc.property(
        fc.oneof(subtitleish, fc.string({ maxLength: 2000 }), fc.string({ unit: "binary" })),
        (text) => {
          const started = performance.now();
          try {
            checkCues(parseSubtitles(text));
          } catch (e) {
            if (!isPipelineError(e)) throw e;
            expect(e.category).toBe("user");
            expect(e.code).toMatch(/^[A-Z_]+$/);
          }
          expect(performance.now() - started).toBeLessThan(250);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("what toSrt and toVtt write parses back to the same times, and SRT holds no markup", () => {
    const cueArb = fc
      .tuple(
        fc.nat(10_000_000),
        fc.integer({ min: 1, max: 60_000 }),
        fc.string({ minLength: 1, maxLength: 80 }),
      )
      .map(([startMs, len, text]) => ({ startMs, endMs: startMs + len, text }));
    fc.assert(
      fc.property(fc.array(cueArb, { minLength: 1, maxLength: 20 }), (cues) => {
        const srt = toSrt(cues);
        expect(srt).not.toMatch(/<[A-Za-z/!?]/);
        for (const written of [srt, toVtt(cues)]) {
          let back: Cue[] = [];
          try {
            back = parseSubtitles(written);
          } catch (e) {
            // Every cue's text may clean up to nothing (e.g. only "{\…}" or spaces).
            expect(isPipelineError(e) && e.code).toBe("INVALID_SUBTITLES");
          }
          for (const c of back)
            expect(cues.some((o) => o.startMs === c.startMs && o.endMs === c.endMs)).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });
});
