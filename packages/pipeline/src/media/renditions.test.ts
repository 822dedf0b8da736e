import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { makeAudio, makeVideo, probeEntries, runFfmpeg } from "@vitranslator/testkit";
import { useTmpDir } from "@vitranslator/testkit/hooks";
import { beforeAll, describe, expect, it } from "vitest";
import { isPipelineError } from "../errors";
import { chunkDurations, planChunkCuts } from "../hls/chunks";
import { VTT_MPEGTS_AT_ZERO } from "../hls/webvtt";
import { extractSegment } from "./extract";
import { listKeyframesMs } from "./keyframes";
import { buildMixAudioGraph } from "./mix";
import { probeMedia } from "./probe";
import { buildPartChunksArgs, RENDITION_PTS_BASE_MS, writePartChunks } from "./renditions";
import type { PartTiming, RenditionOutput } from "./renditions";

/** One rendition alone, in its own ffmpeg run: its arguments, or its chunks. */
type One = PartTiming & RenditionOutput;
function alone({ chunkCutsMs, durationMs, tsOffsetMs, ...output }: One) {
  return {
    timing: { durationMs, tsOffsetMs, ...(chunkCutsMs ? { chunkCutsMs } : {}) },
    output: output,
  };
}
const one = async (o: One) => {
  const { timing, output } = alone(o);
  return (await writePartChunks({ ...timing, outputs: [output] }))[0] ?? [];
};
const argsOf = (o: One) => {
  const { timing, output } = alone(o);
  return buildPartChunksArgs(timing, [output]);
};

const base = { outDir: "/o", durationMs: 9000, tsOffsetMs: 8000 };

describe("rendition argument builders", () => {
  it("copies the video alone, on the renditions' clock, cut 5 ms before each keyframe", () => {
    const args = argsOf({ kind: "video", ...base, video: "/v.mp4", chunkCutsMs: [4000] }).join(" ");
    expect(args).toContain("-i /v.mp4 -map 0:v:0 -c:v copy -an -sn -dn -t 9.000 -map_metadata -1");
    expect(args).toContain("-output_ts_offset 18.000 -muxdelay 0 -muxpreload 0");
    expect(args).toContain("-f segment -segment_times 21.995 -segment_format mpegts -reset_timestamps 0");
    expect(args.endsWith("/o/chunk_%d.ts")).toBe(true);
  });

  it("encodes audio alone, padded and cut to the part's length, half an AAC frame before each cut", () => {
    const args = argsOf({ kind: "audio", ...base, audio: "/a.wav", chunkCutsMs: [4000], prefix: "fr" });
    const text = args.join(" ");
    expect(text).toContain("apad[aout]");
    expect(text).toContain("-map [aout] -c:a aac -b:a 128k -ar 44100 -ac 2 -t 9.000");
    expect(text).not.toContain("0:v");
    expect(text).toContain("-segment_times 21.989 ");
    expect(args.at(-1)).toBe("/o/fr_%d.ts");
  });

  it("mixes with the mix's audio graph, without video", () => {
    const mix = argsOf({ kind: "mix", ...base, background: "/bg.wav", dubbedVocals: "/d.wav", duckDb: 0 });
    const graph = mix[mix.indexOf("-filter_complex") + 1];
    expect(graph).toBe(buildMixAudioGraph({ backgroundInput: 0, vocalsInput: 1, duckDb: 0 }).join(";"));
    expect(graph).toContain("volume=0dB");
    expect(mix.join(" ")).not.toContain("0:v");
    expect(mix.slice(0, 4)).toEqual(["-i", "/bg.wav", "-i", "/d.wav"]);
    expect(mix.at(-3)).toBe("-f");
    expect(mix.at(-1)).toBe("/o/chunk_0.ts");
  });

  it("refuses a chunk prefix that is not a plain name", () => {
    for (const prefix of ["../x", "a b", "", "x%d"]) {
      let error: unknown;
      try {
        argsOf({ kind: "video", ...base, video: "/v.mp4", prefix });
      } catch (e) {
        error = e;
      }
      expect(isPipelineError(error) && error.code === "INVALID_CHUNK_PREFIX", prefix).toBe(true);
    }
  });
});

/** One AAC frame, in ms. */
const FRAME_MS = (1024 / 44_100) * 1000;

/** First timestamp and end (last packet's timestamp + duration) of a chunk's only stream, in ms. */
async function span(file: string, stream: "v:0" | "a:0"): Promise<{ startMs: number; endMs: number }> {
  // One line per packet ("pts,duration,"), and a blank one after each packet with side data.
  const rows = (await probeEntries(file, "packet=pts,duration", { stream }))
    .filter((l) => l.trim() !== "")
    .map((l) => l.split(",").slice(0, 2).map(Number));
  const pts = rows.map((r) => r[0] as number);
  const last = rows.reduce((a, r) => ((r[0] as number) > (a[0] as number) ? r : a));
  return {
    startMs: Math.min(...pts) / 90,
    endMs: ((last[0] as number) + (last[1] as number)) / 90,
  };
}

describe("video and audio renditions of two consecutive parts (real ffmpeg)", () => {
  const tmp = useTmpDir("vitr-renditions-");
  const parts = [
    { index: 0, startMs: 0, durationMs: 9000 },
    { index: 1, startMs: 9000, durationMs: 3000 },
  ];
  const out: { video: string[]; original: string[]; dub: string[]; cuts: number[] }[] = [];
  /** Part 0's video with subtitles burned in, from a path with a quote, a colon and spaces. */
  let burned: string[] = [];

  beforeAll(async () => {
    const input = await makeVideo({ out: join(tmp.dir, "in.mp4"), durationS: 12 });
    const vocals = await makeAudio({ out: join(tmp.dir, "vocals.wav"), durationS: 2 });
    for (const p of parts) {
      const audio = join(tmp.dir, `seg${p.index}.wav`);
      const video = join(tmp.dir, `seg${p.index}.mp4`);
      await extractSegment({ input, ...p, audioOut: audio, videoOut: video });
      const cuts = planChunkCuts(p.durationMs, await listKeyframesMs(video));
      const dir = (name: string) => join(tmp.dir, `${name}${p.index}`);
      for (const name of ["video", "original", "dub"]) await mkdir(dir(name));
      const common = { chunkCutsMs: cuts, durationMs: p.durationMs, tsOffsetMs: p.startMs };
      if (p.index === 1) {
        out.push({
          cuts,
          video: await one({ kind: "video", ...common, video, outDir: dir("video") }),
          original: await one({ kind: "audio", ...common, audio, outDir: dir("original"), prefix: "orig" }),
          dub: await one({
            kind: "mix",
            ...common,
            background: audio,
            dubbedVocals: vocals,
            outDir: dir("dub"),
          }),
        });
      } else {
        // The first part's three renditions (cut at 4 s) in one ffmpeg run: the same chunks on the same clock.
        const [v = [], o = [], d = []] = await writePartChunks({
          ...common,
          outputs: [
            { kind: "video", video, outDir: dir("video") },
            { kind: "audio", audio, outDir: dir("original"), prefix: "orig" },
            { kind: "mix", background: audio, dubbedVocals: vocals, outDir: dir("dub") },
          ],
        });
        out.push({ cuts, video: v, original: o, dub: d });
      }
      if (p.index === 0) {
        const srtDir = join(tmp.dir, "it's a: dir");
        await mkdir(srtDir);
        const srt = join(srtDir, "it's a: test.srt");
        await writeFile(srt, "1\n00:00:00,000 --> 00:00:02,000\nHello\n");
        await mkdir(dir("burned"));
        burned = await one({
          kind: "video",
          ...common,
          video,
          burnSubtitlesPath: srt,
          outDir: dir("burned"),
        });
      }
    }
  }, 120_000);

  it("writes video-only and AAC-only chunks, one series per rendition, cut at the same times", async () => {
    expect(out.map((o) => o.cuts)).toEqual([[4000], []]);
    expect(out[0]?.original.map((f) => f.split("/").at(-1))).toEqual(["orig_0.ts", "orig_1.ts"]);
    for (const o of out) {
      expect(o.original).toHaveLength(o.cuts.length + 1);
      expect(o.dub).toHaveLength(o.cuts.length + 1);
      expect(o.video).toHaveLength(o.cuts.length + 1);
      for (const f of [...o.video, ...(o === out[0] ? burned : [])]) {
        const info = await probeMedia(f);
        expect([info.formatName, info.video?.codec, info.audio]).toEqual(["mpegts", "h264", undefined]);
      }
      for (const f of [...o.original, ...o.dub]) {
        const info = await probeMedia(f);
        expect([info.formatName, info.video]).toEqual(["mpegts", undefined]);
        expect(info.audio).toEqual({ codec: "aac", sampleRate: 44_100, channels: 2 });
      }
    }
  });

  it("puts every chunk on one clock: starts, lengths and ends agree within an AAC frame, across parts", async () => {
    let videoEndMs: number | undefined;
    let audioEndMs: number | undefined;
    for (const [k, o] of out.entries()) {
      const part = parts[k]!;
      const edges = [0, ...o.cuts];
      const lengths = chunkDurations(part.durationMs, o.cuts);
      for (const [j, edge] of edges.entries()) {
        const startMs = RENDITION_PTS_BASE_MS + part.startMs + edge;
        const v = await span(o.video[j]!, "v:0");
        // Exactly on the clock, whatever the part (the first part is not shifted).
        expect(v.startMs).toBeCloseTo(startMs, 3);
        expect(v.endMs - v.startMs).toBeCloseTo(lengths[j]!, 3);
        if (j === 0 && videoEndMs !== undefined) expect(v.startMs).toBeCloseTo(videoEndMs, 3);
        // The WebVTT segments' X-TIMESTAMP-MAP names the first frame's PTS as timeline time 0.
        if (k === 0 && j === 0) expect(v.startMs * 90).toBe(VTT_MPEGTS_AT_ZERO);
        videoEndMs = v.endMs;
        if (k === 0) {
          // Burned in (re-encoded): the same chunks, on the same clock.
          const b = await span(burned[j]!, "v:0");
          expect(b.startMs).toBeCloseTo(startMs, 3);
          expect(b.endMs - b.startMs).toBeCloseTo(lengths[j]!, 3);
        }
        for (const series of [o.original, o.dub]) {
          const a = await span(series[j]!, "a:0");
          // A part's first packet is the AAC encoder's priming, one frame before the part.
          const contentStart = j === 0 ? a.startMs + FRAME_MS : a.startMs;
          expect(Math.abs(contentStart - startMs)).toBeLessThanOrEqual(FRAME_MS / 2 + 1);
          expect(Math.abs(a.endMs - contentStart - lengths[j]!)).toBeLessThanOrEqual(FRAME_MS + 1);
          if (j === 0 && audioEndMs !== undefined)
            expect(Math.abs(contentStart - audioEndMs)).toBeLessThanOrEqual(FRAME_MS + 1);
          if (j === edges.length - 1) {
            // The last chunks end together (the player's `ended`): the audio's last frame is padded.
            expect(a.endMs - v.endMs).toBeGreaterThanOrEqual(0);
            expect(a.endMs - v.endMs).toBeLessThanOrEqual(FRAME_MS + 1);
          }
        }
        audioEndMs = (await span(o.dub[j]!, "a:0")).endMs;
      }
    }
  });

  it("starts every video chunk, copied or burned in, with a keyframe", async () => {
    expect(burned).toHaveLength(2);
    for (const f of [...out.flatMap((o) => o.video), ...burned]) {
      const [first] = await probeEntries(f, "packet=flags", { readIntervals: "%+#1" });
      expect(first, f).toMatch(/^K/);
    }
  });
});

describe("audio renditions of an audio-only input (real ffmpeg)", () => {
  const tmp = useTmpDir("vitr-renditions-audio-");

  it("writes audio-only chunks of the part's exact length, the input padded with silence", async () => {
    // The input (1 s) and the dub (0.5 s) are shorter than the part (1.2 s).
    const audio = await makeAudio({ out: join(tmp.dir, "orig.wav"), durationS: 1 });
    const vocals = await makeAudio({ out: join(tmp.dir, "vocals.wav"), durationS: 0.5 });
    const common = { durationMs: 1200, tsOffsetMs: 3000, outDir: tmp.dir };
    const original = await one({ kind: "audio", ...common, audio, prefix: "orig" });
    const dub = await one({ kind: "mix", ...common, background: audio, dubbedVocals: vocals, prefix: "fr" });
    expect([original, dub].map((files) => files.map((f) => f.split("/").at(-1)))).toEqual([
      ["orig_0.ts"],
      ["fr_0.ts"],
    ]);
    for (const f of [...original, ...dub]) {
      const info = await probeMedia(f);
      expect([info.formatName, info.video]).toEqual(["mpegts", undefined]);
      expect(info.audio).toEqual({ codec: "aac", sampleRate: 44_100, channels: 2 });
      const a = await span(f, "a:0");
      const contentStart = a.startMs + FRAME_MS;
      expect(Math.abs(contentStart - (RENDITION_PTS_BASE_MS + 3000))).toBeLessThanOrEqual(FRAME_MS / 2 + 1);
      expect(Math.abs(a.endMs - contentStart - 1200)).toBeLessThanOrEqual(FRAME_MS + 1);
    }
  });
});

describe("subtitles burned into a video rendition (real ffmpeg)", () => {
  const tmp = useTmpDir("vitr-renditions-burn-");

  it("draws the cues into the picture while they are shown, and only then", async () => {
    const video = join(tmp.dir, "black.mp4");
    await runFfmpeg([
      ...["-f", "lavfi", "-i", "color=black:size=160x120:rate=25:duration=4"],
      ...["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", video],
    ]);
    const srtDir = join(tmp.dir, "it's a: dir");
    await mkdir(srtDir);
    const srt = join(srtDir, "it's a: test.srt");
    await writeFile(srt, "1\n00:00:00,000 --> 00:00:02,000\nHello\n");
    const [chunk, ...more] = await one({
      kind: "video",
      video,
      burnSubtitlesPath: srt,
      durationMs: 4000,
      tsOffsetMs: 1500,
      outDir: tmp.dir,
    });
    expect(more).toEqual([]);
    // Each frame's brightest luma: white text on black while the cue is shown (first 2 s).
    const stats = await runFfmpeg([
      ...["-v", "error", "-i", chunk!],
      ...["-vf", "signalstats,metadata=print:key=lavfi.signalstats.YMAX:file=-", "-f", "null", "-"],
    ]);
    const ymax = [...stats.toString().matchAll(/YMAX=(\d+)/g)].map((m) => Number(m[1]));
    expect(ymax).toHaveLength(100);
    expect(Math.min(...ymax.slice(5, 45))).toBeGreaterThan(150);
    expect(Math.max(...ymax.slice(55))).toBeLessThan(40);
  });
});
