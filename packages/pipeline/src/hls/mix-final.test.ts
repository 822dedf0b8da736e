import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeAudio, makeTmpDir, makeVideo } from "@vitranslator/testkit";
import { renderTimeline } from "../audio/timeline";
import { extractSegment } from "../media/extract";
import { buildMixArgs, escapeFilterValue, mixSegment } from "../media/mix";
import { probeMedia } from "../media/probe";
import { ffprobeJson, runProcess } from "../media/process";
import { EspeakEngine } from "../tts/espeak";
import { listKeyframesMs } from "../media/keyframes";
import { chunkDurations, planChunkCuts } from "./chunks";
import { concatListLine, concatToMp4, probeDurationMs } from "./final";

describe("escapeFilterValue", () => {
  it("escapes both filtergraph levels", () => {
    expect(escapeFilterValue("/a b/c'd:e.srt")).toBe("/a b/c\\\\\\'d\\\\:e.srt");
    expect(escapeFilterValue("x[1],y;z")).toBe("x\\[1\\]\\,y\\;z");
  });
});

describe("concatListLine", () => {
  it("quotes paths with single quotes", () => {
    expect(concatListLine("/t/it's.ts")).toBe("file '/t/it'\\''s.ts'");
  });
});

describe("buildMixArgs", () => {
  it("copies video, ducks the original and offsets timestamps", () => {
    const args = buildMixArgs({
      video: "/v.mp4",
      originalAudio: "/o.wav",
      dubbedVocals: "/d.wav",
      durationMs: 2500,
      outDir: "/o",
      tsOffsetMs: 8000,
    });
    expect(args.join(" ")).toContain("-map 0:v:0 -c:v copy");
    expect(args.join(" ")).toContain("volume=-14dB");
    expect(args.join(" ")).toContain("-t 2.500");
    expect(args.join(" ")).toContain("-output_ts_offset 8.000 -muxdelay 0");
    expect(args.at(-3)).toBe("-f");
    expect(args.at(-1)).toBe("/o/chunk_0.ts");
  });

  it("cuts chunks with the segment muxer at times that include the part's offset", () => {
    const args = buildMixArgs({
      originalAudio: "/o.wav",
      dubbedVocals: "/d.wav",
      durationMs: 12_000,
      outDir: "/o",
      chunkCutsMs: [4000, 8000],
      tsOffsetMs: 10_000,
    });
    expect(args.join(" ")).toContain("-f segment -segment_times 13.995,17.995 -segment_format mpegts");
    expect(args.at(-1)).toBe("/o/chunk_%d.ts");
  });
});

describe("mix → HLS chunks → final MP4 (real ffmpeg + espeak)", () => {
  let tmp: Awaited<ReturnType<typeof makeTmpDir>>;
  let input: string;
  beforeAll(async () => {
    tmp = await makeTmpDir("vitr mix's dir:");
    input = await makeVideo({ out: join(tmp.dir, "in.mp4"), durationS: 4 });
  });
  afterAll(() => tmp.cleanup());

  async function chunk(
    index: number,
    startMs: number,
    durationMs: number,
    extra: { burn?: string } = {},
  ): Promise<string> {
    const audio = join(tmp.dir, `seg${index}.wav`);
    const video = join(tmp.dir, `seg${index}.mp4`);
    await extractSegment({ input, startMs, durationMs, audioOut: audio, videoOut: video });
    const speech = await new EspeakEngine().synthesize({
      text: "Hi",
      language: "en",
      outPath: join(tmp.dir, `tts${index}.wav`),
    });
    const vocals = join(tmp.dir, `vocals${index}.wav`);
    await renderTimeline({ clips: [{ path: speech.path, atMs: 200 }], durationMs, out: vocals });
    const outDir = join(tmp.dir, `chunks${index}`);
    await mkdir(outDir);
    const [outTs, ...more] = await mixSegment({
      video,
      originalAudio: audio,
      dubbedVocals: vocals,
      durationMs,
      outDir,
      tsOffsetMs: startMs,
      ...(extra.burn ? { burnSubtitlesPath: extra.burn } : {}),
    });
    expect(more).toEqual([]);
    return outTs!;
  }

  it("produces continuous TS chunks of exact length that join into the final MP4", async () => {
    const a = await chunk(0, 0, 1500);
    // Burned subtitles from a path with a quote, a colon and spaces.
    const srt = join(tmp.dir, "it's a: test.srt");
    await writeFile(srt, "1\n00:00:00,000 --> 00:00:02,000\nHello\n");
    const b = await chunk(1, 1500, 2500, { burn: srt });

    for (const [path, startSec, durMs] of [
      [a, 0, 1500],
      [b, 1.5, 2500],
    ] as const) {
      const info = await probeMedia(path);
      expect(info.formatName).toBe("mpegts");
      expect(info.video?.codec).toBe("h264");
      expect(info.audio).toEqual({ codec: "aac", sampleRate: 44_100, channels: 2 });
      expect(Math.abs(info.durationMs - durMs)).toBeLessThanOrEqual(60);
      const json = (await ffprobeJson(path)) as { format: { start_time: string } };
      expect(Math.abs(Number(json.format.start_time) - startSec)).toBeLessThan(0.1);
    }

    const out = join(tmp.dir, "final.mp4");
    await concatToMp4({ tsPaths: [a, b], durationsMs: [1500, 2500], out });
    const final = await probeMedia(out);
    expect(final.video?.codec).toBe("h264");
    expect(final.audio?.codec).toBe("aac");
    // Placed by their timeline lengths: the AAC priming of each part does not add up.
    expect(Math.abs((await probeDurationMs(out)) - 4000)).toBeLessThanOrEqual(50);
  });

  it("produces an audio-only chunk for an audio-only input", async () => {
    const orig = await makeAudio({ out: join(tmp.dir, "orig.wav"), durationS: 1 });
    const vocals = join(tmp.dir, "silent.wav");
    await renderTimeline({ clips: [], durationMs: 1200, out: vocals });
    const outDir = join(tmp.dir, "audio");
    await mkdir(outDir);
    const [outTs] = await mixSegment({
      originalAudio: orig,
      dubbedVocals: vocals,
      durationMs: 1200,
      outDir,
      tsOffsetMs: 3000,
    });
    const info = await probeMedia(outTs!);
    expect(info.video).toBeUndefined();
    expect(Math.abs(info.durationMs - 1200)).toBeLessThanOrEqual(60);
  });

  it("splits a part into chunks on its keyframes, continuous and each starting with one", async () => {
    const long = await makeVideo({ out: join(tmp.dir, "long.mp4"), durationS: 9 });
    const audio = join(tmp.dir, "long.wav");
    const video = join(tmp.dir, "long-v.mp4");
    await extractSegment({ input: long, startMs: 0, durationMs: 9000, audioOut: audio, videoOut: video });
    const keyframes = await listKeyframesMs(video);
    const cuts = planChunkCuts(9000, keyframes);
    expect(cuts).toEqual([4000]);
    const outDir = join(tmp.dir, "long-chunks");
    await mkdir(outDir);
    const files = await mixSegment({
      video,
      originalAudio: audio,
      dubbedVocals: audio,
      durationMs: 9000,
      outDir,
      chunkCutsMs: cuts,
      tsOffsetMs: 20_000,
    });
    expect(files.map((f) => f.slice(outDir.length + 1))).toEqual(["chunk_0.ts", "chunk_1.ts"]);
    const durations = chunkDurations(9000, cuts);
    let startSec = 20;
    for (const [i, f] of files.entries()) {
      const json = (await ffprobeJson(f)) as { streams: { codec_type: string; start_time: string }[] };
      const v = json.streams.find((st) => st.codec_type === "video");
      expect(Math.abs(Number(v?.start_time) - startSec)).toBeLessThan(0.05);
      const first = await runProcess({
        command: "ffprobe",
        args: [
          "-v",
          "error",
          "-select_streams",
          "v:0",
          "-show_entries",
          "packet=flags",
          "-read_intervals",
          "%+#1",
          "-of",
          "csv=p=0",
          f,
        ],
      });
      expect(first.stdout.trim()).toMatch(/^K/);
      startSec += (durations[i] as number) / 1000;
    }
  });
});
