/**
 * Hostile files that reach the workers: the segment stage admits and normalises the upload
 * itself (a file put in place without the web server's check is still refused), plans from
 * the real length, and parses subtitles with caps (the web server never parses them).
 */
import { readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { claimMkvDuration, makeSampleVideo, runFfmpeg } from "@vitranslator/testkit";
import type { SampleVideo } from "@vitranslator/testkit";
import { createHarness } from "./harness";
import type { Harness } from "./harness";

let h: Harness;
let sample: SampleVideo;
let inputs: string;

beforeAll(async () => {
  h = await createHarness();
  inputs = path.join(h.storageDir, "inputs");
  sample = await makeSampleVideo({ dir: inputs, durationMs: 6000, name: "hostile" });
  h.start();
});
afterAll(async () => h?.close());

async function failure(id: string) {
  await h.waitForEnd(id, 60_000);
  const snap = await h.snapshot(id);
  const runs = await h.t.db.stageRun.findMany({ where: { taskId: id } });
  return { status: snap?.status, code: snap?.errorCode, attempts: Math.max(...runs.map((r) => r.attempts)) };
}

describe("hostile input in the workers", () => {
  it("an HLS playlist in place of the video fails at once with UNSUPPORTED_FORMAT and reads nothing it names", async () => {
    const playlist = path.join(inputs, "playlist.m3u8");
    await writeFile(
      playlist,
      `#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:6,\n${sample.video}\n#EXT-X-ENDLIST\n`,
    );
    const id = await h.submit({ video: playlist, subtitles: sample.srt });
    expect(await failure(id)).toEqual({ status: "failed", code: "UNSUPPORTED_FORMAT", attempts: 1 });
    expect((await readdir(path.join(h.storageDir, "tasks", id, "source"))).sort()).toEqual([
      "original.mp4",
      "subtitles.srt",
    ]);
  });

  it("plans from the real length of a 6 s Matroska file whose header claims 3 hours", async () => {
    const mkv = path.join(inputs, "liar.mkv");
    await runFfmpeg(["-i", sample.video, "-c", "copy", mkv]);
    await claimMkvDuration(mkv, 3 * 3600);
    const id = await h.submit({ video: mkv, subtitles: sample.srt });
    await h.waitForEnd(id, 180_000);
    const snap = await h.snapshot(id);
    expect(snap?.status, snap?.errorMessage ?? "").toBe("completed");
    expect(Math.abs((snap?.durationMs ?? 0) - 6000)).toBeLessThan(200);
    expect(snap?.segments.length).toBeLessThanOrEqual(2);
  });

  it("subtitles are parsed here, with caps: a 100 000-character line fails with SUBTITLES_LINE_TOO_LONG", async () => {
    const srt = path.join(inputs, "hostile.srt");
    await writeFile(srt, `1\n00:00:00,500 --> 00:00:02,000\n${"<".repeat(100_000)}\n`);
    const id = await h.submit({ video: sample.video, subtitles: srt });
    expect(await failure(id)).toEqual({ status: "failed", code: "SUBTITLES_LINE_TOO_LONG", attempts: 1 });
  });

  it("malformed subtitles fail at once with INVALID_SUBTITLES", async () => {
    const srt = path.join(inputs, "broken.srt");
    await writeFile(srt, "this is not\nan srt file\n");
    const id = await h.submit({ video: sample.video, subtitles: srt });
    expect(await failure(id)).toEqual({ status: "failed", code: "INVALID_SUBTITLES", attempts: 1 });
  });
});
