import { mkdir, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lyingMkv, makeVideo, runFfmpeg } from "@vitranslator/testkit";
import { useTmpDir } from "@vitranslator/testkit/hooks";
import { isPipelineError } from "../errors";
import { admitMedia } from "./admission";
import { buildNormaliseArgs, normaliseSource, recordAdmission } from "./normalise";
import { probeMedia } from "./probe";
import { ffprobe } from "./process";

describe("buildNormaliseArgs", () => {
  it("copies the main streams and text subtitles with the admitted demuxer forced", () => {
    const args = buildNormaliseArgs({
      input: "/t/source/original.mp4",
      info: {
        demuxer: "mov",
        streamIndex: { video: 1, audio: 2 },
        subtitleStreams: [
          { index: 3, codec: "mov_text" },
          { index: 4, codec: "hdmv_pgs_subtitle" },
        ],
      },
      container: "mov",
      out: "/t/source/canonical.mov",
    });
    expect(args.slice(0, 4)).toEqual(["-format_whitelist", "mov", "-f", "mov"]);
    expect(args.join(" ")).toContain("-map 0:1 -map 0:2 -map 0:3 -c copy -c:s mov_text");
    expect(args).not.toContain("0:4");
    expect(args.slice(-3)).toEqual(["-f", "mov", "/t/source/canonical.mov"]);
  });
});

describe("normaliseSource (real ffmpeg)", () => {
  const tmp = useTmpDir();
  let n = 0;

  /** A task folder holding `bytes` (or a file made by `fill`) as source/original<ext>. */
  async function task(ext: string, fill: (path: string) => Promise<unknown>) {
    const taskDir = join(tmp.dir, `task${n++}`);
    await mkdir(join(taskDir, "source"), { recursive: true });
    const sourceFile = `source/original${ext}`;
    await fill(join(taskDir, sourceFile));
    return { taskDir, sourceFile };
  }

  it("remuxes an MP4 into a QuickTime file, keeping the rotation, once", async () => {
    const t = await task(".mp4", async (path) => {
      const plain = `${path}.plain.mp4`;
      await makeVideo({ out: plain, durationS: 2 });
      await runFfmpeg(["-i", plain, "-c", "copy", "-metadata:s:v:0", "rotate=90", path]);
    });
    const canonical = await normaliseSource(t);
    expect(canonical).toBe(join(t.taskDir, "source/canonical.mov"));
    const { stdout } = await ffprobe(canonical, ["-show_streams", "-select_streams", "v:0"]);
    expect(stdout).toMatch(/rotation=-?90/);
    const info = await probeMedia(canonical);
    expect(info.video?.codec).toBe("h264");
    expect(Math.abs(info.durationMs - 2000)).toBeLessThan(100);
    const before = (await stat(canonical)).mtimeMs;
    expect(await normaliseSource(t)).toBe(canonical);
    expect((await stat(canonical)).mtimeMs).toBe(before);
  });

  it("remuxes by the upload check's recorded result, without probing the upload again", async () => {
    const t = await task(".mp4", (path) => makeVideo({ out: path, durationS: 2 }));
    const admitted = await admitMedia(join(t.taskDir, t.sourceFile));
    expect(admitted.streamIndex.video).toBeDefined();
    // A record that names the audio stream only: the canonical file follows it, so it was read.
    await recordAdmission(t.taskDir, { ...admitted, streamIndex: { audio: admitted.streamIndex.audio } });
    const info = await probeMedia(await normaliseSource(t));
    expect([info.video, info.audio?.codec]).toEqual([undefined, "aac"]);
  });

  it("ignores a recorded result the allow-lists refuse, and probes the upload instead", async () => {
    const t = await task(".mp4", (path) => makeVideo({ out: path, durationS: 2 }));
    const admitted = await admitMedia(join(t.taskDir, t.sourceFile));
    await recordAdmission(t.taskDir, { ...admitted, formatName: "hls" });
    const info = await probeMedia(await normaliseSource(t));
    expect(info.video?.codec).toBe("h264");
  });

  it("remuxes anything else into Matroska, dropping a lying header's duration", async () => {
    const t = await task(".mkv", async (path) => {
      await lyingMkv({ out: path, claimS: 3 * 3600 });
    });
    const canonical = await normaliseSource(t);
    expect(canonical).toBe(join(t.taskDir, "source/canonical.mkv"));
    const info = await probeMedia(canonical);
    expect(Math.abs(info.durationMs - 2000)).toBeLessThan(150);
    expect(info.audio?.codec).toBe("aac");
  });

  it("keeps text subtitle tracks (as SRT in Matroska)", async () => {
    const srt = join(tmp.dir, "s.srt");
    await writeFile(srt, "1\n00:00:00,500 --> 00:00:01,500\nHello there.\n");
    const t = await task(".mkv", async (path) => {
      const mp4 = `${path}.mp4`;
      await makeVideo({ out: mp4, durationS: 2, subtitlesSrt: srt });
      await runFfmpeg(["-i", mp4, "-map", "0", "-c", "copy", "-c:s", "srt", path]);
    });
    const info = await probeMedia(await normaliseSource(t));
    expect(info.formatName).toContain("matroska");
    expect(info.subtitleStreams).toEqual([{ index: 2, codec: "subrip", language: "eng" }]);
  });

  it("refuses an HLS playlist posing as a video before ffmpeg opens what it names", async () => {
    const t = await task(".mp4", (path) =>
      writeFile(path, "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2,\n/etc/passwd\n#EXT-X-ENDLIST\n"),
    );
    const err = await normaliseSource(t).catch((e: unknown) => e);
    expect(isPipelineError(err) && [err.code, err.category]).toEqual(["UNSUPPORTED_FORMAT", "user"]);
  });
});
