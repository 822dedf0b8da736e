import { describe, expect, it } from "vitest";
import { downloadBanner } from "./model-downloads";
import type { ModelPackProgress } from "@vitranslator/pipeline";

const progress = (over: Partial<ModelPackProgress>): ModelPackProgress => ({
  state: "running",
  fraction: 0.5,
  updatedAt: "2026-01-01T00:00:00.000Z",
  models: [
    { name: "silero_vad.onnx", purpose: "vad", state: "installed", received: 1e6, total: 1e6 },
    { name: "model.gguf", purpose: "translation", state: "downloading", received: 250e6, total: 1000e6 },
    { name: "asr", purpose: "speech recognition", state: "pending", received: 0, total: 1000e6 },
  ],
  ...over,
});

describe("downloadBanner", () => {
  it("shows the models still on their way with their progress", () => {
    const b = downloadBanner(progress({}));
    expect(b?.tone).toBe("progress");
    expect(b?.title).toBe("Downloading the local models (1 of 3 ready, 50%)");
    expect(b?.rows).toEqual([
      { name: "model.gguf", purpose: "translation", percent: 25, text: "250 MB of 1000 MB" },
      { name: "asr", purpose: "speech recognition", percent: null, text: "waiting" },
    ]);
  });

  it("says what to do when the download failed or stopped, and nothing once all are there", () => {
    const failed = progress({
      state: "incomplete",
      models: [
        {
          name: "m.gguf",
          purpose: "t",
          state: "failed",
          received: 0,
          total: null,
          error: "MODEL_DOWNLOAD_FAILED",
        },
      ],
    });
    expect(downloadBanner(failed)).toMatchObject({
      tone: "problem",
      title: "1 local model(s) could not be downloaded",
      rows: [{ text: "not downloaded (MODEL_DOWNLOAD_FAILED)" }],
    });
    expect(downloadBanner(failed)?.hint).toContain("npm run models");
    expect(downloadBanner(progress({ state: "stalled" }))?.title).toContain("stopped");
    expect(downloadBanner(progress({ state: "done" }))).toBeNull();
    expect(downloadBanner(null)).toBeNull();
  });
});
