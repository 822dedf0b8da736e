import { stat } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { makeAudio, makeVideo, probeEntries } from "@vitranslator/testkit";
import { useTmpDir } from "@vitranslator/testkit/hooks";
import { isPipelineError } from "../errors";
import { buildExtractSegmentArgs, extractSegment, extractWav16k } from "./extract";
import { probeMedia } from "./probe";
import { ffprobeJson } from "./process";

describe("buildExtractSegmentArgs", () => {
  it("seeks before the input and writes two outputs from one decode", () => {
    const args = buildExtractSegmentArgs({
      input: "/in.mp4",
      startMs: 1500,
      durationMs: 2250,
      audioOut: "/a.wav",
      videoOut: "/v.mp4",
      hasAudio: true,
      hasVideo: true,
    });
    expect(args.slice(0, 6)).toEqual(["-ss", "1.500", "-t", "2.250", "-i", "/in.mp4"]);
    expect(args.filter((a) => a.endsWith(".wav") || a.endsWith("v.mp4"))).toEqual(["/a.wav", "/v.mp4"]);
    expect(args).toContain("libx264");
    expect(args).toContain("expr:gte(t,n_forced*2)");
  });

  it("generates silence for an input without audio and skips video when there is none", () => {
    const args = buildExtractSegmentArgs({
      input: "/in.mp4",
      startMs: 0,
      durationMs: 1000,
      audioOut: "/a.wav",
      videoOut: "/v.mp4",
      hasAudio: false,
      hasVideo: false,
    });
    expect(args).toContain("anullsrc=r=44100:cl=stereo");
    expect(args).toContain("1:a:0");
    expect(args).not.toContain("/v.mp4");
  });
});

describe("extractSegment (real ffmpeg)", () => {
  const tmp = useTmpDir();
  let video: string;
  beforeAll(async () => {
    video = await makeVideo({ out: join(tmp.dir, "in.mp4"), durationS: 5, width: 161, height: 91 });
  });

  it("writes an exact-length WAV and an even-sized silent H.264 MP4 starting on a keyframe", async () => {
    const audioOut = join(tmp.dir, "seg.wav");
    const videoOut = join(tmp.dir, "seg.mp4");
    const res = await extractSegment({ input: video, startMs: 1300, durationMs: 2500, audioOut, videoOut });
    expect(res).toEqual({ audioPath: audioOut, videoPath: videoOut });

    const a = await probeMedia(audioOut);
    expect(a.audio).toEqual({ codec: "pcm_s16le", sampleRate: 44_100, channels: 2 });
    expect(a.durationMs).toBe(2500);

    const v = await probeMedia(videoOut);
    expect(v.audio).toBeUndefined();
    expect(v.video).toMatchObject({ codec: "h264", width: 160, height: 90 });
    expect(Math.abs(v.durationMs - 2500)).toBeLessThanOrEqual(40);

    const probe = (await ffprobeJson(videoOut, {})) as { streams: { pix_fmt?: string }[] };
    expect(probe.streams[0]?.pix_fmt).toBe("yuv420p");

    const frames = (await probeEntries(videoOut, "frame=key_frame,pts_time")).map(
      (l) => l.split(",").slice(0, 2).map(Number) as [number, number],
    );
    expect(frames[0]).toEqual([1, 0]);
    const keyTimes = frames.filter(([key]) => key === 1).map(([, t]) => t);
    for (let i = 1; i < keyTimes.length; i++)
      expect(keyTimes[i]! - keyTimes[i - 1]!).toBeLessThanOrEqual(2.001);
    expect(keyTimes.length).toBeGreaterThanOrEqual(2);
  });

  it("pads the audio when the segment runs past the end of the input", async () => {
    const audioOut = join(tmp.dir, "tail.wav");
    await extractSegment({ input: video, startMs: 4000, durationMs: 2000, audioOut });
    expect((await probeMedia(audioOut)).durationMs).toBe(2000);
  });

  it("produces silence of the right length for a video without audio", async () => {
    const mute = await makeVideo({ out: join(tmp.dir, "mute.mp4"), durationS: 2, audio: false });
    const audioOut = join(tmp.dir, "mute.wav");
    const videoOut = join(tmp.dir, "mute-seg.mp4");
    await extractSegment({ input: mute, startMs: 500, durationMs: 1000, audioOut, videoOut });
    const a = await probeMedia(audioOut);
    expect(a.durationMs).toBe(1000);
    expect(a.audio?.channels).toBe(2);
    expect((await stat(videoOut)).size).toBeGreaterThan(0);
  });

  it("writes audio only for an audio input even when videoOut is given", async () => {
    const wav = await makeAudio({ out: join(tmp.dir, "speech.wav"), durationS: 3, sampleRate: 22_050 });
    const audioOut = join(tmp.dir, "speech-seg.wav");
    const res = await extractSegment({
      input: wav,
      startMs: 1000,
      durationMs: 1000,
      audioOut,
      videoOut: join(tmp.dir, "none.mp4"),
    });
    expect(res.videoPath).toBeUndefined();
    expect((await probeMedia(audioOut)).audio?.sampleRate).toBe(44_100);
  });

  it("extracts mono 16 kHz audio for ASR, optionally a range", async () => {
    const out = join(tmp.dir, "asr.wav");
    await extractWav16k({ input: video, out, startMs: 1000, durationMs: 1500 });
    const info = await probeMedia(out);
    expect(info.audio).toEqual({ codec: "pcm_s16le", sampleRate: 16_000, channels: 1 });
    expect(Math.abs(info.durationMs - 1500)).toBeLessThanOrEqual(25);
  });

  it("rejects ASR extraction of a file without audio", async () => {
    const mute = join(tmp.dir, "mute.mp4");
    const err = await extractWav16k({ input: mute, out: join(tmp.dir, "x.wav") }).catch((e: unknown) => e);
    expect(isPipelineError(err) && err.code).toBe("NO_AUDIO");
  });
});
