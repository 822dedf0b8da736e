import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTmpDir } from "@vitranslator/testkit";
import { buildPlaylist, writeFileAtomic } from "./playlist";

describe("buildPlaylist", () => {
  it("writes a growing EVENT playlist without ENDLIST", () => {
    const text = buildPlaylist({
      segments: [
        { uri: "seg-00000.ts", durationSec: 8.5 },
        { uri: "seg-00001.ts", durationSec: 31.2004 },
      ],
      ended: false,
    });
    expect(text).toBe(
      [
        "#EXTM3U",
        "#EXT-X-VERSION:3",
        "#EXT-X-PLAYLIST-TYPE:EVENT",
        "#EXT-X-TARGETDURATION:32",
        "#EXT-X-MEDIA-SEQUENCE:0",
        "#EXT-X-INDEPENDENT-SEGMENTS",
        "#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES",
        "#EXTINF:8.500,",
        "seg-00000.ts",
        "#EXTINF:31.200,",
        "seg-00001.ts",
        "",
      ].join("\n"),
    );
  });

  it("adds ENDLIST when ended and DISCONTINUITY before flagged segments", () => {
    const text = buildPlaylist({
      segments: [
        { uri: "a.ts", durationSec: 2 },
        { uri: "b.ts", durationSec: 3, discontinuity: true },
      ],
      ended: true,
    });
    expect(text).toContain(
      "#EXTINF:2.000,\na.ts\n#EXT-X-DISCONTINUITY\n#EXTINF:3.000,\nb.ts\n#EXT-X-ENDLIST\n",
    );
    expect(text.match(/#EXT-X-ENDLIST/g)).toHaveLength(1);
    // A finished playlist no longer invites blocking reloads.
    expect(text).not.toContain("CAN-BLOCK-RELOAD");
  });

  it("uses the planned target duration so it never changes as the playlist grows", () => {
    const text = buildPlaylist({
      segments: [{ uri: "a.ts", durationSec: 7 }],
      ended: false,
      targetDurationSec: 39.4,
    });
    expect(text).toContain("#EXT-X-TARGETDURATION:40\n");
  });

  it("keeps the target at least 1 and at least every segment, ignoring float noise", () => {
    expect(buildPlaylist({ segments: [], ended: false })).toContain("#EXT-X-TARGETDURATION:1\n");
    expect(buildPlaylist({ segments: [{ uri: "a.ts", durationSec: 10.0000001 }], ended: false })).toContain(
      "#EXT-X-TARGETDURATION:10\n",
    );
    expect(
      buildPlaylist({
        segments: [{ uri: "a.ts", durationSec: 10.0006 }],
        ended: false,
        targetDurationSec: 5,
      }),
    ).toContain("#EXT-X-TARGETDURATION:11\n");
  });
});

describe("writeFileAtomic", () => {
  let tmp: Awaited<ReturnType<typeof makeTmpDir>>;
  beforeAll(async () => {
    tmp = await makeTmpDir();
  });
  afterAll(() => tmp.cleanup());

  it("replaces the file and leaves no temp files", async () => {
    const path = join(tmp.dir, "index.m3u8");
    await writeFileAtomic(path, "one");
    await writeFileAtomic(path, "two");
    expect(await readFile(path, "utf8")).toBe("two");
    expect(await readdir(tmp.dir)).toEqual(["index.m3u8"]);
  });

  it("readers never see partial content while writers race", async () => {
    const path = join(tmp.dir, "race.txt");
    const big = (c: string) => c.repeat(200_000);
    await writeFileAtomic(path, big("a"));
    const writes = ["b", "c", "d", "e"].map((c) => writeFileAtomic(path, big(c)));
    const reads = Array.from({ length: 20 }, () => readFile(path, "utf8"));
    for (const r of await Promise.all(reads)) expect(r).toMatch(/^(a+|b+|c+|d+|e+)$/);
    await Promise.all(writes);
    expect((await readFile(path, "utf8")).length).toBe(200_000);
  });

  it("fails cleanly when the directory does not exist", async () => {
    await expect(writeFileAtomic(join(tmp.dir, "missing", "x"), "x")).rejects.toThrow();
  });
});
