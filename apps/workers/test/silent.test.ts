/** Inputs without a picture or without speech: an audio-only file, and a silent video. */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeSampleVideo, makeVideo } from "@vitranslator/testkit";
import { createHarness } from "./harness";
import type { Harness } from "./harness";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
  h.start();
});
afterAll(async () => h?.close());

describe("silent video", () => {
  it("completes with NOTHING_TO_DUB and returns the original, without needing speech recognition", async () => {
    const dir = path.join(h.storageDir, "inputs");
    await mkdir(dir, { recursive: true });
    const video = path.join(dir, "silent.mp4");
    await expect(makeVideo({ out: video, durationS: 8, audio: "silence" })).resolves.toBe(video);
    const id = await h.submit({ video });
    await h.waitForEnd(id, 120_000);
    const snap = await h.snapshot(id);
    expect([snap?.status, snap?.errorCode]).toEqual(["completed", "NOTHING_TO_DUB"]);
    expect(snap?.sentences).toEqual([]);
    expect(existsSync(path.join(h.storageDir, "tasks", id, "out", "fr", "dubbed.mp4"))).toBe(true);
  });

  it("dubs an audio-only file into an audio-only stream and download", async () => {
    const sample = await makeSampleVideo({ dir: path.join(h.storageDir, "inputs-audio"), durationMs: 9000 });
    const audio = path.join(h.storageDir, "inputs-audio", "talk.m4a");
    expect(spawnSync("ffmpeg", ["-y", "-i", sample.video, "-vn", "-c:a", "copy", audio]).status).toBe(0);
    const id = await h.submit({ video: audio, subtitles: sample.srt });
    await h.waitForEnd(id, 180_000);
    const snap = await h.snapshot(id);
    expect(snap?.status, snap?.errorMessage ?? "").toBe("completed");
    expect(snap?.hasVideo).toBe(false);
    expect(snap?.sentences.every((s) => s.translation?.startsWith("[fr] "))).toBe(true);
    const probe = spawnSync(
      "ffprobe",
      [
        "-v",
        "error",
        "-show_entries",
        "stream=codec_type",
        "-of",
        "csv=p=0",
        path.join(h.storageDir, "tasks", id, "out", "fr", "dubbed.mp4"),
      ],
      { encoding: "utf8" },
    );
    expect(probe.stdout.trim().split("\n")).toEqual(["audio"]);
  });
});
