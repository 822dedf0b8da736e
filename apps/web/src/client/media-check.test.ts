import { describe, expect, it } from "vitest";
import { limitError } from "./media-check";

const limits = { maxUploadMb: 100, maxDurationMin: 10 };

describe("limitError", () => {
  it("refuses a file over the size cap or the duration cap, with the numbers", () => {
    expect(limitError({ sizeBytes: 101 * 1024 * 1024, durationMs: 1000 }, limits)).toBe(
      "This file is 101 MB; the limit is 100 MB.",
    );
    expect(limitError({ sizeBytes: 1024, durationMs: 10 * 60_000 + 1 }, limits)).toBe(
      "This video is 11 min long; the limit is 10 min.",
    );
  });

  it("accepts a file within both, and leaves an unknown duration to the server", () => {
    expect(limitError({ sizeBytes: 100 * 1024 * 1024, durationMs: 10 * 60_000 }, limits)).toBeNull();
    expect(limitError({ sizeBytes: 1024, durationMs: null }, limits)).toBeNull();
  });
});
