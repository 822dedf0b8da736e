import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeAudio } from "@vitranslator/testkit";
import { useTmpDir } from "@vitranslator/testkit/hooks";
import { readWavFormat } from "../audio/wav";
import { cutReference, planReferences, referenceFileName } from "./reference";

const s = (
  index: number,
  startMs: number,
  endMs: number,
  speaker: string | null,
  sourceText = `line ${index}`,
) => ({
  index,
  startMs,
  endMs,
  speaker,
  sourceText,
});

describe("planReferences", () => {
  it("takes each speaker's longest sentence, earliest on ties, and drops the text of a clip cut short", () => {
    const plans = planReferences([
      s(0, 0, 2000, "A"),
      s(1, 2000, 5000, "B"),
      s(2, 5000, 8000, "B"),
      s(3, 8000, 18_000, "A", "a very long line"),
      s(4, 18_000, 19_000, null),
    ]);
    expect(plans.get("A")).toEqual({ speaker: "A", startMs: 8000, durationMs: 8000, text: null });
    expect(plans.get("B")).toEqual({ speaker: "B", startMs: 2000, durationMs: 3000, text: "line 1" });
    expect(plans.get("")).toEqual({ speaker: null, startMs: 18_000, durationMs: 1000, text: "line 4" });
  });

  it("names clip files safely and distinctly", () => {
    expect(referenceFileName(null)).toBe("_unlabelled.wav");
    const a = referenceFileName("../x y");
    expect(a).toMatch(/^[A-Za-z0-9_-]+\.wav$/);
    expect(referenceFileName("x/y")).not.toBe(referenceFileName("x y"));
  });
});

describe("cutReference (ffmpeg)", () => {
  const tmp = useTmpDir();

  it("cuts the speaker's sentence out of the segment audio as 16 kHz mono", async () => {
    const audio = await makeAudio({ out: join(tmp.dir, "seg.wav"), durationS: 4 });
    const out = await cutReference({
      plan: { speaker: "A", startMs: 11_000, durationMs: 1500, text: null },
      segmentAudio: audio,
      segmentStartMs: 10_000,
      out: join(tmp.dir, "ref.wav"),
    });
    const fmt = await readWavFormat(out);
    expect(fmt).toMatchObject({ sampleRate: 16_000, channels: 1, bitsPerSample: 16 });
    expect(fmt.durationMs).toBeCloseTo(1500, -1);
  });
});
