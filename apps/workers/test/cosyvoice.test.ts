/**
 * A whole dub through the CosyVoice engine: the real workers, Postgres, Redis, ffmpeg, and a
 * local gRPC server that speaks the upstream CosyVoice proto.
 */
import path from "node:path";
import { makeSampleVideo, startFakeCosyVoice } from "@vitranslator/testkit";
import type { FakeCosyVoice, SampleVideo } from "@vitranslator/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness } from "./harness";
import type { Harness } from "./harness";

let h: Harness;
let cosy: FakeCosyVoice;
let sample: SampleVideo;

beforeAll(async () => {
  h = await createHarness();
  cosy = await startFakeCosyVoice({ sampleRate: 24_000 });
  sample = await makeSampleVideo({ dir: path.join(h.storageDir, "inputs"), durationMs: 14_000 });
});
afterAll(async () => {
  await h?.close();
  await cosy?.close();
});

/** Dubs the English sample into Chinese (cross-lingual for CosyVoice) and waits for the end. */
async function dubIntoChinese() {
  const id = await h.submit({
    video: sample.video,
    subtitles: sample.srt,
    sourceLanguage: "en",
    targetLanguage: "zh",
  });
  await h.waitForEnd(id);
  return { id, snap: await h.snapshot(id) };
}

describe("dubbing through CosyVoice", () => {
  it("clones the original voice cross-lingually for every sentence and completes the dub", async () => {
    h.start(undefined, { TTS_ENGINE: "cosyvoice", COSYVOICE_ADDR: cosy.address, COSYVOICE_VERSION: "2" });
    const { snap } = await dubIntoChinese();
    expect(snap?.status, snap?.errorMessage ?? "").toBe("completed");
    expect(snap!.finalReady).toBe(true);

    // English speech dubbed into Chinese: cross-lingual, with the segment's reference clip
    // sent as 16 kHz int16 PCM (1–8 s of it).
    const sentences = snap!.sentences;
    expect(sentences.length).toBe(sample.lines.length);
    expect(cosy.requests.length).toBeGreaterThanOrEqual(sentences.length);
    for (const r of cosy.requests) {
      expect(r.mode).toBe("cross_lingual");
      expect(r.promptAudio!.length).toBeGreaterThan(16_000 * 2);
      expect(r.promptAudio!.length).toBeLessThanOrEqual(8 * 16_000 * 2 + 64);
    }
    // Each sentence's predicted duration is the length of what the server streamed for its text.
    for (const s of sentences) {
      const asked = cosy.requests.filter((r) => r.ttsText === s.spokenText);
      expect(asked.length, s.spokenText ?? "").toBeGreaterThan(0);
      expect(s.predictedMs!).toBeGreaterThan(cosy.toneMs(s.spokenText!) - 50);
      expect(s.predictedMs!).toBeLessThan(cosy.toneMs(s.spokenText!) + 50);
    }
  });

  it("an upstream server that cannot read prompts fails the task at once with TTS_SERVER_MISMATCH (no retries)", async () => {
    const unpatched = await startFakeCosyVoice({ upstream: "unpatched-file-prompt" });
    try {
      await h.stopWorkers();
      h.start(undefined, {
        TTS_ENGINE: "cosyvoice",
        COSYVOICE_ADDR: unpatched.address,
        COSYVOICE_VERSION: "3",
      });
      const { id, snap } = await dubIntoChinese();
      expect([snap?.status, snap?.errorCode]).toEqual(["failed", "TTS_SERVER_MISMATCH"]);
      expect(snap?.errorMessage).toContain("server.py");
      const runs = await h.t.db.stageRun.findMany({ where: { taskId: id, stage: "tts" } });
      expect(runs.length).toBeGreaterThan(0);
      expect(Math.max(...runs.map((r) => r.attempts))).toBe(1);
      expect(unpatched.requests.every((r) => r.mode === "cross_lingual")).toBe(true);
    } finally {
      await unpatched.close();
    }
  });
});
