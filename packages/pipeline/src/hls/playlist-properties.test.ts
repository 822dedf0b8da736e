/**
 * Properties of the playlist writer: any input gives a playlist that a player reads back
 * exactly (one EXTINF and one URI per segment, finite non-negative durations within the
 * target, ENDLIST iff ended), or a clean PipelineError — never a crash or a hang.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isPipelineError } from "../errors";
import { buildPlaylist } from "./playlist";
/** A playlist as a player reads it: tags, and one URI after each EXTINF. */
function readPlaylist(text: string) {
  const lines = text.split("\n");
  expect(lines.pop()).toBe("");
  const target = Number(/^#EXT-X-TARGETDURATION:(\d+)$/m.exec(text)?.[1]);
  const entries: { durationSec: number; uri: string }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const extinf = /^#EXTINF:([^,]*),$/.exec(lines[i] ?? "");
    if (extinf) entries.push({ durationSec: Number(extinf[1]), uri: lines[++i] ?? "" });
  }
  return { lines, target, entries, ended: lines.at(-1) === "#EXT-X-ENDLIST" };
}

describe("buildPlaylist properties (fast-check, bounded runs)", () => {
  const segment = fc.record(
    {
      uri: fc.oneof(fc.constantFrom("seg_0_0.ts", "seg_12_3.ts"), fc.string({ maxLength: 30 })),
      durationSec: fc.oneof(fc.double({ min: 0, max: 3600, noNaN: true }), fc.double()),
      discontinuity: fc.boolean(),
    },
    { requiredKeys: ["uri", "durationSec"] },
  );
  const options = fc.record(
    {
      segments: fc.array(segment, { maxLength: 40 }),
      ended: fc.boolean(),
      targetDurationSec: fc.oneof(fc.integer({ min: 0, max: 60 }), fc.double()),
    },
    { requiredKeys: ["segments", "ended"] },
  );

  it("any input gives a playlist a player reads back exactly, or a clean PipelineError", () => {
    fc.assert(
      fc.property(options, (opts) => {
        let text: string;
        try {
          text = buildPlaylist(opts);
        } catch (e) {
          expect(isPipelineError(e), String(e)).toBe(true);
          return;
        }
        const read = readPlaylist(text);
        expect(read.lines[0]).toBe("#EXTM3U");
        expect(Number.isInteger(read.target) && read.target >= 1).toBe(true);
        expect(read.entries.map((e) => e.uri)).toEqual(opts.segments.map((s) => s.uri));
        for (const e of read.entries) {
          expect(Number.isFinite(e.durationSec) && e.durationSec >= 0).toBe(true);
          expect(e.durationSec).toBeLessThanOrEqual(read.target);
        }
        expect(read.ended).toBe(opts.ended);
        expect(text.match(/#EXT-X-ENDLIST/g)?.length ?? 0).toBe(opts.ended ? 1 : 0);
      }),
      { numRuns: 500 },
    );
  });

  it("a long playlist is written without a crash (no argument-count limits)", () => {
    const segments = Array.from({ length: 200_000 }, (_, i) => ({ uri: `seg_${i}_0.ts`, durationSec: 6 }));
    expect(readPlaylist(buildPlaylist({ segments, ended: true })).entries).toHaveLength(200_000);
  });
});
