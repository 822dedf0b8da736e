import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { makeAudio } from "@vitranslator/testkit";
import { useTmpDir } from "@vitranslator/testkit/hooks";
import { probeMedia } from "../media/probe";
import { detectSilences } from "../media/silence";
import { atempoChain, stretchFilter } from "./stretch";
import { buildTimelineArgs, renderTimeline } from "./timeline";
import { readWavFormat, wavDurationMs } from "./wav";

describe("atempoChain", () => {
  it("uses one filter in range and chains below 0.5", () => {
    expect(atempoChain(1.2)).toBe("atempo=1.200000");
    expect(atempoChain(0.3)).toBe("atempo=0.5,atempo=0.600000");
    expect(atempoChain(200)).toBe("atempo=100,atempo=2.000000");
  });
});

describe("buildTimelineArgs", () => {
  it("delays each clip by whole samples and mixes without normalising", () => {
    const args = buildTimelineArgs({
      clips: [
        { path: "/a.wav", atMs: 1000 },
        { path: "/b.wav", atMs: 5000 },
      ],
      durationMs: 3000,
      out: "/o.wav",
    });
    const graph = args[args.indexOf("-filter_complex") + 1];
    expect(graph).toContain("adelay=delays=44100S:all=1");
    expect(graph).toContain("amix=inputs=2:duration=first:dropout_transition=0:normalize=0");
    // The clip starting after the end is dropped.
    expect(args).not.toContain("/b.wav");
  });
});

describe("audio (real ffmpeg)", () => {
  const tmp = useTmpDir();
  let tone: string;
  beforeAll(async () => {
    tone = await makeAudio({ out: join(tmp.dir, "tone.wav"), durationS: 2 });
  });

  it("reads WAV headers, including the LIST chunk ffmpeg writes", async () => {
    const fmt = await readWavFormat(tone);
    expect(fmt).toMatchObject({ sampleRate: 44_100, channels: 1, bitsPerSample: 16, dataBytes: 176_400 });
    expect(fmt.durationMs).toBe(2000);
    const junk = join(tmp.dir, "junk.wav");
    await writeFile(junk, "nope");
    await expect(wavDurationMs(junk)).rejects.toMatchObject({ code: "INVALID_WAV" });
  });

  it("stretches each clip with rubberband while placing it, pitch kept", async () => {
    const out = join(tmp.dir, "fast.wav");
    // 2 s of tone at 1.25x lasts 1.6 s: silence from 1.6 s to the end (3 s).
    expect(
      await renderTimeline({ clips: [{ path: tone, atMs: 0, speed: 1.25 }], durationMs: 3000, out }),
    ).toEqual({ stretch: "rubberband" });
    const [after] = await detectSilences(out, { minSilenceMs: 200 });
    expect(Math.abs(after!.startMs - 1600)).toBeLessThan(40);
    const slow = join(tmp.dir, "slow.wav");
    await renderTimeline({ clips: [{ path: tone, atMs: 500, speed: 0.93 }], durationMs: 4000, out: slow });
    const silences = await detectSilences(slow, { minSilenceMs: 200 });
    expect(Math.abs(silences.at(-1)!.startMs - (500 + 2000 / 0.93))).toBeLessThan(40);
  });

  it("places a clip of another rate and layout as 44.1 kHz mono, unstretched at speed 1", async () => {
    const stereo = await makeAudio({
      out: join(tmp.dir, "st.wav"),
      durationS: 1,
      sampleRate: 22_050,
      channels: 2,
    });
    const out = join(tmp.dir, "copy.wav");
    await renderTimeline({ clips: [{ path: stereo, atMs: 0, speed: 1 }], durationMs: 1500, out });
    expect(await readWavFormat(out)).toMatchObject({ sampleRate: 44_100, channels: 1, durationMs: 1500 });
    const [after] = await detectSilences(out, { minSilenceMs: 200 });
    expect(Math.abs(after!.startMs - 1000)).toBeLessThan(40);
    expect(stretchFilter(1.0004, "rubberband")).toBeNull();
    expect(() => stretchFilter(0, "atempo")).toThrow(RangeError);
  });

  it("falls back to atempo when rubberband fails", async () => {
    // A speed rubberband rejects (its tempo range ends at 100) but a chain of atempo accepts.
    const out = join(tmp.dir, "fallback.wav");
    expect(
      await renderTimeline({ clips: [{ path: tone, atMs: 0, speed: 200 }], durationMs: 500, out }),
    ).toEqual({ stretch: "atempo" });
    expect(await wavDurationMs(out)).toBe(500);
  });

  it("renders clips at their places on a silent track of exact length", async () => {
    const clip = join(tmp.dir, "clip.wav");
    await makeAudio({ out: clip, durationS: 0.5 });
    const out = join(tmp.dir, "timeline.wav");
    await renderTimeline({
      clips: [
        { path: clip, atMs: 1000 },
        { path: clip, atMs: 2500 },
        { path: clip, atMs: 3800 },
      ],
      durationMs: 4000,
      out,
    });
    const fmt = await readWavFormat(out);
    expect(fmt).toMatchObject({ sampleRate: 44_100, channels: 1, durationMs: 4000 });
    expect((await probeMedia(out)).durationMs).toBe(4000);
    const silences = await detectSilences(out, { minSilenceMs: 200 });
    const near = (a: number, b: number) => Math.abs(a - b) < 30;
    expect(silences).toHaveLength(3);
    expect(near(silences[0]!.startMs, 0) && near(silences[0]!.endMs, 1000)).toBe(true);
    expect(near(silences[1]!.startMs, 1500) && near(silences[1]!.endMs, 2500)).toBe(true);
    expect(near(silences[2]!.startMs, 3000) && near(silences[2]!.endMs, 3800)).toBe(true);
  });

  it("renders pure silence for no clips", async () => {
    const out = join(tmp.dir, "empty.wav");
    await renderTimeline({ clips: [], durationMs: 1234, out });
    expect(await readWavFormat(out)).toMatchObject({ sampleRate: 44_100, channels: 1 });
    expect(Math.round(await wavDurationMs(out))).toBe(1234);
  });
});
