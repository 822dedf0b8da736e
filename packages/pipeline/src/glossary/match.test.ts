import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { entriesFor, lostTerms, matchKey, termOccurs, translationOccurs } from "./match";

const e = (term: string, translation: string) => ({ term, translation });

describe("termOccurs", () => {
  it("matches whole words case-insensitively in spaced scripts", () => {
    expect(termOccurs("The CAT sat.", "cat")).toBe(true);
    expect(termOccurs("Categories of cats", "cat")).toBe(false);
    expect(termOccurs("a bobcat", "cat")).toBe(false);
    expect(termOccurs("cat-like", "cat")).toBe(true);
    expect(termOccurs("“Cat”, she said", "cat")).toBe(true);
    expect(termOccurs("version 15", "5")).toBe(false);
    expect(termOccurs("Ça va, Élodie?", "élodie")).toBe(true);
    expect(termOccurs("Привет, Мир", "мир")).toBe(true);
    expect(termOccurs("Мировой", "мир")).toBe(false);
  });

  it("matches multi-word terms across any whitespace, and terms with punctuation at the edges", () => {
    expect(termOccurs("the voice\n  actor spoke", "Voice Actor")).toBe(true);
    expect(termOccurs("we use C++ daily", "C++")).toBe(true);
    expect(termOccurs("Node.js!", "node.js")).toBe(true);
  });

  it("matches plain substrings in unspaced scripts, also next to Latin", () => {
    expect(termOccurs("我们今天讲配音技术。", "配音")).toBe(true);
    expect(termOccurs("コーヒーを飲む", "コーヒー")).toBe(true);
    expect(termOccurs("서울에서 만나요", "서울")).toBe(true);
    expect(termOccurs("新しいiPhoneです", "iphone")).toBe(true);
    expect(termOccurs("我用GPU训练", "gpu")).toBe(true);
  });

  it("ignores full-width / half-width differences", () => {
    expect(termOccurs("ＧＰＵ memory", "gpu")).toBe(true);
    expect(termOccurs("GPU memory", "ＧＰＵ")).toBe(true);
    expect(termOccurs("ｺｰﾋｰ", "コーヒー")).toBe(true);
  });

  it("finds a later whole-word occurrence after a partial one", () => {
    expect(termOccurs("category and cat", "cat")).toBe(true);
  });

  it("does not treat an empty or blank term as present", () => {
    expect(termOccurs("anything", "")).toBe(false);
    expect(termOccurs("anything", "   ")).toBe(false);
  });
});

describe("translationOccurs", () => {
  it("needs a word start but accepts inflected endings", () => {
    expect(translationOccurs("Die Katzen schlafen", "Katze")).toBe(true);
    expect(translationOccurs("Wildkatze", "Katze")).toBe(false);
    expect(translationOccurs("he said so", "AI")).toBe(false);
    expect(translationOccurs("我们讨论配音。", "配音")).toBe(true);
  });
});

describe("entriesFor", () => {
  const glossary = [e("dubbing", "配音"), e("voice actor", "声优"), e("cat", "猫"), e("字幕", "subtitles")];

  it("keeps the entries whose term is in any of the lines, in glossary order", () => {
    expect(entriesFor(glossary, ["A voice actor", "and the cat."])).toEqual([glossary[1], glossary[2]]);
    expect(entriesFor(glossary, ["没有字幕", "Dubbing!"])).toEqual([glossary[0], glossary[3]]);
    expect(entriesFor(glossary, ["category"])).toEqual([]);
    expect(entriesFor([], ["dubbing"])).toEqual([]);
    expect(entriesFor(glossary, [])).toEqual([]);
  });

  it("finds every term in a line made of it (property)", () => {
    const word = fc.stringMatching(/^[a-zA-Z]{1,8}( [a-zA-Z]{1,8})?$/);
    fc.assert(
      fc.property(word, word, word, (term, before, after) => {
        expect(entriesFor([e(term, "x")], [`${before} ${term.toUpperCase()}, ${after}`])).toHaveLength(1);
        expect(entriesFor([e(term, "x")], [`${before}${term}`])).toHaveLength(
          termOccurs(`${before}${term}`, term) ? 1 : 0,
        );
      }),
    );
  });
});

describe("lostTerms", () => {
  const glossary = [e("dubbing", "Synchronisation"), e("GPU", "Grafikkarte"), e("配音", "dubbing")];

  it("lists the entries in the source whose translation the output lacks", () => {
    expect(lostTerms(glossary, "Dubbing needs a GPU.", "Synchronisation braucht eine Grafikkarte.")).toEqual(
      [],
    );
    expect(lostTerms(glossary, "Dubbing needs a GPU.", "Vertonung braucht eine GRAFIKKARTE.")).toEqual([
      glossary[0],
    ]);
    expect(lostTerms(glossary, "Dubbing needs a GPU.", "Das braucht Zeit.")).toEqual([
      glossary[0],
      glossary[1],
    ]);
    expect(lostTerms(glossary, "我们讲配音", "We talk about DUBBING")).toEqual([]);
    expect(lostTerms(glossary, "我们讲配音", "We talk about voice-over")).toEqual([glossary[2]]);
  });

  it("ignores terms that are not in the source", () => {
    expect(lostTerms(glossary, "Nothing here.", "Nichts hier.")).toEqual([]);
    expect(lostTerms(glossary, "", "")).toEqual([]);
  });

  it("normalises whitespace and width in the translation", () => {
    expect(lostTerms([e("GPU", "显 卡")], "a GPU", "一块显  卡")).toEqual([]);
    expect(lostTerms([e("GPU", "ＧＰＵ")], "a GPU", "eine GPU")).toEqual([]);
  });

  const side = fc
    .string({ minLength: 1, maxLength: 10 })
    .map((s) => s.trim())
    .filter((s) => s !== "");

  it("never reports a term whose translation was copied into the output verbatim (property)", () => {
    fc.assert(
      // Sides as parseGlossary returns them: trimmed, never blank.
      fc.property(side, side, (t, tr) => {
        const entry = e(t, tr);
        expect(lostTerms([entry], t, tr)).toEqual([]);
        expect(lostTerms([entry], t, ` ${tr} `)).toEqual([]);
      }),
    );
  });
});

describe("matchKey", () => {
  it("folds case, width and whitespace runs", () => {
    expect(matchKey("Ｈｅｌｌｏ\t \nWORLD")).toBe("hello world");
  });
});
