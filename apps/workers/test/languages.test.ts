/**
 * One video, many languages, on the real workers: a task dubbed into two languages at
 * once, then a third added when it is done. Planning, recognition and the video are done
 * once; every language gets its own audio rendition, subtitles and downloads.
 */
import { readFile } from "node:fs/promises";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hls, layout } from "@vitranslator/pipeline";
import { closeQueues, createQueues, createRedis, EventBus } from "@vitranslator/queue";
import { addLanguage } from "@vitranslator/tasks";
import { makeSampleVideo } from "@vitranslator/testkit";
import type { SampleVideo } from "@vitranslator/testkit";
import { createHarness } from "./harness";
import type { Harness } from "./harness";

let h: Harness;
let sample: SampleVideo;

beforeAll(async () => {
  h = await createHarness();
  sample = await makeSampleVideo({ dir: path.join(h.storageDir, "inputs"), durationMs: 16_000, music: true });
});
afterAll(async () => h?.close());

function audioStreams(file: string): { language: string; title: string }[] {
  const r = spawnSync(
    "ffprobe",
    [
      "-v",
      "error",
      "-select_streams",
      "a",
      "-show_entries",
      "stream_tags=language,title",
      "-of",
      "json",
      file,
    ],
    { encoding: "utf8" },
  );
  const j = JSON.parse(r.stdout) as { streams: { tags?: { language?: string; title?: string } }[] };
  return j.streams.map((s) => ({ language: s.tags?.language ?? "", title: s.tags?.title ?? "" }));
}

const chunkNames = (playlist: string) => playlist.split("\n").filter((l) => /\.(ts|vtt)$/.test(l));

describe("one video, many languages", () => {
  it("dubs two languages from one recognition, then adds a third to the finished task", async () => {
    h.start();
    const id = await h.submit({ video: sample.video, subtitles: sample.srt, languages: ["fr", "es"] });
    const events = await h.waitForEnd(id);
    expect(events.at(-1)).toMatchObject({ type: "task", status: "completed" });
    const dir = path.join(h.storageDir, "tasks", id);
    const read = (name: string) => readFile(layout.hlsFile(dir, name), "utf8");

    const fr = await h.snapshot(id, "fr");
    const es = await h.snapshot(id, "es");
    const parts = fr!.segments.length;
    expect(parts).toBeGreaterThan(1);
    expect(fr!.finalLanguages.sort()).toEqual(["es", "fr"]);
    expect(es!.sentences.map((s) => s.translation?.slice(0, 5))).toEqual(es!.sentences.map(() => "[es] "));
    expect(fr!.sentences.map((s) => s.translation?.slice(0, 5))).toEqual(fr!.sentences.map(() => "[fr] "));
    // Every language published its parts in order.
    for (const language of ["fr", "es"]) {
      const published = events.flatMap((e) =>
        e.type === "published" && e.language === language ? [e.index] : [],
      );
      expect(published).toEqual([...Array(parts).keys()]);
    }

    const master = await read(hls.master);
    expect(master).toMatch(/TYPE=AUDIO,GROUP-ID="aud",LANGUAGE="fr",NAME="[^"]+",DEFAULT=YES/);
    expect(master).toMatch(/TYPE=AUDIO,GROUP-ID="aud",LANGUAGE="es",NAME="[^"]+",DEFAULT=NO/);
    expect(master).toContain('URI="audio_orig.m3u8"');
    expect(master).toMatch(/TYPE=SUBTITLES,GROUP-ID="subs",LANGUAGE="es"/);
    const video = await read(hls.videoPlaylist);
    const videoChunks = chunkNames(video);
    expect(video.trim().endsWith("#EXT-X-ENDLIST")).toBe(true);
    // Each audio rendition: the video's chunks, one for one, under its own names; ENDLIST.
    for (const track of ["fr", "es", "orig"]) {
      const audio = await read(hls.audioPlaylist(track));
      expect(audio.replaceAll(`a_${track}_`, "v_")).toBe(video);
    }
    const subs = await read(hls.subtitlesPlaylist("es"));
    expect(chunkNames(subs)).toEqual([...Array(parts).keys()].map((k) => hls.subtitlesPart("es", k)));
    expect(await read(hls.subtitlesPart("es", 0))).toContain("[es] ");
    expect(videoChunks.length).toBeGreaterThanOrEqual(parts);

    // Recognition and planning ran once for the task; translate → mix once per language.
    const runs = await h.t.db.stageRun.findMany({ where: { taskId: id } });
    expect(runs.filter((r) => r.stage === "asr").map((r) => [r.language, r.attempts])).toEqual(
      Array.from({ length: parts }, () => ["", 1]),
    );
    expect(runs.filter((r) => r.stage === "segment").every((r) => r.language === "")).toBe(true);
    expect(runs.filter((r) => r.stage === "mix").length).toBe(parts * 2);

    for (const language of ["fr", "es"]) {
      expect(audioStreams(layout.finalMp4(dir, language)).length).toBe(1);
      expect(await readFile(layout.finalSrt(dir, language), "utf8")).toContain(`[${language}] `);
    }
    expect(audioStreams(layout.allTracksMp4(dir)).map((s) => s.language)).toEqual(["fre", "spa", "und"]);

    // A third language on the finished task: only translate → mix run, for it alone.
    const afterId = await h.lastEventId(id);
    // The owner's add-language command (what POST /api/tasks/<id>/languages calls once the token is checked).
    const redis = createRedis(h.env.REDIS_URL);
    const queues = createQueues(redis, h.env.QUEUE_PREFIX);
    const added = await addLanguage(
      { db: h.t.db, queues, events: new EventBus(redis, h.env.QUEUE_PREFIX) },
      { taskId: id, language: "de" },
    );
    expect(added).toEqual({ language: "de", languages: ["fr", "es", "de"] });
    const more = await h.waitForEnd(id, 240_000, afterId);
    await closeQueues(queues);
    redis.disconnect();
    expect(more[0]).toEqual({ type: "language", language: "de", languages: ["fr", "es", "de"] });
    const de = await h.snapshot(id, "de");
    expect(de!.status).toBe("completed");
    expect(de!.finalLanguages.sort()).toEqual(["de", "es", "fr"]);
    expect(de!.sentences.every((s) => s.translation?.startsWith("[de] "))).toBe(true);
    const after = await h.t.db.stageRun.findMany({ where: { taskId: id } });
    expect(after.filter((r) => r.stage === "asr").length).toBe(parts);
    expect(after.filter((r) => r.stage === "segment").length).toBe(
      runs.filter((r) => r.stage === "segment").length,
    );
    expect(after.filter((r) => r.stage === "mix" && r.language === "de").length).toBe(parts);
    expect(await read(hls.master)).toMatch(/TYPE=AUDIO,GROUP-ID="aud",LANGUAGE="de"/);
    expect((await read(hls.audioPlaylist("de"))).replaceAll("a_de_", "v_")).toBe(video);
    // The video was not cut again.
    expect(await read(hls.videoPlaylist)).toBe(video);
    expect(await readFile(layout.finalSrt(dir, "de"), "utf8")).toContain("[de] ");
    expect(audioStreams(layout.allTracksMp4(dir)).map((s) => s.language)).toEqual([
      "fre",
      "spa",
      "ger",
      "und",
    ]);
  });
});
