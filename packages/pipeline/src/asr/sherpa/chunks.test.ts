import { describe, expect, it } from "vitest";
import { dominantLanguage, groupSpeech, joinTokens, normaliseAsrLanguage, splitSentences } from "./chunks";

describe("groupSpeech", () => {
  it("merges spans separated by short pauses, up to the chunk cap", () => {
    const spans = [
      { startMs: 2000, endMs: 3000 },
      { startMs: 0, endMs: 1000 },
      { startMs: 1300, endMs: 1900 },
      { startMs: 5000, endMs: 6000 },
    ];
    expect(groupSpeech(spans, { maxGapMs: 500 })).toEqual([
      { startMs: 0, endMs: 3000 },
      { startMs: 5000, endMs: 6000 },
    ]);
    expect(groupSpeech(spans, { maxGapMs: 500, maxChunkMs: 2000 })).toEqual([
      { startMs: 0, endMs: 1900 },
      { startMs: 2000, endMs: 3000 },
      { startMs: 5000, endMs: 6000 },
    ]);
  });
});

describe("splitSentences", () => {
  it("splits at sentence punctuation using token times", () => {
    const tokens = ["▁Hello", "▁there", ".", "▁How", "▁are", "▁you", "?"];
    const timestamps = [0, 0.4, 0.7, 1.5, 1.8, 2.0, 2.3];
    expect(
      splitSentences({
        startMs: 10_000,
        endMs: 12_600,
        text: "Hello there. How are you?",
        tokens,
        timestamps,
        language: "en",
      }),
    ).toEqual([
      { startMs: 10_000, endMs: 11_500, text: "Hello there.", language: "en" },
      { startMs: 11_500, endMs: 12_600, text: "How are you?", language: "en" },
    ]);
  });

  it("joins CJK tokens without spaces and keeps a chunk without timestamps whole", () => {
    expect(joinTokens(["你", "好", "。"])).toBe("你好。");
    expect(splitSentences({ startMs: 0, endMs: 900, text: " 你好。再见。 " })).toEqual([
      { startMs: 0, endMs: 900, text: "你好。再见。" },
    ]);
    expect(splitSentences({ startMs: 0, endMs: 900, text: "  " })).toEqual([]);
  });

  it("attaches a tiny trailing sentence to the one before", () => {
    const out = splitSentences({
      startMs: 0,
      endMs: 3000,
      text: "We are done here. Ok.",
      tokens: ["▁We", "▁are", "▁done", "▁here", ".", "▁O", "."],
      timestamps: [0, 0.3, 0.6, 0.9, 1.1, 2.0, 2.2],
    });
    expect(out).toEqual([{ startMs: 0, endMs: 3000, text: "We are done here. O." }]);
  });
});

describe("languages", () => {
  it("normalises SenseVoice tags and picks the longest-spoken language", () => {
    expect(normaliseAsrLanguage("<|en|>")).toBe("en");
    expect(normaliseAsrLanguage("<|yue|>")).toBe("zh");
    expect(normaliseAsrLanguage("<|nospeech|>")).toBeUndefined();
    expect(
      dominantLanguage([
        { startMs: 0, endMs: 1000, text: "a", language: "en" },
        { startMs: 1000, endMs: 4000, text: "b", language: "ja" },
        { startMs: 4000, endMs: 5500, text: "c", language: "en" },
      ]),
    ).toBe("ja");
  });
});
