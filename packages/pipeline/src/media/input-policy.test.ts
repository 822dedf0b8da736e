import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { useTmpDir } from "@vitranslator/testkit/hooks";
import { isPipelineError } from "../errors";
import { applyInputPolicy, demuxerForPath, inputOptions } from "./input-policy";
import { ffmpeg, ffprobeJson, runProcess } from "./process";

const code = (fn: () => unknown): unknown => {
  try {
    fn();
    return "no error";
  } catch (e) {
    return isPipelineError(e) ? e.code : e;
  }
};

describe("applyInputPolicy", () => {
  it("forces the demuxer of our own files by extension and allows only the file protocol", () => {
    expect(
      applyInputPolicy(["-ss", "1.000", "-i", "/t/source/canonical.mkv", "-map", "0:a:0", "/t/a.wav"]),
    ).toEqual(
      [
        "-ss",
        "1.000",
        "-protocol_whitelist",
        "file",
        "-f",
        "matroska",
        "-i",
        "/t/source/canonical.mkv",
      ].concat(["-map", "0:a:0", "/t/a.wav"]),
    );
    expect(demuxerForPath("/x/seg/3/audio.WAV")).toBe("wav");
    expect(demuxerForPath("/x/source/canonical.mov")).toBe("mov");
    expect(demuxerForPath("/x/hls/seg_1_0.ts")).toBe("mpegts");
  });

  it("keeps a demuxer the call site forced, for each input separately", () => {
    const args = applyInputPolicy([
      "-f",
      "lavfi",
      "-t",
      "2",
      "-i",
      "anullsrc=r=44100:cl=mono",
      "-i",
      "/t/clip.wav",
      "-f",
      "s16le",
      "-ar",
      "16000",
      "-i",
      "/t/raw.pcm",
      "/t/out.wav",
    ]);
    expect(args).toEqual([
      "-f",
      "lavfi",
      "-t",
      "2",
      "-protocol_whitelist",
      "file",
      "-i",
      "anullsrc=r=44100:cl=mono",
      "-protocol_whitelist",
      "file",
      "-f",
      "wav",
      "-i",
      "/t/clip.wav",
      "-f",
      "s16le",
      "-ar",
      "16000",
      "-protocol_whitelist",
      "file",
      "-i",
      "/t/raw.pcm",
      "/t/out.wav",
    ]);
    expect(inputOptions("-", ["-f", "s16le"])).toEqual(["-protocol_whitelist", "pipe"]);
  });

  it("refuses to let ffmpeg guess: an unknown extension or an unforced pipe is a programming error", () => {
    expect(code(() => applyInputPolicy(["-i", "/t/source/original.m3u8", "/t/out.wav"]))).toBe(
      "UNFORCED_INPUT",
    );
    expect(code(() => applyInputPolicy(["-i", "/t/source/original.bin", "/t/out.wav"]))).toBe(
      "UNFORCED_INPUT",
    );
    expect(code(() => applyInputPolicy(["-i", "pipe:0", "/t/out.wav"]))).toBe("UNFORCED_INPUT");
    // The untrusted probe restricts the demuxers instead of forcing one.
    expect(inputOptions("/t/source/original.bin", ["-format_whitelist", "mov,matroska"])).toEqual([
      "-protocol_whitelist",
      "file",
    ]);
  });
});

describe("ffmpeg and ffprobe with the input policy (real ffmpeg)", () => {
  const tmp = useTmpDir();
  let victim: string;
  let playlist: string;
  beforeAll(async () => {
    // Another task's chunk, and an "upload" that is an HLS playlist naming it.
    victim = join(tmp.dir, "other-task-chunk.ts");
    await runProcess({
      command: "ffmpeg",
      args: ["-v", "error", "-f", "lavfi", "-i", "sine=d=2", "-c:a", "aac", "-f", "mpegts", victim],
    });
    playlist = join(tmp.dir, "original.mp4");
    await writeFile(playlist, `#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:2,\n${victim}\n#EXT-X-ENDLIST\n`);
  });

  it("never reads a file an HLS playlist names: the playlist is opened with the forced demuxer and fails", async () => {
    const out = join(tmp.dir, "stolen.wav");
    const err = await ffmpeg(["-i", playlist, "-map", "0:a:0", out]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(existsSync(out)).toBe(false);
    await expect(ffprobeJson(playlist)).rejects.toThrow(/exited with/);
  });
});
