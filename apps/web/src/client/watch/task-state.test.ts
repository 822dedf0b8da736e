import type { SentenceView, TaskSnapshot } from "@vitranslator/api/types";
import { describe, expect, it } from "vitest";
import {
  applyEvent,
  etaSeconds,
  fitNotes,
  formatTime,
  redubMark,
  sentenceAt,
  stageCounts,
  stateFromSnapshot,
} from "./task-state";
import type { WatchState } from "./task-state";

function sentence(index: number, segmentIndex: number, over: Partial<SentenceView> = {}): SentenceView {
  return {
    index,
    segmentIndex,
    startMs: index * 1000,
    endMs: index * 1000 + 900,
    speaker: null,
    sourceText: `s${index}`,
    translation: null,
    spokenText: null,
    stage: "asr",
    speed: null,
    overrunMs: null,
    predictedMs: null,
    slotMs: null,
    shortenAttempts: 0,
    placedStartMs: null,
    placedMs: null,
    ...over,
  };
}

const snapshot = {
  id: "t",
  targetLanguage: "fr",
  language: "fr",
  languages: ["fr"],
  finalLanguages: [],
  status: "processing",
  segmentCount: 2,
  publishedCount: 0,
  finalReady: false,
  errorCode: null,
  errorMessage: null,
  durationMs: 30_000,
  startedAt: null,
  segments: [
    { index: 0, startMs: 0, durationMs: 10_000, status: "published", hlsDurationMs: 10_000 },
    { index: 1, startMs: 10_000, durationMs: 20_000, status: "processing", hlsDurationMs: null },
  ],
  sentences: [sentence(1, 0), sentence(0, 0), sentence(2, 1)],
} as unknown as TaskSnapshot;

describe("watch state", () => {
  it("sorts the snapshot's sentences and replaces a segment's sentences on `sentences`", () => {
    const s0 = stateFromSnapshot(snapshot);
    expect(s0.sentences.map((s) => s.index)).toEqual([0, 1, 2]);
    const s1 = applyEvent(s0, {
      type: "sentences",
      language: "fr",
      segmentIndex: 0,
      sentences: [sentence(0, 0, { translation: "t0", stage: "translate" })],
    });
    expect(s1.sentences.map((s) => [s.index, s.translation])).toEqual([
      [0, "t0"],
      [2, null],
    ]);
  });

  it("never lowers the published count when an older event is replayed", () => {
    let s = applyEvent(stateFromSnapshot(snapshot), {
      type: "published",
      language: "fr",
      index: 1,
      publishedCount: 2,
      segmentCount: 2,
    });
    s = applyEvent(s, { type: "published", language: "fr", index: 0, publishedCount: 1, segmentCount: 2 });
    expect(s.publishedCount).toBe(2);
  });

  it("keeps the error of a failed task", () => {
    const s = applyEvent(stateFromSnapshot(snapshot), {
      type: "task",
      status: "failed",
      errorCode: "TTS_FAILED",
      errorMessage: "boom",
    });
    expect([s.status, s.errorCode, s.errorMessage]).toEqual(["failed", "TTS_FAILED", "boom"]);
  });

  it("finds the sentence at a playback position, [start, end)", () => {
    const list = stateFromSnapshot(snapshot).sentences;
    expect(sentenceAt(list, 1000)?.index).toBe(1);
    expect(sentenceAt(list, 1899)?.index).toBe(1);
    expect(sentenceAt(list, 1900)).toBeNull();
  });

  it("notes speed-ups, shortening and overruns", () => {
    expect(fitNotes(sentence(0, 0, { speed: 1.15, shortenAttempts: 1, overrunMs: 300 }))).toEqual([
      "sped up 1.15×",
      "shortened",
      "overruns 0.3 s",
    ]);
    expect(fitNotes(sentence(0, 0, { speed: 1.03 }))).toEqual([]);
    expect(formatTime(3_725_000)).toBe("1:02:05");
  });

  it("marks an edited line re-dubbing until its segment's revision is republished", () => {
    const edited = sentence(1, 0, { revision: 1 });
    // The edited line can arrive before the re-dub is queued: it is not re-dubbed yet.
    expect(redubMark(edited, stateFromSnapshot(snapshot).redubbed)).toBe("re-dubbing…");
    let s = applyEvent(stateFromSnapshot(snapshot), {
      type: "redub",
      language: "fr",
      segmentIndex: 0,
      revision: 1,
      status: "queued",
    });
    expect(redubMark(edited, s.redubbed)).toBe("re-dubbing…");
    expect(redubMark(sentence(2, 1), s.redubbed)).toBeNull();
    s = applyEvent(s, { type: "redub", language: "fr", segmentIndex: 0, revision: 1, status: "done" });
    expect(redubMark(edited, s.redubbed)).toBe("re-dubbed");
    expect(s.finalReady).toBe(false);
    // A reload during a re-dub: the snapshot's segment revisions say so.
    const reloaded = stateFromSnapshot({
      ...snapshot,
      segments: [
        {
          index: 0,
          startMs: 0,
          durationMs: 10_000,
          status: "published",
          hlsDurationMs: 1,
          revision: 2,
          publishedRevision: 1,
        },
      ],
    } as unknown as TaskSnapshot);
    expect(redubMark(sentence(1, 0, { revision: 2 }), reloaded.redubbed)).toBe("re-dubbing…");
  });

  it("estimates the time left from published media time per second of work", () => {
    const start = Date.parse("2026-01-01T00:00:00Z");
    let s: WatchState = { ...stateFromSnapshot(snapshot), startedAt: new Date(start).toISOString() };
    expect(etaSeconds(s, start + 10_000)).toBeNull(); // nothing published yet
    s = applyEvent(s, { type: "published", language: "fr", index: 0, publishedCount: 1, segmentCount: 2 });
    // 10 s of 30 s done in 20 s of work → 40 s left.
    expect(etaSeconds(s, start + 20_000)).toBe(40);
    expect(
      stageCounts([
        sentence(0, 0, { stage: "tts" }),
        sentence(1, 0, { stage: "asr" }),
        sentence(2, 0, { stage: "tts" }),
      ]),
    ).toEqual([
      { stage: "asr", count: 1 },
      { stage: "tts", count: 2 },
    ]);
  });
});
