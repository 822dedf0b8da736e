import type { SentenceView, TaskSnapshot } from "@vitranslator/api/types";
import { describe, expect, it } from "vitest";
import { audioTrackIndex, audioTrackValue, ORIGINAL_AUDIO } from "./hls-player";
import { languagesFromSnapshot, languagesToLoad, languageState, reduceLanguages } from "./languages-state";
import type { LanguagesState } from "./languages-state";

function sentence(index: number, translation: string | null): SentenceView {
  return {
    index,
    segmentIndex: 0,
    startMs: index * 1000,
    endMs: index * 1000 + 900,
    speaker: null,
    sourceText: `s${index}`,
    translation,
    spokenText: null,
    stage: translation ? "translate" : "asr",
    speed: null,
    overrunMs: null,
    predictedMs: null,
    slotMs: null,
    shortenAttempts: 0,
    placedStartMs: null,
    placedMs: null,
  };
}

function snapshot(language: string, over: Partial<TaskSnapshot> = {}): TaskSnapshot {
  return {
    id: "t",
    targetLanguage: "fr",
    language,
    languages: ["fr", "es"],
    finalLanguages: [],
    status: "processing",
    segmentCount: 1,
    publishedCount: 0,
    finalReady: false,
    errorCode: null,
    errorMessage: null,
    durationMs: 10_000,
    startedAt: null,
    segments: [{ index: 0, startMs: 0, durationMs: 10_000, status: "processing" }],
    sentences: [sentence(0, null)],
    ...over,
  } as unknown as TaskSnapshot;
}

const translated = (s: LanguagesState, language: string) =>
  languageState(s, language)?.sentences.map((x) => x.translation);

describe("several languages on one feed", () => {
  it("loads a language on demand and keeps the events that came while it loaded", () => {
    let s = languagesFromSnapshot(snapshot("fr"));
    expect(languagesToLoad(s, ["fr", "es", "de"])).toEqual(["es"]);
    s = reduceLanguages(s, { kind: "want", language: "es" });
    expect(languagesToLoad(s, ["es"])).toEqual([]);
    s = reduceLanguages(s, {
      kind: "event",
      event: { type: "sentences", segmentIndex: 0, language: "es", sentences: [sentence(0, "[es] s0")] },
    });
    // The snapshot was read before that event: the event is applied on top of it.
    s = reduceLanguages(s, { kind: "loaded", task: snapshot("es") });
    expect(translated(s, "es")).toEqual(["[es] s0"]);
    expect(translated(s, "fr")).toEqual([null]);
  });

  it("applies each language's events to that language only, task events to all", () => {
    let s = languagesFromSnapshot(snapshot("fr"));
    s = reduceLanguages(s, { kind: "want", language: "es" });
    s = reduceLanguages(s, { kind: "loaded", task: snapshot("es") });
    s = reduceLanguages(s, {
      kind: "event",
      event: { type: "published", language: "es", index: 0, publishedCount: 1, segmentCount: 1 },
    });
    s = reduceLanguages(s, { kind: "event", event: { type: "task", status: "failed", errorCode: "X" } });
    expect(languageState(s, "es")?.publishedCount).toBe(1);
    expect(languageState(s, "fr")?.publishedCount).toBe(0);
    expect([languageState(s, "fr")?.status, languageState(s, "es")?.status]).toEqual(["failed", "failed"]);
  });

  it("follows final files per language, the all-tracks MP4, re-dubs and added languages", () => {
    let s = languagesFromSnapshot(snapshot("fr"));
    s = reduceLanguages(s, { kind: "event", event: { type: "final", language: "fr", mp4: true, srt: true } });
    expect([s.finalLanguages, s.allFinal]).toEqual([["fr"], false]);
    s = reduceLanguages(s, {
      kind: "event",
      event: { type: "final", language: "es", mp4: true, srt: true, all: true },
    });
    expect([s.finalLanguages, s.allFinal]).toEqual([["fr", "es"], true]);
    s = reduceLanguages(s, {
      kind: "event",
      event: { type: "redub", language: "es", segmentIndex: 0, revision: 1, status: "done" },
    });
    expect([s.finalLanguages, s.allFinal]).toEqual([["fr"], false]);
    s = reduceLanguages(s, {
      kind: "event",
      event: { type: "language", language: "de", languages: ["fr", "es", "de"] },
    });
    // Replayed after a reconnect: counted once.
    s = reduceLanguages(s, {
      kind: "event",
      event: { type: "language", language: "de", languages: ["fr", "es", "de"] },
    });
    expect([s.languages, s.added]).toEqual([["fr", "es", "de"], 1]);
    expect(languagesToLoad(s, ["de"])).toEqual(["de"]);
  });

  it("counts a second language's published parts from its own segments", () => {
    const es = snapshot("es", {
      publishedCount: 3,
      segments: [{ index: 0, startMs: 0, durationMs: 10_000, status: "published" }],
    } as Partial<TaskSnapshot>);
    let s = languagesFromSnapshot(snapshot("fr"));
    s = reduceLanguages(s, { kind: "loaded", task: es });
    expect(languageState(s, "es")?.publishedCount).toBe(1);
  });
});

describe("audio renditions", () => {
  const tracks = [{ lang: "fr" }, { lang: "es" }, { lang: "und" }];
  it("maps menu values to hls.js audio tracks and back", () => {
    expect(audioTrackIndex(tracks, "es")).toBe(1);
    expect(audioTrackIndex(tracks, ORIGINAL_AUDIO)).toBe(2);
    expect(audioTrackIndex(tracks, "de")).toBe(-1);
    expect(audioTrackValue(tracks[2])).toBe(ORIGINAL_AUDIO);
    expect(audioTrackValue(tracks[0])).toBe("fr");
    expect(audioTrackValue(undefined)).toBeNull();
  });
});
