import { describe, expect, it } from "vitest";
import { ESPEAK_SPEAKER_VARIANTS, espeakVoiceForSpeaker, speakerSlot, voiceForSpeaker } from "./voices";

describe("speakerSlot", () => {
  it("uses the label's trailing number, so diarization's numbering gives distinct voices", () => {
    expect(["SPEAKER_00", "SPEAKER_01", "SPEAKER_02"].map((s) => speakerSlot(s, 6))).toEqual([0, 1, 2]);
    expect(speakerSlot("spk7", 6)).toBe(1);
    expect(speakerSlot("S 3 ", 4)).toBe(3);
  });

  it("hashes labels without a number, the same way every time", () => {
    const a = speakerSlot("Alice", 8);
    expect(speakerSlot("Alice", 8)).toBe(a);
    expect(a).toBeGreaterThanOrEqual(0);
    expect(a).toBeLessThan(8);
    // FNV-1a: a different label lands elsewhere for these two.
    expect(speakerSlot("Bob", 8)).not.toBe(a);
  });

  it("refuses an empty voice list", () => {
    expect(() => speakerSlot("x", 0)).toThrow(RangeError);
  });
});

describe("voiceForSpeaker", () => {
  it("gives one speaker the same voice in every segment, and no speaker the default", () => {
    const voices = ["alloy", "nova", "echo"];
    const segment0 = ["SPEAKER_01", "SPEAKER_00"].map((speaker) =>
      voiceForSpeaker({ speaker, voices, fallback: "x" }),
    );
    const segment7 = ["SPEAKER_00", "SPEAKER_01"].map((speaker) =>
      voiceForSpeaker({ speaker, voices, fallback: "x" }),
    );
    expect(segment0).toEqual(["nova", "alloy"]);
    expect(segment7).toEqual(["alloy", "nova"]);
    expect(voiceForSpeaker({ speaker: null, voices, fallback: "x" })).toBe("x");
    expect(voiceForSpeaker({ speaker: "SPEAKER_00", voices: [], fallback: "x" })).toBe("x");
  });
});

describe("espeakVoiceForSpeaker", () => {
  it("adds a variant per speaker and keeps an explicit variant", () => {
    expect(espeakVoiceForSpeaker("fr-fr", "SPEAKER_00")).toBe(`fr-fr+${ESPEAK_SPEAKER_VARIANTS[0]}`);
    expect(espeakVoiceForSpeaker("fr-fr", "SPEAKER_01")).toBe(`fr-fr+${ESPEAK_SPEAKER_VARIANTS[1]}`);
    expect(espeakVoiceForSpeaker("fr-fr", undefined)).toBe("fr-fr");
    expect(espeakVoiceForSpeaker("en-us+f3", "SPEAKER_00")).toBe("en-us+f3");
  });
});
