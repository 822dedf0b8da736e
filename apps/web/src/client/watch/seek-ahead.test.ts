import { describe, expect, it } from "vitest";
import {
  askedSeekMs,
  landedAt,
  landedShort,
  needsDubbingFirst,
  pendingSeekReached,
  plannedDurationS,
  publishedEndMs,
} from "./seek-ahead";

// Eighteen 5 s parts (90 s), one published.
const parts = { partsMs: Array.from({ length: 18 }, () => 5000), publishedCount: 1, done: false };

describe("publishedEndMs / plannedDurationS", () => {
  it("sums the published parts, and all of them for the planned length", () => {
    expect(publishedEndMs(parts)).toBe(5000);
    expect(publishedEndMs({ ...parts, publishedCount: 0 })).toBe(0);
    expect(plannedDurationS(parts)).toBe(90);
  });

  it("has no planned length before planning or once nothing more comes", () => {
    expect(plannedDurationS({ partsMs: [], publishedCount: 0, done: false })).toBeNull();
    expect(plannedDurationS({ ...parts, done: true })).toBeNull();
  });
});

describe("needsDubbingFirst", () => {
  it("is true from the published end on, while more is coming", () => {
    expect(needsDubbingFirst(80_000, parts)).toBe(true);
    expect(needsDubbingFirst(5000, parts)).toBe(true);
    expect(needsDubbingFirst(4999, parts)).toBe(false);
    expect(needsDubbingFirst(80_000, { ...parts, done: true })).toBe(false);
  });
});

describe("askedSeekMs", () => {
  it("is where the element went when nothing waits", () => {
    expect(askedSeekMs({ currentMs: 80_000, pendingMs: null, seekableEndMs: 90_000 })).toBe(80_000);
    expect(askedSeekMs({ currentMs: 5000, pendingMs: null, seekableEndMs: 5000 })).toBe(5000);
  });

  it("keeps the waiting jump when the element clamped it to its seekable end", () => {
    expect(askedSeekMs({ currentMs: 5000, pendingMs: 80_000, seekableEndMs: 5000 })).toBe(80_000);
    expect(askedSeekMs({ currentMs: 4900, pendingMs: 80_000, seekableEndMs: 5000 })).toBe(80_000);
  });

  it("takes a new position the viewer chose while a jump waits", () => {
    // Back into what is dubbed, not at the edge.
    expect(askedSeekMs({ currentMs: 2000, pendingMs: 80_000, seekableEndMs: 5000 })).toBe(2000);
    // Further than the waiting jump.
    expect(askedSeekMs({ currentMs: 85_000, pendingMs: 80_000, seekableEndMs: 90_000 })).toBe(85_000);
    // Short of it, where the media reaches (not clamped).
    expect(askedSeekMs({ currentMs: 60_000, pendingMs: 80_000, seekableEndMs: 90_000 })).toBe(60_000);
  });
});

describe("landedShort / landedAt", () => {
  it("allows a quarter second either way", () => {
    expect(landedShort(5000, 80_000)).toBe(true);
    expect(landedShort(79_800, 80_000)).toBe(false);
    expect(landedAt(79_800, 80_000)).toBe(true);
    expect(landedAt(80_300, 80_000)).toBe(false);
  });
});

describe("pendingSeekReached", () => {
  it("waits until the part under the jump is published and the media reaches it", () => {
    const at = (publishedCount: number, seekableEndMs: number) =>
      pendingSeekReached({ pendingMs: 80_000, parts: { ...parts, publishedCount }, seekableEndMs });
    expect(at(1, 90_000)).toBe(false);
    // 16 parts end at 80 s: the part under 80 s is the 17th.
    expect(at(16, 90_000)).toBe(false);
    expect(at(17, 90_000)).toBe(true);
    // Published, but the element's media still ends short (its playlist not yet re-read).
    expect(at(17, 80_000)).toBe(false);
  });

  it("ends once nothing more comes", () => {
    expect(
      pendingSeekReached({ pendingMs: 80_000, parts: { ...parts, done: true }, seekableEndMs: 5000 }),
    ).toBe(true);
  });
});
