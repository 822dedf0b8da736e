/**
 * The tts stage hands each sentence's speaker and that speaker's own reference clip to the
 * engine (real CosyVoice engine over gRPC to the local stand-in; real espeak-ng, ffmpeg).
 */
import { readFile } from "node:fs/promises";
import { makeAudio, makeTmpDir, startFakeCosyVoice } from "@vitranslator/testkit";
import type { FakeCosyVoice } from "@vitranslator/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { layout } from "../layout";
import type { SentenceRecord, SentenceUpdate, StageContext, TaskRecord, TaskStore } from "../ports";
import { CosyVoiceEngine } from "../tts/cosyvoice/engine";
import { EspeakEngine } from "../tts/espeak";
import type { TtsEngine } from "../tts/types";
import { ensureParent } from "./common";
import { ttsStage } from "./tts";

const sentence = (index: number, startMs: number, endMs: number, speaker: string | null, text: string) =>
  ({
    index,
    segmentIndex: 0,
    startMs,
    endMs,
    speaker,
    sourceText: `source ${index}`,
    translation: text,
    spokenText: text,
    stage: "modelin",
    speed: null,
    overrunMs: null,
    predictedMs: null,
    slotMs: null,
    shortenAttempts: 0,
    placedStartMs: null,
    placedMs: null,
  }) satisfies SentenceRecord;

const SENTENCES = [
  sentence(0, 0, 2000, "S1", "第一句话"),
  sentence(1, 2000, 5000, "S2", "第二句话，稍微长一点"),
  sentence(2, 5000, 6000, "S1", "第三句"),
];

let tmp: Awaited<ReturnType<typeof makeTmpDir>>;
let cosy: FakeCosyVoice;

beforeAll(async () => {
  tmp = await makeTmpDir();
  cosy = await startFakeCosyVoice();
  await makeAudio({ out: await ensureParent(layout.segAudio(tmp.dir, 0)), durationS: 6 });
});
afterAll(async () => {
  await cosy?.close();
  await tmp?.cleanup();
});

async function runStage(tts: TtsEngine, targetLanguage: string, sentences: SentenceRecord[] = SENTENCES) {
  const updates: SentenceUpdate[] = [];
  const task = {
    id: "t1",
    sourceLanguage: "en",
    targetLanguage,
    options: {},
    hasAudio: true,
  } as TaskRecord;
  const store = {
    getTask: () => Promise.resolve(task),
    getSegment: () =>
      Promise.resolve({ index: 0, startMs: 0, durationMs: 6000, status: "processing", hlsDurationMs: null }),
    listSentences: () => Promise.resolve(sentences),
    updateSentences: (_id: string, _language: string, u: SentenceUpdate[]) =>
      Promise.resolve(void updates.push(...u)),
  } as unknown as TaskStore;
  const ctx = {
    store,
    taskDir: tmp.dir,
    engines: { tts, translator: null, transcriber: null },
    config: { ttsConcurrency: 2 },
    signal: new AbortController().signal,
  } as unknown as StageContext;
  await ttsStage.run({ taskId: task.id, segmentIndex: 0, language: targetLanguage }, ctx);
  return updates;
}

describe("tts stage", () => {
  it("clones each speaker from their own longest sentence", async () => {
    const engine = new CosyVoiceEngine({ address: cosy.address });
    try {
      const updates = await runStage(engine, "zh");
      expect(updates.map((u) => u.index).sort()).toEqual([0, 1, 2]);
      const promptBytes = (text: string) =>
        cosy.requests.find((r) => r.ttsText === text)?.promptAudio?.length;
      // S1's clip is its 2 s sentence, S2's its 3 s one (16 kHz int16): the same clip for both S1 lines.
      expect(promptBytes("第一句话")).toBeCloseTo(2 * 32_000, -3);
      expect(promptBytes("第三句")).toBe(promptBytes("第一句话"));
      expect(promptBytes("第二句话，稍微长一点")).toBeCloseTo(3 * 32_000, -3);
      expect(cosy.requests.every((r) => r.mode === "cross_lingual")).toBe(true);
    } finally {
      engine.close();
    }
  });

  it("gives each speaker their own espeak voice", async () => {
    const same = [sentence(0, 0, 2000, "S1", "Hello there."), sentence(1, 2000, 4000, "S2", "Hello there.")];
    const updates = await runStage(new EspeakEngine(), "en", same);
    expect(updates).toHaveLength(2);
    // The same words, two speakers: two different voices.
    const [a, b] = await Promise.all([0, 1].map((i) => readFile(layout.draft(tmp.dir, 0, "en", i))));
    expect(a!.equals(b!)).toBe(false);
  });
});
