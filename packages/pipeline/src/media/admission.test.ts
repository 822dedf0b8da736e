import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lyingMkv, lyingMp3, makeVideo, runFfmpeg } from "@vitranslator/testkit";
import { useTmpDir } from "@vitranslator/testkit/hooks";
import { isPipelineError } from "../errors";
import { admitMedia, allowedDemuxer, checkCaps, DEFAULT_MEDIA_CAPS } from "./admission";
import { parseLastPacketEndS } from "./duration";
import { parseProbe } from "./probe";

const errorCode = (e: unknown) => (isPipelineError(e) ? [e.code, e.category] : e);

describe("parseLastPacketEndS", () => {
  it("takes the latest pts + duration of the chosen streams, dts when pts is unknown", () => {
    const csv =
      "0,0.000000,0.000000,0.040000\n1,0.000000,0.000000,0.023220\n0,N/A,9.960000,0.040000\n2,999,999,1\n1,9.975000,9.975000,0.023220\n";
    expect(parseLastPacketEndS(csv, new Set([0, 1]))).toBeCloseTo(10.0, 3);
    expect(parseLastPacketEndS("", new Set([0]))).toBeNaN();
  });
});

describe("allow-lists and caps (pure)", () => {
  const info = (video: Record<string, unknown>, format = "matroska,webm", extra: unknown[] = []) =>
    parseProbe({
      streams: [{ index: 0, codec_type: "video", ...video }, ...extra],
      format: { format_name: format, duration: "1" },
    });

  it("names the allow-listed demuxer of ffprobe's format_name", () => {
    expect(allowedDemuxer("mov,mp4,m4a,3gp,3g2,mj2")).toBe("mov");
    expect(allowedDemuxer("matroska,webm")).toBe("matroska");
    for (const refused of ["hls", "concat", "image2", "h264", "hevc", "m4v", "rawvideo", "dash", "tty"])
      expect(allowedDemuxer(refused)).toBeUndefined();
  });

  it("refuses pictures over the pixel cap, frame rates over the fps cap and too many streams", () => {
    const big = info({ codec_name: "h264", width: 8192, height: 8192, avg_frame_rate: "25/1" });
    expect(errorCode(catchSync(() => checkCaps(big, DEFAULT_MEDIA_CAPS)))).toEqual([
      "VIDEO_TOO_LARGE",
      "user",
    ]);
    const fast = info({ codec_name: "h264", width: 64, height: 64, avg_frame_rate: "1000/1" });
    expect(errorCode(catchSync(() => checkCaps(fast, DEFAULT_MEDIA_CAPS)))).toEqual([
      "FRAME_RATE_TOO_HIGH",
      "user",
    ]);
    const streams = Array.from({ length: 40 }, (_, i) => ({ index: i + 1, codec_type: "attachment" }));
    const many = info({ codec_name: "h264", width: 64, height: 64 }, "matroska,webm", streams);
    expect(errorCode(catchSync(() => checkCaps(many, DEFAULT_MEDIA_CAPS)))).toEqual([
      "TOO_MANY_STREAMS",
      "user",
    ]);
    expect(
      catchSync(() => checkCaps(info({ codec_name: "h264", width: 3840, height: 2160 }), DEFAULT_MEDIA_CAPS)),
    ).toBe("ok");
  });
});

function catchSync(fn: () => void): unknown {
  try {
    fn();
    return "ok";
  } catch (e) {
    return e;
  }
}

describe("admitMedia (real ffprobe)", () => {
  const tmp = useTmpDir();

  it("admits an ordinary MP4 with its real duration and the demuxer to force later", async () => {
    const path = await makeVideo({ out: join(tmp.dir, "v.mp4"), durationS: 2 });
    const info = await admitMedia(path);
    expect(info.demuxer).toBe("mov");
    expect(Math.abs(info.durationMs - 2000)).toBeLessThan(100);
  });

  it("refuses an HLS playlist posing as a video (it would make ffmpeg read the files it names)", async () => {
    const chunk = join(tmp.dir, "someone-elses.ts");
    await runFfmpeg(["-f", "lavfi", "-i", "sine=d=2", "-c:a", "aac", "-f", "mpegts", chunk]);
    const path = join(tmp.dir, "playlist.mp4");
    await writeFile(path, `#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:2,\n${chunk}\n#EXT-X-ENDLIST\n`);
    expect(errorCode(await admitMedia(path).catch((e: unknown) => e))).toEqual([
      "UNSUPPORTED_FORMAT",
      "user",
    ]);
  });

  it("refuses a raw H.264 elementary stream (it has no container and would be decoded to be measured)", async () => {
    const path = join(tmp.dir, "raw.mp4");
    await runFfmpeg(["-f", "lavfi", "-i", "testsrc=s=64x36:d=1", "-c:v", "libx264", "-f", "h264", path]);
    expect(errorCode(await admitMedia(path).catch((e: unknown) => e))).toEqual([
      "UNSUPPORTED_FORMAT",
      "user",
    ]);
  });

  it("refuses an 8192x8192 H.264 decompression bomb of a few hundred KB inside ffprobe", async () => {
    const path = join(tmp.dir, "bomb.mp4");
    await runFfmpeg([
      "-f",
      "lavfi",
      "-i",
      "color=c=black:s=8192x8192:r=1:d=1",
      "-c:v",
      "libx264",
      "-preset",
      "ultrafast",
      "-pix_fmt",
      "yuv420p",
      path,
    ]);
    expect(errorCode(await admitMedia(path).catch((e: unknown) => e))).toEqual(["VIDEO_TOO_LARGE", "user"]);
  });

  it("refuses codecs outside the allow-list", async () => {
    const path = join(tmp.dir, "ffv1.mkv");
    await runFfmpeg(["-f", "lavfi", "-i", "testsrc=s=64x36:d=1", "-c:v", "ffv1", path]);
    expect(errorCode(await admitMedia(path).catch((e: unknown) => e))).toEqual(["UNSUPPORTED_CODEC", "user"]);
  });

  it("measures the real length of an 8 KB MP3 and a 20 KB MKV that claim 3 hours", async () => {
    const mp3 = await lyingMp3({ out: join(tmp.dir, "liar.mp3"), claimS: 3 * 3600 });
    const mkv = await lyingMkv({ out: join(tmp.dir, "liar.mkv"), claimS: 3 * 3600 });
    const mp3Info = await admitMedia(mp3);
    const mkvInfo = await admitMedia(mkv);
    expect(Math.abs(mp3Info.durationMs - 1000)).toBeLessThan(150);
    expect(Math.abs(mkvInfo.durationMs - 2000)).toBeLessThan(150);
  });

  it("measures a file that states no duration from its packets (WebM as a browser records it)", async () => {
    const path = join(tmp.dir, "live.webm");
    await runFfmpeg(["-f", "lavfi", "-i", "sine=d=3", "-c:a", "libopus", "-live", "1", "-f", "webm", path]);
    const info = await admitMedia(path);
    expect(Math.abs(info.durationMs - 3000)).toBeLessThan(100);
  });
});
