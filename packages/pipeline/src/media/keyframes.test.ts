import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { probeEntries } from "@vitranslator/testkit";
import { useTmpDir } from "@vitranslator/testkit/hooks";
import { extractSegment } from "./extract";
import { listKeyframesMs, parseKeyframePackets } from "./keyframes";
import { runProcess } from "./process";

describe("parseKeyframePackets", () => {
  it("keeps keyframe packets only, relative to the file's start time, sorted and unique", () => {
    const csv = "1.400000,K__\n1.440000,___\n3.400000,K_\nN/A,K_\n3.400000,K__\n";
    expect(parseKeyframePackets(csv, 1.4)).toEqual([0, 2000]);
  });
});

describe("keyframe-aligned segments", () => {
  const tmp = useTmpDir();
  let input: string;

  beforeAll(async () => {
    input = join(tmp.dir, "gop.mp4");
    // Keyframes exactly every second.
    await runProcess({
      command: "ffmpeg",
      args: [
        "-y",
        "-f",
        "lavfi",
        "-i",
        "testsrc2=size=160x120:rate=25:duration=6",
        "-f",
        "lavfi",
        "-i",
        "sine=d=6",
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-g",
        "25",
        "-keyint_min",
        "25",
        "-sc_threshold",
        "0",
        "-pix_fmt",
        "yuv420p",
        "-c:a",
        "aac",
        input,
      ],
    });
  });

  it("lists the source keyframes", async () => {
    expect(await listKeyframesMs(input)).toEqual([0, 1000, 2000, 3000, 4000, 5000]);
  });

  it("copies the video of a segment that starts on a keyframe, frame-exact and starting with a keyframe", async () => {
    const videoOut = join(tmp.dir, "seg.mp4");
    await extractSegment({
      input,
      startMs: 2000,
      durationMs: 3000,
      audioOut: join(tmp.dir, "seg.wav"),
      videoOut,
      copyVideo: true,
    });
    const packets = await probeEntries(videoOut, "packet=pts_time,flags");
    expect(packets[0]).toMatch(/^0\.000000,K/);
    expect(packets).toHaveLength(75);
    // The copied frames are the source's frames 50..124: same encoded bytes, no re-encode.
    expect((await probeEntries(videoOut, "format_tags=encoder", { stream: null })).join("\n")).not.toMatch(
      /libx264/,
    );
  });
});
