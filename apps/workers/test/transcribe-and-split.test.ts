/** No subtitles (speech recognition over the OpenAI protocol) and two worker processes' stage subsets sharing a task. */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeSampleVideo } from "@vitranslator/testkit";
import type { SampleVideo } from "@vitranslator/testkit";
import { createHarness } from "./harness";
import type { Harness } from "./harness";

let h: Harness;
let sample: SampleVideo;

beforeAll(async () => {
  h = await createHarness();
  sample = await makeSampleVideo({ dir: path.join(h.storageDir, "inputs"), durationMs: 14_000 });
});
afterAll(async () => h?.close());

describe("transcription and split stages", () => {
  it("dubs a video without subtitles through the transcription endpoint, with stages split over two worker sets", async () => {
    h.start(["segment", "asr", "translate", "modelin"], { ASR_MODEL: "whisper-1" });
    h.start(["tts", "align", "audiogen", "mix"], { ASR_MODEL: "whisper-1" });
    const id = await h.submit({ video: sample.video, targetLanguage: "de" });
    await h.waitForEnd(id);
    const snap = await h.snapshot(id);
    expect(snap?.status, snap?.errorMessage ?? "").toBe("completed");
    expect(snap!.sentences.length).toBeGreaterThan(0);
    expect(snap!.sentences.every((s) => s.translation?.startsWith("[de] "))).toBe(true);
    expect(h.llm.requests.some((r) => r.path.endsWith("/audio/transcriptions"))).toBe(true);
    await h.stopWorkers();
  });

  it("fails with NO_ASR_ENGINE when there are neither subtitles nor a transcription model", async () => {
    h.start(["segment", "asr"]);
    const id = await h.submit({ video: sample.video, targetLanguage: "de" });
    await h.waitForEnd(id, 60_000);
    const snap = await h.snapshot(id);
    expect([snap?.status, snap?.errorCode]).toEqual(["failed", "NO_ASR_ENGINE"]);
  });
});
