import { describe, expect, it } from "vitest";
import { isPipelineError } from "../errors";
import { parseSubtitles } from "../subtitles/parse";
import { toWebVttSegment, VTT_MPEGTS_AT_ZERO } from "./webvtt";

describe("toWebVttSegment", () => {
  it("maps LOCAL 0 to the renditions' PTS of timeline time 0 (10 s at 90 kHz)", () => {
    expect(VTT_MPEGTS_AT_ZERO).toBe(900_000);
    const text = toWebVttSegment([{ startMs: 9500, endMs: 11_250, text: "Bonjour" }]);
    expect(text).toBe(
      "WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:900000,LOCAL:00:00:00.000\n\n00:00:09.500 --> 00:00:11.250\nBonjour\n",
    );
  });

  it("moves part-relative cues onto the task's timeline", () => {
    const text = toWebVttSegment(
      [
        { startMs: 0, endMs: 1200, text: "Un <b>" },
        { startMs: 2000, endMs: 3000, text: "deux\n\nlignes --> fin" },
      ],
      { offsetMs: 3_600_000 },
    );
    expect(text.split("\n").slice(0, 3)).toEqual([
      "WEBVTT",
      "X-TIMESTAMP-MAP=MPEGTS:900000,LOCAL:00:00:00.000",
      "",
    ]);
    expect(text).toContain("01:00:00.000 --> 01:00:01.200\nUn &lt;b&gt;\n");
    // Still a WebVTT file with its cues, escaped and on one line, at their absolute times.
    expect(parseSubtitles(text)).toEqual([
      { startMs: 3_600_000, endMs: 3_601_200, text: "Un <b>" },
      { startMs: 3_602_000, endMs: 3_603_000, text: "deux lignes -> fin" },
    ]);
  });

  it("writes a segment without cues (a part with nothing said)", () => {
    expect(toWebVttSegment([], { offsetMs: 4000 })).toBe(
      "WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:900000,LOCAL:00:00:00.000\n\n",
    );
  });

  it("refuses an offset that is not a number", () => {
    let error: unknown;
    try {
      toWebVttSegment([], { offsetMs: Number.NaN });
    } catch (e) {
      error = e;
    }
    expect(isPipelineError(error)).toBe(true);
  });
});
