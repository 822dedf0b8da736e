/**
 * The mix stage without ffmpeg: fake media tools and an in-memory store. A part's video is
 * cut into chunks on its keyframes once, each language's audio on the same cuts; the chunks
 * land under their names, the part is marked mixed with their durations, and publishing
 * writes the renditions and, for the last part, each language's MP4 and the all-tracks MP4.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { useTmpDir } from "@vitranslator/testkit/hooks";
import { describe, expect, it } from "vitest";
import { hls, layout } from "../layout";
import type {
  PublishedTrack,
  PublishOutcome,
  SegmentRecord,
  StageContext,
  TaskRecord,
  TaskStore,
} from "../ports";
import { mixStage } from "./mix";
import type { MediaTools } from "./media-tools";
import { writeVideoPlan } from "./video-plan";

const tmp = useTmpDir("vt-mix-");

type Call<K extends keyof MediaTools> = Parameters<MediaTools[K]>[0];

function fakes(durationMs: number) {
  type Output = Call<"writePartChunks">["outputs"][number];
  type Of<K extends Output["kind"]> = Extract<Output, { kind: K }> & { chunkCutsMs?: readonly number[] };
  const calls: {
    runs: Call<"writePartChunks">[];
    video: Of<"video">[];
    original: Of<"audio">[];
    mix: Of<"mix">[];
    concat: Call<"concatRenditionsToMp4">[];
  } = { runs: [], video: [], original: [], mix: [], concat: [] };
  const chunks = async (o: { outDir: string; chunkCutsMs?: readonly number[] }) => {
    await mkdir(o.outDir, { recursive: true });
    const files = [0, ...(o.chunkCutsMs ?? [])].map((_, j) => path.join(o.outDir, `chunk_${j}.ts`));
    for (const f of files) await writeFile(f, `chunk ${f}`);
    return files;
  };
  const media = {
    listKeyframesMs: () => Promise.resolve([0, 2000, 4000, 6000, 8000, 10_000]),
    writePartChunks: async (run: Call<"writePartChunks">) => {
      calls.runs.push(run);
      const written: string[][] = [];
      for (const o of run.outputs) {
        const withCuts = { ...o, chunkCutsMs: run.chunkCutsMs };
        if (o.kind === "video") calls.video.push(withCuts as Of<"video">);
        else if (o.kind === "audio") calls.original.push(withCuts as Of<"audio">);
        else calls.mix.push(withCuts as Of<"mix">);
        written.push(await chunks(withCuts));
      }
      return written;
    },
    concatRenditionsToMp4: async (o: Call<"concatRenditionsToMp4">) => {
      calls.concat.push(o);
      await writeFile(o.out, "mp4");
    },
  } as unknown as MediaTools;
  const task = {
    id: "t",
    hasVideo: true,
    hasAudio: true,
    options: {},
    targetLanguage: "fr",
    languages: ["fr", "es"],
    finalLanguages: [],
    glossary: null,
    segmentCount: 1,
    finalReady: false,
  } as unknown as TaskRecord;
  const segs = new Map<string, SegmentRecord>(
    ["fr", "es"].map((l) => [
      l,
      { index: 0, startMs: 0, durationMs, status: "processing", hlsDurationMs: null, chunkMs: [] },
    ]),
  );
  const finals: string[] = [];
  const emitted: unknown[] = [];
  const store = {
    getTask: () => Promise.resolve(task),
    getSegment: (_t: string, _i: number, l: string) => Promise.resolve(segs.get(l)),
    listSentences: () => Promise.resolve([]),
    markSegmentMixed: (_t: string, l: string, _i: number, chunkMs: number[]) => {
      Object.assign(segs.get(l)!, { status: "mixed", chunkMs });
      return Promise.resolve();
    },
    publishReady: async (_t: string, l: string, write: (tracks: PublishedTrack[]) => Promise<void>) => {
      const tracks = [...segs].map(([language, s]) => ({
        language,
        published: s.status === "mixed" ? [{ ...s, status: "published" as const }] : [],
        complete: s.status === "mixed",
      }));
      await write(tracks);
      const own = tracks.find((t) => t.language === l)!;
      return {
        tracks,
        published: own.published,
        newlyPublished: [0],
        complete: true,
        dubRate: 2,
      } satisfies PublishOutcome;
    },
    markLanguageFinal: (_t: string, l: string) => {
      finals.push(l);
      return Promise.resolve({ allFinal: finals.length === 2, finalLanguages: [...finals] });
    },
    completeTask: () => Promise.resolve(),
  } as unknown as TaskStore;
  const ctx = {
    store,
    events: { emit: (_t: string, e: unknown) => Promise.resolve(emitted.push(e)) },
    taskDir: tmp.dir,
    media,
    engines: {},
    config: {},
    signal: new AbortController().signal,
    log: { info: () => undefined, warn: () => undefined, error: () => undefined },
  } as unknown as StageContext;
  return { ctx, calls, segs, emitted };
}

const read = (name: string) => readFile(layout.hlsFile(tmp.dir, name), "utf8");

describe("mix stage (fake media)", () => {
  it("cuts the video once on its keyframes, mixes each language's audio on the same cuts and publishes renditions", async () => {
    const f = fakes(12_000);
    await mixStage.run({ taskId: "t", segmentIndex: 0, language: "fr" }, f.ctx);
    // One ffmpeg run writes the video, the original sound and the French mix.
    expect(f.calls.runs.map((r) => r.outputs.map((o) => o.kind))).toEqual([["mix", "video", "audio"]]);
    expect(f.calls.video.map((c) => c.chunkCutsMs)).toEqual([[4000, 8000]]);
    expect(f.calls.original).toHaveLength(1);
    expect(f.calls.mix.map((c) => c.dubbedVocals)).toEqual([layout.segVocals(tmp.dir, 0, "fr")]);
    expect(f.segs.get("fr")!.chunkMs).toEqual([4000, 4000, 4000]);
    for (const j of [0, 1, 2]) {
      expect(await read(hls.videoChunk(0, j))).toMatch(/^chunk /);
      expect(await read(hls.audioChunk("fr", 0, j))).toMatch(/^chunk /);
      expect(await read(hls.audioChunk("orig", 0, j))).toMatch(/^chunk /);
    }
    const video = await read(hls.videoPlaylist);
    expect(video).toContain("#EXT-X-TARGETDURATION:6\n");
    expect(video.match(/#EXTINF:4\.000,/g)).toHaveLength(3);
    expect(await read(hls.audioPlaylist("fr"))).toBe(video.replaceAll("v_", "a_fr_"));
    // The second language has nothing yet: an empty EVENT playlist, not ended.
    expect(await read(hls.audioPlaylist("es"))).not.toContain("#EXTINF");
    const master = await read(hls.master);
    expect(master).toContain('LANGUAGE="fr"');
    expect(master).toContain('LANGUAGE="es"');
    // French is done: its MP4 joins the video and its audio by the chunks' timeline lengths.
    expect(f.calls.concat).toHaveLength(1);
    expect(f.calls.concat[0]!.durationsMs).toEqual([4000, 4000, 4000]);
    expect(f.calls.concat[0]!.audioTracks.map((t) => t.language)).toEqual(["fr"]);
    expect(f.emitted).toContainEqual(
      expect.objectContaining({ type: "published", language: "fr", index: 0, dubRate: 2 }),
    );

    // Spanish reuses the video and the original sound; when it is done, the all-tracks MP4 is written.
    await mixStage.run({ taskId: "t", segmentIndex: 0, language: "es" }, f.ctx);
    expect(f.calls.runs[1]!.outputs.map((o) => o.kind)).toEqual(["mix"]);
    expect(f.calls.video).toHaveLength(1);
    expect(f.calls.original).toHaveLength(1);
    expect(f.calls.mix[1]!.chunkCutsMs).toEqual([4000, 8000]);
    expect(await read(hls.audioPlaylist("es"))).toBe(video.replaceAll("v_", "a_es_"));
    expect(f.calls.concat.map((c) => c.audioTracks.map((t) => t.language))).toEqual([
      ["fr"],
      ["es"],
      ["fr", "es", "und"],
    ]);
    expect(f.emitted).toContainEqual(expect.objectContaining({ type: "task", status: "completed" }));
  });

  it("cuts where the task's plan says, without reading the part's keyframes", async () => {
    const f = fakes(12_000);
    await writeVideoPlan(tmp.dir, { copyVideo: [0], chunkCutsMs: [[6000]] });
    f.ctx.media.listKeyframesMs = () => Promise.reject(new Error("keyframes read"));
    await mixStage.run({ taskId: "t", segmentIndex: 0, language: "fr" }, f.ctx);
    expect(f.calls.runs.map((r) => r.chunkCutsMs)).toEqual([[6000]]);
    expect(f.segs.get("fr")!.chunkMs).toEqual([6000, 6000]);
  });
});
