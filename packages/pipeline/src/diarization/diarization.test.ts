import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { useTmpDir } from "@vitranslator/testkit/hooks";
import { assignSpeakers } from "./assign";
import { cosine, emptyBook, matchClusters, speakerBookPath, updateSpeakerBook } from "./centroids";
import type { SpeakerBook } from "./centroids";

describe("assignSpeakers", () => {
  const turns = [
    { startMs: 0, endMs: 2000, speaker: "S1" },
    { startMs: 1800, endMs: 5000, speaker: "S2" },
    { startMs: 5200, endMs: 6000, speaker: "S1" },
  ];
  it("gives each sentence the speaker with the most overlap", () => {
    expect(
      assignSpeakers({
        sentences: [
          { startMs: 0, endMs: 1900 },
          { startMs: 1500, endMs: 4000 },
          { startMs: 4800, endMs: 6000 },
        ],
        turns,
      }),
    ).toEqual(["S1", "S2", "S1"]);
  });
  it("takes the nearest turn for a sentence in a gap, and null when none is near", () => {
    expect(
      assignSpeakers({
        sentences: [
          { startMs: 6300, endMs: 7000 },
          { startMs: 9000, endMs: 9500 },
        ],
        turns,
      }),
    ).toEqual(["S1", null]);
  });
});

describe("matchClusters", () => {
  const a = [1, 0, 0];
  const b = [0, 1, 0];
  it("labels new speakers S1, S2 and keeps them across segments", () => {
    const first = matchClusters({
      book: emptyBook(),
      segmentIndex: 0,
      clusters: [
        { cluster: 0, embedding: a },
        { cluster: 1, embedding: b },
      ],
    });
    expect([...first.labels]).toEqual([
      [0, "S1"],
      [1, "S2"],
    ]);
    // Next segment: the clusters come in the other order, slightly different voices.
    const second = matchClusters({
      book: first.book,
      segmentIndex: 1,
      clusters: [
        { cluster: 0, embedding: [0.1, 0.95, 0] },
        { cluster: 1, embedding: [0.9, 0.1, 0.1] },
      ],
    });
    expect([...second.labels]).toEqual([
      [0, "S2"],
      [1, "S1"],
    ]);
    expect(second.book.speakers.map((s) => s.count)).toEqual([2, 2]);
    expect(cosine(second.book.speakers[0]?.centroid ?? [], a)).toBeGreaterThan(0.95);
  });
  it("never gives one known speaker to two clusters of the same segment, and adds an unknown voice", () => {
    const book = matchClusters({
      book: emptyBook(),
      segmentIndex: 0,
      clusters: [{ cluster: 0, embedding: a }],
    }).book;
    const r = matchClusters({
      book,
      segmentIndex: 1,
      clusters: [
        { cluster: 0, embedding: [0.9, 0.1, 0] },
        { cluster: 1, embedding: [0.95, 0, 0.05] },
        { cluster: 2, embedding: [0, 0, 1] },
      ],
    });
    expect(r.labels.get(1)).toBe("S1");
    expect(r.labels.get(0)).toBe("S2");
    expect(r.labels.get(2)).toBe("S3");
  });
  it("returns the recorded labels when a segment is processed again", () => {
    const first = matchClusters({
      book: emptyBook(),
      segmentIndex: 3,
      clusters: [{ cluster: 0, embedding: a }],
    });
    const again = matchClusters({
      book: first.book,
      segmentIndex: 3,
      clusters: [{ cluster: 0, embedding: b }],
    });
    expect(again.book).toBe(first.book);
    expect(again.labels.get(0)).toBe("S1");
  });
});

describe("updateSpeakerBook", () => {
  const tmp = useTmpDir("vt-spk-", { each: true });
  it("serialises concurrent updates of work/speakers.json", async () => {
    const add = (k: number) =>
      updateSpeakerBook({
        taskDir: tmp.dir,
        update: (book) => {
          const r = matchClusters({
            book,
            segmentIndex: k,
            clusters: [{ cluster: 0, embedding: [k + 1, 1, 0] }],
            threshold: 0.9999,
          });
          return { book: r.book, result: r.labels.get(0) };
        },
      });
    const labels = await Promise.all([0, 1, 2, 3, 4].map(add));
    const book = JSON.parse(await readFile(speakerBookPath(tmp.dir), "utf8")) as SpeakerBook;
    expect(Object.keys(book.segments).sort()).toEqual(["0", "1", "2", "3", "4"]);
    expect(new Set(labels).size).toBe(5);
    expect(book.speakers).toHaveLength(5);
  });
});
