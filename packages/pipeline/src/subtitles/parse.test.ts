import { describe, expect, it } from "vitest";
import { isPipelineError } from "../errors";
import { parseSubtitles, toSrt, toVtt } from "./parse";

const SRT = `1
00:00:01,000 --> 00:00:02,500
Hello <i>world</i>

2
00:00:03,000 --> 00:00:04,000
Second line one
second line two
`;

describe("parseSubtitles", () => {
  it("parses SRT with multi-line text joined by a space and tags stripped", () => {
    expect(parseSubtitles(SRT)).toEqual([
      { startMs: 1000, endMs: 2500, text: "Hello world" },
      { startMs: 3000, endMs: 4000, text: "Second line one second line two" },
    ]);
  });

  it("tolerates BOM, CRLF, missing index lines, '.' separators and no trailing newline", () => {
    const text = "\uFEFF00:00:01.000 --> 00:00:02.000\r\nA\r\n\r\n00:00:03,5 --> 00:00:04,25\r\nB";
    expect(parseSubtitles(text)).toEqual([
      { startMs: 1000, endMs: 2000, text: "A" },
      { startMs: 3500, endMs: 4250, text: "B" },
    ]);
  });

  it("tolerates missing blank lines between SRT cues", () => {
    const text = "1\n00:00:01,000 --> 00:00:02,000\nA\n2\n00:00:03,000 --> 00:00:04,000\nB\n";
    expect(parseSubtitles(text).map((c) => c.text)).toEqual(["A", "B"]);
  });

  it("parses WebVTT with header, optional hours, identifiers, settings, NOTE and STYLE blocks", () => {
    const text = [
      "WEBVTT - demo",
      "Kind: captions",
      "",
      "NOTE this is a comment",
      "spanning lines 00:00:00.000 --> 00:00:01.000",
      "",
      "STYLE",
      "::cue { color: red }",
      "",
      "intro",
      "00:01.000 --> 00:02.000 align:start position:10%",
      "<v Roger>Hi &amp; welcome</v>",
      "",
      "01:00:00.000 --> 01:00:01.500",
      "<c.yellow>Later</c> &lt;3",
    ].join("\n");
    expect(parseSubtitles(text)).toEqual([
      { startMs: 1000, endMs: 2000, text: "Hi & welcome" },
      { startMs: 3_600_000, endMs: 3_601_500, text: "Later <3" },
    ]);
  });

  it("strips ASS override tags often found in SRT files", () => {
    expect(parseSubtitles("1\n00:00:01,000 --> 00:00:02,000\n{\\an8}Top text\n")[0]?.text).toBe("Top text");
  });

  it("drops empty cues and sorts by start", () => {
    const text =
      "00:00:05,000 --> 00:00:06,000\nB\n\n00:00:01,000 --> 00:00:02,000\n<i></i>\n\n00:00:02,000 --> 00:00:03,000\nA\n";
    expect(parseSubtitles(text).map((c) => c.text)).toEqual(["A", "B"]);
  });

  it("rejects input without cues as INVALID_SUBTITLES (user)", () => {
    for (const bad of ["", "just some text\nnothing else", "WEBVTT\n\n", "1\n00:00:xx --> yy\ntext\n"]) {
      try {
        parseSubtitles(bad);
        expect.unreachable();
      } catch (e) {
        expect(isPipelineError(e) && [e.code, e.category]).toEqual(["INVALID_SUBTITLES", "user"]);
      }
    }
  });
});

describe("toSrt / toVtt", () => {
  const cues = [
    { startMs: 1000, endMs: 2500, text: "Hello" },
    { startMs: 3_723_004, endMs: 3_724_000, text: "a < b & c\nnext" },
  ];

  it("writes SRT that parses back to the same cues", () => {
    const srt = toSrt(cues);
    expect(
      srt.startsWith("1\n00:00:01,000 --> 00:00:02,500\nHello\n\n2\n01:02:03,004 --> 01:02:04,000\n"),
    ).toBe(true);
    expect(parseSubtitles(srt)).toEqual([cues[0], { ...cues[1], text: "a < b & c next" }]);
  });

  it("writes VTT with escaped text that parses back", () => {
    const vtt = toVtt(cues);
    expect(vtt.startsWith("WEBVTT\n\n00:00:01.000 --> 00:00:02.500\nHello\n")).toBe(true);
    expect(vtt).toContain("a &lt; b &amp; c next");
    expect(parseSubtitles(vtt)).toEqual([cues[0], { ...cues[1], text: "a < b & c next" }]);
  });
});
