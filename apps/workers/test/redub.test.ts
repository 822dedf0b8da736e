/**
 * Re-dubbing one line on the real workers: the edited line's segment alone is redone,
 * its chunk is replaced in place (playlist untouched), and the final MP4 and subtitles
 * are rebuilt.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { editSentence } from "@vitranslator/db";
import { hls, layout } from "@vitranslator/pipeline";
import { closeQueues, createQueues, createRedis, enqueue, EventBus } from "@vitranslator/queue";
import type { TaskEvent } from "@vitranslator/queue";
import { makeSampleVideo } from "@vitranslator/testkit";
import type { SampleVideo } from "@vitranslator/testkit";
import { createHarness } from "./harness";
import type { Harness } from "./harness";

let h: Harness;
let sample: SampleVideo;

beforeAll(async () => {
  h = await createHarness();
  sample = await makeSampleVideo({ dir: path.join(h.storageDir, "inputs"), durationMs: 16_000 });
});
afterAll(async () => h?.close());

const md5 = async (file: string) =>
  createHash("md5")
    .update(await readFile(file))
    .digest("hex");

/** Events after `afterId` until `until` matches (or the timeout passes). */
async function eventsUntil(
  taskId: string,
  afterId: string,
  until: (e: TaskEvent) => boolean,
  timeoutMs = 120_000,
): Promise<TaskEvent[]> {
  const reader = createRedis(h.env.REDIS_URL);
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), timeoutMs);
  const seen: TaskEvent[] = [];
  try {
    for await (const e of new EventBus(reader, h.env.QUEUE_PREFIX).tail({
      taskId,
      afterId,
      signal: ac.signal,
      blockMs: 1000,
    })) {
      seen.push(e.event);
      if (until(e.event)) return seen;
    }
    throw new Error(`no matching event within ${timeoutMs} ms: ${JSON.stringify(seen.map((s) => s.type))}`);
  } finally {
    clearTimeout(timer);
    reader.disconnect();
  }
}

describe("re-dub one line", () => {
  it("replaces that segment's chunk in place and rebuilds the final MP4 and subtitles", async () => {
    h.start();
    const id = await h.submit({ video: sample.video, subtitles: sample.srt, targetLanguage: "fr" });
    const end = await h.waitForEnd(id);
    expect(end.at(-1)).toMatchObject({ type: "task", status: "completed" });
    const dir = path.join(h.storageDir, "tasks", id);
    const before = await h.snapshot(id);
    expect(before!.segments.length).toBeGreaterThan(1);
    const line = before!.sentences.find((s) => s.segmentIndex === 0)!;
    const chunk0 = layout.hlsFile(dir, hls.audioChunk("fr", 0, 0));
    const chunk1 = layout.hlsFile(dir, hls.audioChunk("fr", 1, 0));
    const video0 = layout.hlsFile(dir, hls.videoChunk(0, 0));
    const audioPlaylist = layout.hlsFile(dir, hls.audioPlaylist("fr"));
    const [playlist, hash0, hash1, videoHash, mp4] = await Promise.all([
      readFile(audioPlaylist, "utf8"),
      md5(chunk0),
      md5(chunk1),
      md5(video0),
      md5(layout.finalMp4(dir, "fr")),
    ]);

    // What task.editSentence does once the owner is checked.
    const redis = createRedis(h.env.REDIS_URL);
    const queues = createQueues(redis, h.env.QUEUE_PREFIX);
    const afterId = await new EventBus(redis, h.env.QUEUE_PREFIX).lastId(id);
    const newText = "Voici une phrase corrigée, nettement plus longue que la précédente, pour le test.";
    const edit = await editSentence(h.t.db, {
      taskId: id,
      language: "fr",
      index: line.index,
      translation: newText,
    });
    expect(edit).toMatchObject({ segmentIndex: 0, revision: 1, fromStage: "modelin" });
    await enqueue(queues, edit.fromStage, {
      taskId: id,
      segmentIndex: 0,
      language: "fr",
      revision: edit.revision,
    });
    const events = await eventsUntil(id, afterId, (e) => e.type === "task" && e.status === "completed");
    await closeQueues(queues);
    redis.disconnect();

    expect(events).toContainEqual({
      type: "redub",
      language: "fr",
      segmentIndex: 0,
      revision: 1,
      status: "done",
    });
    expect(events.some((e) => e.type === "final")).toBe(true);
    // Only segment 0 was redone: no stage event for any other segment.
    expect(events.filter((e) => e.type === "segment" && e.index !== 0)).toEqual([]);
    expect(await md5(chunk0)).not.toBe(hash0);
    expect(await md5(chunk1)).toBe(hash1);
    // The video is shared by every language: a re-dub leaves it alone.
    expect(await md5(video0)).toBe(videoHash);
    // Same URI, and the EVENT playlist's entries are not rewritten.
    expect(await readFile(audioPlaylist, "utf8")).toBe(playlist);
    expect(await md5(layout.finalMp4(dir, "fr"))).not.toBe(mp4);
    expect(await readFile(layout.finalSrt(dir, "fr"), "utf8")).toContain(newText);

    const after = await h.snapshot(id);
    expect(after!.status).toBe("completed");
    expect(after!.finalReady).toBe(true);
    expect(after!.segments[0]).toMatchObject({ revision: 1, publishedRevision: 1 });
    expect(after!.sentences.find((s) => s.index === line.index)).toMatchObject({
      translation: newText,
      revision: 1,
    });
  });
});
