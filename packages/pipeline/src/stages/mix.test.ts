/**
 * The mix stage without ffmpeg: fake media tools and an in-memory store. A part is cut into
 * chunks on its keyframes, the chunks land under their names, the part is marked mixed with
 * their durations, and publishing writes the playlist and, for the last part, the MP4.
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { useTmpDir } from "@vitranslator/testkit/hooks";
import { describe, expect, it } from "vitest";
import { layout } from "../layout";
import type { PublishOutcome, SegmentRecord, StageContext, TaskRecord, TaskStore } from "../ports";
import { mixStage } from "./mix";
import type { MediaTools } from "./media-tools";

const tmp = useTmpDir("vt-mix-");

function fakes(durationMs: number) {
  const calls: {
    mix?: Parameters<MediaTools["mixSegment"]>[0];
    concat?: Parameters<MediaTools["concatToMp4"]>[0];
  } = {};
  const media = {
    listKeyframesMs: () => Promise.resolve([0, 2000, 4000, 6000, 8000, 10_000]),
    mixSegment: async (o: Parameters<MediaTools["mixSegment"]>[0]) => {
      calls.mix = o;
      const files = [0, ...(o.chunkCutsMs ?? [])].map((_, j) => path.join(o.outDir, `chunk_${j}.ts`));
      for (const f of files) await writeFile(f, `chunk ${f}`);
      return files;
    },
    concatToMp4: async (o: Parameters<MediaTools["concatToMp4"]>[0]) => {
      calls.concat = o;
      await writeFile(o.out, "mp4");
    },
  } as unknown as MediaTools;
  const task = {
    id: "t",
    hasVideo: true,
    hasAudio: true,
    options: {},
    segmentCount: 1,
    finalReady: false,
  } as TaskRecord;
  const seg: SegmentRecord = {
    index: 0,
    startMs: 0,
    durationMs,
    status: "processing",
    hlsDurationMs: null,
    chunkMs: [],
  };
  const emitted: unknown[] = [];
  const store = {
    getTask: () => Promise.resolve(task),
    getSegment: () => Promise.resolve(seg),
    listSentences: () => Promise.resolve([]),
    markSegmentMixed: (_t: string, _i: number, chunkMs: number[]) => {
      Object.assign(seg, { status: "mixed", chunkMs, hlsDurationMs: chunkMs.reduce((a, b) => a + b, 0) });
      return Promise.resolve();
    },
    publishReady: async (_t: string, write: (p: SegmentRecord[], complete: boolean) => Promise<void>) => {
      const published = [{ ...seg, status: "published" as const }];
      await write(published, true);
      return { published, newlyPublished: [0], complete: true, dubRate: 2 } satisfies PublishOutcome;
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
  return { ctx, calls, seg, emitted };
}

describe("mix stage (fake media)", () => {
  it("cuts a 12 s part into 4 s chunks on its keyframes, moves them into place and publishes them", async () => {
    const f = fakes(12_000);
    await mixStage.run({ taskId: "t", segmentIndex: 0 }, f.ctx);
    expect(f.calls.mix?.chunkCutsMs).toEqual([4000, 8000]);
    expect(f.seg.chunkMs).toEqual([4000, 4000, 4000]);
    for (const j of [0, 1, 2]) {
      expect(await readFile(layout.hlsChunk(tmp.dir, 0, j), "utf8")).toMatch(/^chunk /);
    }
    const playlist = await readFile(layout.playlist(tmp.dir), "utf8");
    expect(playlist).toContain("#EXT-X-TARGETDURATION:6\n");
    expect(playlist.match(/#EXTINF:4\.000,/g)).toHaveLength(3);
    expect(playlist.trim().endsWith("#EXT-X-ENDLIST")).toBe(true);
    // The final MP4 joins the chunks by their timeline lengths.
    expect(f.calls.concat?.durationsMs).toEqual([4000, 4000, 4000]);
    expect(f.emitted).toContainEqual(expect.objectContaining({ type: "published", index: 0, dubRate: 2 }));
  });
});
