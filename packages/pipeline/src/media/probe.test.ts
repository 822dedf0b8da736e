import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeAudio, makeVideo } from "@vitranslator/testkit";
import { useTmpDir } from "@vitranslator/testkit/hooks";
import { isPipelineError } from "../errors";
import { parseProbe, parseRate, probeMedia } from "./probe";

const stream = (s: Record<string, unknown>) => ({ disposition: { attached_pic: 0 }, ...s });

describe("parseProbe", () => {
  it("reads video, audio and subtitle streams", () => {
    const info = parseProbe({
      streams: [
        stream({
          index: 0,
          codec_type: "video",
          codec_name: "h264",
          width: 1920,
          height: 1080,
          avg_frame_rate: "30000/1001",
          r_frame_rate: "30000/1001",
        }),
        stream({ index: 1, codec_type: "audio", codec_name: "aac", sample_rate: "48000", channels: 2 }),
        stream({ index: 2, codec_type: "subtitle", codec_name: "subrip", tags: { language: "eng" } }),
        stream({ index: 3, codec_type: "subtitle", codec_name: "mov_text", tags: { language: "und" } }),
      ],
      format: { format_name: "mov,mp4,m4a,3gp,3g2,mj2", duration: "12.345678", size: "98765" },
    });
    expect(info).toEqual({
      durationMs: 12_346,
      formatName: "mov,mp4,m4a,3gp,3g2,mj2",
      sizeBytes: 98_765,
      startTimeS: 0,
      streamCount: 4,
      streamIndex: { video: 0, audio: 1 },
      video: { codec: "h264", width: 1920, height: 1080, fps: 30000 / 1001 },
      audio: { codec: "aac", sampleRate: 48_000, channels: 2 },
      subtitleStreams: [
        { index: 2, codec: "subrip", language: "eng" },
        { index: 3, codec: "mov_text" },
      ],
    });
  });

  it("treats cover art as no video and falls back to stream durations", () => {
    const info = parseProbe({
      streams: [
        stream({
          index: 0,
          codec_type: "audio",
          codec_name: "mp3",
          sample_rate: "44100",
          channels: 2,
          duration: "3.5",
        }),
        {
          index: 1,
          codec_type: "video",
          codec_name: "mjpeg",
          width: 500,
          height: 500,
          disposition: { attached_pic: 1 },
        },
      ],
      format: { format_name: "mp3" },
    });
    expect(info.video).toBeUndefined();
    expect(info.durationMs).toBe(3500);
  });

  it("uses r_frame_rate when avg_frame_rate is unknown and reports 0 duration when nothing knows it", () => {
    const info = parseProbe({
      streams: [
        stream({
          index: 0,
          codec_type: "video",
          codec_name: "vp8",
          width: 640,
          height: 360,
          avg_frame_rate: "0/0",
          r_frame_rate: "25/1",
        }),
      ],
      format: { format_name: "matroska,webm", duration: "N/A" },
    });
    expect(info.video?.fps).toBe(25);
    expect(info.durationMs).toBe(0);
  });

  it("rejects output that is not ffprobe JSON", () => {
    expect(() => parseProbe({ streams: "nope" })).toThrow(/could not be read/);
    expect(parseRate("24000/1001")).toBeCloseTo(23.976, 3);
    expect(parseRate("0/0")).toBeNaN();
  });
});

describe("probeMedia (real ffprobe)", () => {
  const tmp = useTmpDir();

  it("probes a generated video", async () => {
    const path = await makeVideo({ out: join(tmp.dir, "v.mp4"), durationS: 2, width: 162, height: 90 });
    const info = await probeMedia(path);
    expect(info.video).toMatchObject({ codec: "h264", width: 162, height: 90, fps: 25 });
    expect(info.audio).toMatchObject({ codec: "aac", sampleRate: 44_100 });
    expect(Math.abs(info.durationMs - 2000)).toBeLessThan(100);
    expect(info.sizeBytes).toBeGreaterThan(0);
  });

  it("probes an audio-only file", async () => {
    const path = await makeAudio({ out: join(tmp.dir, "a.wav"), durationS: 1.5 });
    const info = await probeMedia(path);
    expect(info.video).toBeUndefined();
    expect(info.durationMs).toBe(1500);
  });

  it("reports an unreadable file as INVALID_MEDIA (user)", async () => {
    const path = join(tmp.dir, "junk.mp4");
    await writeFile(path, "this is not a video at all");
    const err = await probeMedia(path).catch((e: unknown) => e);
    expect(isPipelineError(err) && [err.code, err.category]).toEqual(["INVALID_MEDIA", "user"]);
  });

  it("reports a file without audio or video as NO_MEDIA_STREAMS (user)", async () => {
    const path = join(tmp.dir, "subs.srt");
    await writeFile(path, "1\n00:00:01,000 --> 00:00:02,000\nhi\n");
    const err = await probeMedia(path).catch((e: unknown) => e);
    expect(isPipelineError(err) && [err.code, err.category]).toEqual(["NO_MEDIA_STREAMS", "user"]);
  });

  it("reports a missing file as FILE_NOT_FOUND", async () => {
    const err = await probeMedia(join(tmp.dir, "missing.mp4")).catch((e: unknown) => e);
    expect(isPipelineError(err) && err.code).toBe("FILE_NOT_FOUND");
  });
});
