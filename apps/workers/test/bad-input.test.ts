/**
 * Bad input found while the task runs: each fails the task at once (or after the retries
 * a remote outage deserves) with a clear code, leaves the workers running, and never
 * writes outside the task folder. Secrets never reach the logs.
 */
import { spawnSync } from "node:child_process";
import { readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { makeSampleVideo } from "@vitranslator/testkit";
import type { SampleVideo } from "@vitranslator/testkit";
import { createHarness } from "./harness";
import type { Harness } from "./harness";

let h: Harness;
let silent: SampleVideo;
let withAudio: SampleVideo;

beforeAll(async () => {
  h = await createHarness();
  const dir = path.join(h.storageDir, "inputs");
  silent = await makeSampleVideo({ dir, durationMs: 8000, withAudio: false, name: "no-audio" });
  withAudio = await makeSampleVideo({ dir, durationMs: 8000, name: "with-audio" });
  h.start();
});
afterAll(async () => h?.close());

const attempts = async (id: string) =>
  (await h.t.db.stageRun.findMany({ where: { taskId: id } })).map((r) => r.attempts);

describe("task-time bad input", () => {
  it("a video without audio and without subtitles fails at once with NO_AUDIO", async () => {
    const id = await h.submit({ video: silent.video });
    await h.waitForEnd(id, 60_000);
    const snap = await h.snapshot(id);
    expect([snap?.status, snap?.errorCode]).toEqual(["failed", "NO_AUDIO"]);
    expect(await attempts(id)).toEqual([1]);
  });

  it("a video without audio is dubbed from its subtitles", async () => {
    const id = await h.submit({ video: silent.video, subtitles: silent.srt });
    await h.waitForEnd(id, 120_000);
    const snap = await h.snapshot(id);
    expect(snap?.status, snap?.errorMessage ?? "").toBe("completed");
    expect(snap!.sentences.every((s) => s.translation?.startsWith("[fr] "))).toBe(true);
  });

  it("subtitles that do not match the video fail with SUBTITLES_MISMATCH", async () => {
    const late = path.join(h.storageDir, "inputs", "late.srt");
    await writeFile(late, "1\n00:10:00,000 --> 00:10:02,000\nLong after the end.\n");
    const id = await h.submit({ video: withAudio.video, subtitles: late });
    await h.waitForEnd(id, 60_000);
    const snap = await h.snapshot(id);
    expect([snap?.status, snap?.errorCode]).toEqual(["failed", "SUBTITLES_MISMATCH"]);
    expect(await attempts(id)).toEqual([1]);
  });

  it("a video whose stream cannot be decoded fails at once with UNDECODABLE_MEDIA", async () => {
    // Valid container, header claims a codec, payload is garbage: probing passes, decoding fails.
    const broken = path.join(h.storageDir, "inputs", "broken.mp4");
    spawnSync("cp", [withAudio.video, broken]);
    const fd = await import("node:fs/promises").then((fs) => fs.open(broken, "r+"));
    const { size } = await fd.stat();
    await fd.write(Buffer.alloc(Math.floor(size * 0.8), 0x5a), 0, undefined, Math.floor(size * 0.05));
    await fd.close();
    const id = await h.submit({ video: broken, subtitles: withAudio.srt });
    await h.waitForEnd(id, 120_000);
    const snap = await h.snapshot(id);
    expect([snap?.status, snap?.errorCode]).toEqual(["failed", "UNDECODABLE_MEDIA"]);
    // Bad input: failed on the first attempt, no retries.
    expect(Math.max(...(await attempts(id)))).toBe(1);
  });

  it("an LLM endpoint that is down fails the task after the retries, and the API key is never logged", async () => {
    const writes: string[] = [];
    const capture = (chunk: unknown) => {
      writes.push(String(chunk));
      return true;
    };
    const out = vi.spyOn(process.stdout, "write").mockImplementation(capture);
    const err = vi.spyOn(process.stderr, "write").mockImplementation(capture);
    try {
      await h.stopWorkers();
      h.start(undefined, { LLM_API_KEY: "sk-very-secret-key-123", LOG_LEVEL: "info" });
      h.llm.setBehaviour({ failStatus: 503, failOn: "chat" });
      const id = await h.submit({ video: withAudio.video, subtitles: withAudio.srt });
      await h.waitForEnd(id, 120_000);
      const snap = await h.snapshot(id);
      expect(snap?.status).toBe("failed");
      expect(snap?.errorStage).toBe("translate");
      expect(snap?.errorCode).toMatch(/^[A-Z_]+$/);
      const translateRuns = (
        await h.t.db.stageRun.findMany({ where: { taskId: id, stage: "translate" } })
      ).map((r) => r.attempts);
      expect(Math.max(...translateRuns)).toBe(4);
    } finally {
      out.mockRestore();
      err.mockRestore();
      h.llm.setBehaviour({});
    }
    expect(writes.join("").length).toBeGreaterThan(0);
    expect(writes.join("")).not.toContain("sk-very-secret-key-123");
    // Nothing was written outside the task folders.
    expect((await readdir(h.storageDir)).sort()).toEqual(["inputs", "tasks"]);
  });
});
