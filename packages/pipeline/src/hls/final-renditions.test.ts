import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { makeAudio, makeVideo, probeEntries } from "@vitranslator/testkit";
import { useTmpDir } from "@vitranslator/testkit/hooks";
import { beforeAll, describe, expect, it } from "vitest";
import { isPipelineError } from "../errors";
import { extractSegment } from "../media/extract";
import { listKeyframesMs } from "../media/keyframes";
import { ffprobeJson } from "../media/process";
import { writePartChunks } from "../media/renditions";
import { chunkDurations, planChunkCuts } from "./chunks";
import { buildConcatRenditionsArgs, concatListLine, concatRenditionsToMp4, probeDurationMs } from "./final";
import { mp4LanguageCode } from "./languages";

describe("mp4LanguageCode", () => {
  it("writes ISO 639-2 (bibliographic, as ffmpeg does) for a BCP 47 tag, else und", () => {
    expect(
      ["fr", "FR", "pt-BR", "zh-Hans", "de", "en", "ger", "xx", "", "fra-x"].map(mp4LanguageCode),
    ).toEqual(["fre", "fre", "por", "chi", "ger", "eng", "ger", "und", "und", "und"]);
  });
});

describe("concatListLine", () => {
  it("quotes paths with single quotes", () => {
    expect(concatListLine("/t/it's.ts")).toBe("file '/t/it'\\''s.ts'");
  });
});

describe("buildConcatRenditionsArgs", () => {
  it("maps the video and each audio list, tagging languages and titles, the first track default", () => {
    const args = buildConcatRenditionsArgs({
      videoList: "/t/v.ffconcat",
      audio: [
        { list: "/t/a0.ffconcat", language: "fr", title: "Français" },
        { list: "/t/a1.ffconcat", language: "en", title: "Original\nsound" },
      ],
      out: "/o/all.mp4",
    });
    expect(args.join(" ")).toBe(
      [
        "-f concat -safe 0 -i /t/v.ffconcat -f concat -safe 0 -i /t/a0.ffconcat -f concat -safe 0 -i /t/a1.ffconcat",
        "-map 0:v:0 -map 1:a:0 -map 2:a:0 -c copy -bsf:a aac_adtstoasc -map_metadata -1",
        "-metadata:s:a:0 language=fre -metadata:s:a:0 handler_name=Français -metadata:s:a:0 title=Français",
        "-disposition:a:0 default",
        "-metadata:s:a:1 language=eng -metadata:s:a:1 handler_name=Original sound",
        "-metadata:s:a:1 title=Original sound -disposition:a:1 0",
        "-movflags +faststart /o/all.mp4",
      ].join(" "),
    );
  });

  it("maps audio from the first input when there is no video", () => {
    const args = buildConcatRenditionsArgs({
      audio: [{ list: "/t/a0.ffconcat", language: "de", title: "Deutsch" }],
      out: "/o/de.mp4",
    });
    expect(args.join(" ")).toContain("-i /t/a0.ffconcat -map 0:a:0 -c copy");
    expect(args).not.toContain("0:v:0");
  });
});

interface Streams {
  streams: {
    codec_type: string;
    duration?: string;
    tags?: { language?: string; handler_name?: string };
    disposition?: { default?: number };
  }[];
}

describe("concatRenditionsToMp4 (real ffmpeg)", () => {
  const tmp = useTmpDir("vitr-final-renditions-");
  const parts = [
    { index: 0, startMs: 0, durationMs: 7000 },
    { index: 1, startMs: 7000, durationMs: 1500 },
  ];
  const video: string[] = [];
  const original: string[] = [];
  const fr: string[] = [];
  const de: string[] = [];
  const durationsMs: number[] = [];

  beforeAll(async () => {
    const input = await makeVideo({ out: join(tmp.dir, "in.mp4"), durationS: 8.5 });
    const vocals = await makeAudio({ out: join(tmp.dir, "vocals.wav"), durationS: 1 });
    for (const p of parts) {
      const audio = join(tmp.dir, `seg${p.index}.wav`);
      const segVideo = join(tmp.dir, `seg${p.index}.mp4`);
      await extractSegment({ input, ...p, audioOut: audio, videoOut: segVideo });
      const cuts = planChunkCuts(p.durationMs, await listKeyframesMs(segVideo));
      durationsMs.push(...chunkDurations(p.durationMs, cuts));
      const outDir = join(tmp.dir, `part${p.index}`);
      await mkdir(outDir);
      // The part's renditions in one run, as the mix writes them.
      const [v = [], o = [], f = [], d = []] = await writePartChunks({
        chunkCutsMs: cuts,
        durationMs: p.durationMs,
        tsOffsetMs: p.startMs,
        outputs: [
          { kind: "video", video: segVideo, outDir, prefix: "v" },
          { kind: "audio", audio, outDir, prefix: "orig" },
          { kind: "mix", background: audio, dubbedVocals: vocals, outDir, prefix: "fr" },
          { kind: "mix", background: audio, dubbedVocals: vocals, duckDb: -20, outDir, prefix: "de" },
        ],
      });
      video.push(...v);
      original.push(...o);
      fr.push(...f);
      de.push(...d);
    }
  }, 120_000);

  it("joins the video and one dub into the per-language MP4", async () => {
    expect(durationsMs).toEqual([4000, 3000, 1500]);
    const out = join(tmp.dir, "fr.mp4");
    await concatRenditionsToMp4({
      videoTs: video,
      audioTracks: [{ tsPaths: fr, language: "fr", title: "Français" }],
      durationsMs,
      out,
    });
    const { streams } = (await ffprobeJson(out)) as Streams;
    expect(streams.map((s) => s.codec_type)).toEqual(["video", "audio"]);
    expect(streams[1]?.tags).toMatchObject({ language: "fre", handler_name: "Français" });
    expect(streams[1]?.disposition?.default).toBe(1);
    expect(Math.abs((await probeDurationMs(out)) - 8500)).toBeLessThanOrEqual(50);
  });

  it("joins the video, every dub and the original sound into the all-languages MP4, every track as long as the video", async () => {
    const out = join(tmp.dir, "all.mp4");
    await concatRenditionsToMp4({
      videoTs: video,
      audioTracks: [
        { tsPaths: fr, language: "fr", title: "Français" },
        { tsPaths: de, language: "de", title: "Deutsch" },
        { tsPaths: original, language: "xx", title: "Original" },
      ],
      durationsMs,
      out,
    });
    const { streams } = (await ffprobeJson(out)) as Streams;
    expect(streams.map((s) => s.codec_type)).toEqual(["video", "audio", "audio", "audio"]);
    expect(
      streams.slice(1).map((s) => [s.tags?.language, s.tags?.handler_name, s.disposition?.default]),
    ).toEqual([
      ["fre", "Français", 1],
      ["ger", "Deutsch", 0],
      ["und", "Original", 0],
    ]);
    // The file and each track last the sum of the chunk lengths: the parts' priming does not add up.
    expect(Math.abs((await probeDurationMs(out)) - 8500)).toBeLessThanOrEqual(50);
    for (const s of streams) expect(Math.abs(Number(s.duration) * 1000 - 8500)).toBeLessThanOrEqual(50);
    // Every track starts with the video (its first packet at 0, within an AAC frame).
    for (const stream of ["v:0", "a:0", "a:1", "a:2"]) {
      const [first] = await probeEntries(out, "packet=pts_time", { stream, readIntervals: "%+#1" });
      expect(Math.abs(Number(first?.replace(/,$/, "")))).toBeLessThanOrEqual(0.024);
    }
  });

  it("refuses tracks whose chunks do not match the timeline", async () => {
    let error: unknown;
    try {
      await concatRenditionsToMp4({
        videoTs: video,
        audioTracks: [{ tsPaths: fr.slice(1), language: "fr", title: "Français" }],
        durationsMs,
        out: join(tmp.dir, "bad.mp4"),
      });
    } catch (e) {
      error = e;
    }
    expect(isPipelineError(error) && error.code).toBe("RENDITION_MISMATCH");
  });
});

describe("concatRenditionsToMp4 of an audio-only task (real ffmpeg)", () => {
  const tmp = useTmpDir("vitr-final-audio-");

  it("joins the audio tracks of two parts into an audio-only MP4 as long as the timeline", async () => {
    const parts = [
      { index: 0, startMs: 0, durationMs: 1200 },
      { index: 1, startMs: 1200, durationMs: 800 },
    ];
    const vocals = await makeAudio({ out: join(tmp.dir, "vocals.wav"), durationS: 0.5 });
    const original: string[] = [];
    const fr: string[] = [];
    for (const p of parts) {
      const audio = await makeAudio({ out: join(tmp.dir, `orig${p.index}.wav`), durationS: 1 });
      const outDir = join(tmp.dir, `part${p.index}`);
      await mkdir(outDir);
      const [o = [], f = []] = await writePartChunks({
        durationMs: p.durationMs,
        tsOffsetMs: p.startMs,
        outputs: [
          { kind: "audio", audio, outDir, prefix: "orig" },
          { kind: "mix", background: audio, dubbedVocals: vocals, outDir, prefix: "fr" },
        ],
      });
      original.push(...o);
      fr.push(...f);
    }
    const out = join(tmp.dir, "all.mp4");
    await concatRenditionsToMp4({
      videoTs: [],
      audioTracks: [
        { tsPaths: fr, language: "fr", title: "Français" },
        { tsPaths: original, language: "en", title: "Original" },
      ],
      durationsMs: [1200, 800],
      out,
    });
    const { streams } = (await ffprobeJson(out)) as Streams;
    expect(streams.map((s) => [s.codec_type, s.tags?.language, s.disposition?.default])).toEqual([
      ["audio", "fre", 1],
      ["audio", "eng", 0],
    ]);
    expect(Math.abs((await probeDurationMs(out)) - 2000)).toBeLessThanOrEqual(50);
    for (const s of streams) expect(Math.abs(Number(s.duration) * 1000 - 2000)).toBeLessThanOrEqual(50);
  });
});
