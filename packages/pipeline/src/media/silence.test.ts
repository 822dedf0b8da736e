import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeAudio, makeVideo } from "@vitranslator/testkit";
import { useTmpDir } from "@vitranslator/testkit/hooks";
import { detectSilences, parseSilencedetect } from "./silence";

/** Captured from ffmpeg 5.1 (progress lines share a line with filter output because of "\r"). */
const CAPTURED = [
  "Stream mapping:",
  "  Stream #0:0 -> #0:0 (pcm_s16le (native) -> pcm_s16le (native))",
  "Press [q] to stop, [?] for help",
  "size=N/A time=00:00:00.04 bitrate=N/A speed=2.32e+04x    \r[silencedetect @ 0x5610d3b616c0] silence_start: 0.999955",
  "[silencedetect @ 0x5610d3b616c0] silence_end: 2.50007 | silence_duration: 1.50011",
  "[silencedetect @ 0x5610d3b616c0] silence_start: 3.5",
  "size=N/A time=00:00:03.50 bitrate=N/A speed= 939x    ",
].join("\n");

describe("parseSilencedetect", () => {
  it("pairs start and end lines and closes a silence left open at the end", () => {
    expect(parseSilencedetect(CAPTURED, 4000)).toEqual([
      { startMs: 1000, endMs: 2500 },
      { startMs: 3500, endMs: 4000 },
    ]);
  });

  it("clamps negative starts and ignores stray end lines", () => {
    const text =
      "[silencedetect @ 0x1] silence_end: 0.5 | silence_duration: 0.5\n[silencedetect @ 0x1] silence_start: -0.0104\n[silencedetect @ 0x1] silence_end: 1.2 | silence_duration: 1.2104";
    expect(parseSilencedetect(text, 5000)).toEqual([{ startMs: 0, endMs: 1200 }]);
  });

  it("returns nothing for output without silences", () => {
    expect(parseSilencedetect("size=N/A time=00:00:03.50 bitrate=N/A", 3500)).toEqual([]);
  });
});

describe("detectSilences (real ffmpeg)", () => {
  const tmp = useTmpDir();

  it("finds the gaps in a pulsed tone", async () => {
    // 1 s tone, 1.5 s silence, repeated: silences at [1, 2.5], [3.5, 5], [6, 7.5].
    const path = await makeAudio({
      out: join(tmp.dir, "pulse.wav"),
      durationS: 7.5,
      pulse: { onS: 1, periodS: 2.5 },
    });
    const silences = await detectSilences(path);
    expect(silences).toHaveLength(3);
    const expected = [
      [1000, 2500],
      [3500, 5000],
      [6000, 7500],
    ];
    for (const [i, s] of silences.entries()) {
      expect(Math.abs(s.startMs - expected[i]![0]!)).toBeLessThan(50);
      expect(Math.abs(s.endMs - expected[i]![1]!)).toBeLessThan(50);
    }
  });

  it("honours minSilenceMs", async () => {
    const path = await makeAudio({
      out: join(tmp.dir, "short.wav"),
      durationS: 4,
      pulse: { onS: 0.8, periodS: 1 },
    });
    expect(await detectSilences(path, { minSilenceMs: 300 })).toEqual([]);
    expect((await detectSilences(path, { minSilenceMs: 150 })).length).toBeGreaterThanOrEqual(3);
  });

  it("treats a video without audio as one silence", async () => {
    const path = await makeVideo({ out: join(tmp.dir, "mute.mp4"), durationS: 1, audio: false });
    const silences = await detectSilences(path);
    expect(silences).toHaveLength(1);
    expect(silences[0]?.startMs).toBe(0);
  });
});
