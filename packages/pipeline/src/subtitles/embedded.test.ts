import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeVideo } from "@vitranslator/testkit";
import { useTmpDir } from "@vitranslator/testkit/hooks";
import { probeMedia } from "../media/probe";
import { extractEmbeddedSubtitles, isTextSubtitleCodec } from "./embedded";

describe("extractEmbeddedSubtitles (real ffmpeg)", () => {
  const tmp = useTmpDir();

  it("reads a mov_text track back as cues", async () => {
    const srt = join(tmp.dir, "in.srt");
    await writeFile(
      srt,
      "1\n00:00:00,200 --> 00:00:01,000\nFirst <b>line</b>\n\n2\n00:00:01,200 --> 00:00:01,900\nSecond\n",
    );
    const video = await makeVideo({ out: join(tmp.dir, "subbed.mp4"), durationS: 2, subtitlesSrt: srt });
    const info = await probeMedia(video);
    expect(info.subtitleStreams).toEqual([{ index: 2, codec: "mov_text", language: "eng" }]);
    const cues = await extractEmbeddedSubtitles({ input: video, streamIndex: 2 });
    expect(cues).toEqual([
      { startMs: 200, endMs: 1000, text: "First line" },
      { startMs: 1200, endMs: 1900, text: "Second" },
    ]);
  });

  it("knows which codecs are pictures", () => {
    expect(isTextSubtitleCodec("subrip")).toBe(true);
    expect(isTextSubtitleCodec("hdmv_pgs_subtitle")).toBe(false);
  });
});
