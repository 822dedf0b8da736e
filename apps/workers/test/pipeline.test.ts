/**
 * The whole dub on the real stack: Postgres, Redis/BullMQ, ffmpeg, eSpeak-NG, and the
 * OpenAI protocol served by the local stand-in.
 */
import { readFile, stat } from "node:fs/promises";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeSampleVideo } from "@vitranslator/testkit";
import type { SampleVideo } from "@vitranslator/testkit";
import { createHarness } from "./harness";
import type { Harness } from "./harness";

let h: Harness;
let sample: SampleVideo;

beforeAll(async () => {
  h = await createHarness();
  sample = await makeSampleVideo({ dir: path.join(h.storageDir, "inputs"), durationMs: 32_000, music: true });
});
afterAll(async () => h?.close());

function probe(file: string) {
  const r = spawnSync(
    "ffprobe",
    ["-v", "error", "-show_entries", "format=duration:stream=codec_type", "-of", "json", file],
    { encoding: "utf8" },
  );
  const j = JSON.parse(r.stdout) as { format: { duration: string }; streams: { codec_type: string }[] };
  return { durationMs: Number(j.format.duration) * 1000, types: j.streams.map((s) => s.codec_type).sort() };
}

function meanVolumeDb(file: string, startS: number, durS: number): number {
  const r = spawnSync(
    "ffmpeg",
    [
      "-hide_banner",
      "-ss",
      String(startS),
      "-t",
      String(durS),
      "-i",
      file,
      "-vn",
      "-af",
      "volumedetect",
      "-f",
      "null",
      "-",
    ],
    { encoding: "utf8" },
  );
  return Number(/mean_volume: (-?[\d.]+) dB/.exec(r.stderr)?.[1] ?? "-inf");
}

describe("a task with subtitles, end to end", () => {
  it("publishes segments in order while dubbing and ends with the final MP4 and subtitles", async () => {
    h.start();
    const id = await h.submit({ video: sample.video, subtitles: sample.srt, targetLanguage: "fr" });
    const events = await h.waitForEnd(id);
    const snap = await h.snapshot(id);
    expect(snap?.status, snap?.errorMessage ?? "").toBe("completed");
    const segments = snap!.segments;
    expect(segments.length).toBeGreaterThanOrEqual(2);
    // First segment short, cut in a pause; the segments tile the video.
    expect(segments[0]!.durationMs).toBeLessThanOrEqual(12_500);
    expect(segments.reduce((a, s) => a + s.durationMs, 0)).toBe(snap!.durationMs);

    // Published one by one, in order, before the task completed.
    const published = events
      .filter((e) => e.type === "published")
      .map((e) => (e.type === "published" ? e.index : -1));
    expect(published).toEqual(segments.map((s) => s.index));
    // Parts are pipelined one behind the other: part k+1 is extracted only once part k has
    // finished its tts stage (PIPELINE.releaseNextPartAfter), never all at once.
    const runs = await h.t.db.stageRun.findMany({ where: { taskId: id, segmentIndex: { gte: 0 } } });
    const runOf = (stage: string, k: number) => runs.find((r) => r.stage === stage && r.segmentIndex === k)!;
    expect(runs.filter((r) => r.stage === "segment").length).toBe(segments.length);
    for (let k = 1; k < segments.length; k++) {
      expect(runOf("segment", k).startedAt.getTime()).toBeGreaterThanOrEqual(
        runOf("tts", k - 1).finishedAt!.getTime(),
      );
    }
    const firstPublished = events.findIndex((e) => e.type === "published");
    const completed = events.findIndex((e) => e.type === "task" && e.status === "completed");
    expect(firstPublished).toBeLessThan(completed);

    const taskDir = path.join(h.storageDir, "tasks", id);
    const master = await readFile(path.join(taskDir, "hls", "index.m3u8"), "utf8");
    expect(master).toContain('#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",LANGUAGE="fr"');
    expect(master).toMatch(/#EXT-X-STREAM-INF:[^\n]*AUDIO="aud"[^\n]*\nvideo\.m3u8/);
    const playlist = await readFile(path.join(taskDir, "hls", "video.m3u8"), "utf8");
    expect(playlist).toContain("#EXT-X-PLAYLIST-TYPE:EVENT");
    expect(playlist.trim().endsWith("#EXT-X-ENDLIST")).toBe(true);
    // Every part's chunks, in order; no chunk longer than the 6 s target duration.
    const uris = playlist.split("\n").filter((l) => l.endsWith(".ts"));
    expect(uris).toEqual(segments.flatMap((s) => s.chunkMs.map((_, j) => `v_${s.index}_${j}.ts`)));
    // The dub's audio rendition has the same chunks (same cuts and lengths) under its own names.
    const audio = await readFile(path.join(taskDir, "hls", "audio_fr.m3u8"), "utf8");
    expect(audio.replace(/a_fr_/g, "v_")).toBe(playlist);
    expect(playlist).toContain("#EXT-X-TARGETDURATION:6\n");
    const extinf = [...playlist.matchAll(/#EXTINF:([\d.]+),/g)].map((m) => Number(m[1]));
    expect(extinf.length).toBe(uris.length);
    for (const d of extinf) expect(d).toBeLessThanOrEqual(6);
    expect(Math.abs(extinf.reduce((a, b) => a + b, 0) * 1000 - snap!.durationMs!)).toBeLessThan(50);
    // The sample's H.264 has a keyframe every 2 s, so cuts land on keyframes and the video is copied.
    const videoPlan = JSON.parse(await readFile(path.join(taskDir, "work", "video-plan.json"), "utf8")) as {
      copyVideo: number[];
    };
    expect(videoPlan.copyVideo).toContain(0);
    expect(videoPlan.copyVideo.length).toBeGreaterThanOrEqual(segments.length - 1);
    // The parts of the first 10 s are mixed over the ducked original (off the first parts'
    // path); every later part over its separated background.
    const separated = await Promise.all(
      segments.map((s) =>
        stat(path.join(taskDir, "seg", String(s.index), "background.wav")).then(
          () => true,
          () => false,
        ),
      ),
    );
    expect(separated).toEqual(segments.map((s) => s.startMs >= 10_000));
    expect(separated).toContain(true);

    // Every sentence translated, spoken and fitted; the fit record is stored.
    expect(snap!.sentences.length).toBe(sample.lines.length);
    for (const s of snap!.sentences) {
      expect(s.translation).toMatch(/^\[fr\] /);
      expect(s.speed).not.toBeNull();
      expect(s.speed!).toBeLessThanOrEqual(1.2 + 1e-9);
      expect(s.predictedMs).toBeGreaterThan(0);
      expect(s.stage).toBe("audiogen");
    }

    const mp4 = path.join(taskDir, "out", "fr", "dubbed.mp4");
    const info = probe(mp4);
    expect(info.types).toEqual(["audio", "video"]);
    // Chunks are joined by their timeline lengths, so per-part AAC priming does not add up (it was ~0.2 s here).
    expect(Math.abs(info.durationMs - sample.durationMs)).toBeLessThan(100);
    // The dubbed voice is there where the first sentence is spoken, louder than the ducked original's music bed.
    const firstLine = sample.lines[0]!;
    expect(meanVolumeDb(mp4, firstLine.startMs / 1000 + 0.2, 1.5)).toBeGreaterThan(-35);
    const srt = await readFile(path.join(taskDir, "out", "fr", "subtitles.srt"), "utf8");
    expect(srt).toContain("[fr] Welcome to this short demonstration");
    const vtt = await readFile(path.join(taskDir, "out", "fr", "subtitles.vtt"), "utf8");
    expect(vtt.startsWith("WEBVTT")).toBe(true);
    // The stand-in LLM really was asked over the OpenAI protocol.
    expect(h.llm.requests.some((r) => r.path.endsWith("/chat/completions"))).toBe(true);
  });

  it("fails a corrupt upload at once with a clear code, without retries", async () => {
    const bad = path.join(h.storageDir, "inputs", "not-a-video.mp4");
    await import("node:fs/promises").then((fs) => fs.writeFile(bad, "this is not a video at all"));
    const id = await h.submit({ video: bad, subtitles: sample.srt });
    await h.waitForEnd(id, 60_000);
    const snap = await h.snapshot(id);
    expect(snap?.status).toBe("failed");
    expect(snap?.errorCode).toBe("INVALID_MEDIA");
    expect(snap?.errorStage).toBe("segment");
    const runs = await h.t.db.stageRun.findMany({ where: { taskId: id } });
    expect(runs.map((r) => r.attempts)).toEqual([1]);
  });
});
