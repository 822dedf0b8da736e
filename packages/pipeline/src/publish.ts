/**
 * Publishing: appends mixed segments to the EVENT playlist strictly in order, under the
 * store's per-task lock, rewriting the playlist atomically from the database each time
 * (so it can always be rebuilt). When the last segment is in: ENDLIST, then the final
 * MP4 and subtitles, then the task is complete. Every step is safe to repeat.
 */
import { mkdir, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { HLS_TARGET_DURATION_S } from "./hls/chunks";
import { layout } from "./layout";
import { buildPlaylist, writeFileAtomic } from "./hls";
import { toSrt, toVtt } from "./subtitles";
import type { SegmentRecord, StageContext } from "./ports";

/** The HLS chunks of published parts, in playback order. */
export function publishedChunks(
  published: SegmentRecord[],
): { part: number; chunk: number; durationMs: number }[] {
  return published.flatMap((s) =>
    s.chunkMs.map((durationMs, chunk) => ({ part: s.index, chunk, durationMs })),
  );
}

export function renderPlaylist(published: SegmentRecord[], complete: boolean): string {
  return buildPlaylist({
    segments: publishedChunks(published).map((c) => ({
      uri: layout.hlsChunkName(c.part, c.chunk),
      durationSec: c.durationMs / 1000,
    })),
    ended: complete,
    targetDurationSec: HLS_TARGET_DURATION_S,
  });
}

export async function publishTask(taskId: string, ctx: StageContext): Promise<void> {
  const task = await ctx.store.getTask(taskId);
  if (!task) return;
  await mkdir(layout.hlsDir(ctx.taskDir), { recursive: true });
  const outcome = await ctx.store.publishReady(taskId, async (published, complete) => {
    await writeFileAtomic(layout.playlist(ctx.taskDir), renderPlaylist(published, complete));
  });
  for (const index of outcome.newlyPublished) {
    await ctx.events.emit(taskId, {
      type: "published",
      index,
      publishedCount: index + 1,
      segmentCount: task.segmentCount ?? 0,
      publishedMs: outcome.published.filter((s) => s.index <= index).reduce((a, s) => a + s.durationMs, 0),
      dubRate: outcome.dubRate,
    });
  }
  if (!outcome.complete || task.finalReady) return;
  // Written aside and renamed: a re-dub rebuilds this file while it may be downloaded.
  const mp4 = await ensureDir(layout.finalMp4(ctx.taskDir));
  const tmpMp4 = `${mp4}.${process.pid}.${Date.now()}.tmp.mp4`;
  const chunks = publishedChunks(outcome.published);
  await ctx.media.concatToMp4({
    tsPaths: chunks.map((c) => layout.hlsChunk(ctx.taskDir, c.part, c.chunk)),
    durationsMs: chunks.map((c) => c.durationMs),
    out: tmpMp4,
    signal: ctx.signal,
  });
  await rename(tmpMp4, mp4);
  const sentences = await ctx.store.listSentences(taskId);
  const cues = sentences
    .filter((s) => s.translation)
    .map((s) => ({ startMs: s.startMs, endMs: s.endMs, text: s.translation ?? "" }));
  await writeFile(layout.finalSrt(ctx.taskDir), toSrt(cues));
  await writeFile(layout.finalVtt(ctx.taskDir), toVtt(cues));
  const note = sentences.length === 0 ? NOTHING_TO_DUB : undefined;
  await ctx.store.completeTask(taskId, note);
  await ctx.events.emit(taskId, { type: "final", mp4: true, srt: true });
  await ctx.events.emit(taskId, {
    type: "task",
    status: "completed",
    ...(note ? { errorCode: note.code, errorMessage: note.message } : {}),
  });
  ctx.log.info({ segments: outcome.published.length }, "task complete");
}

const NOTHING_TO_DUB = {
  code: "NOTHING_TO_DUB",
  message: "No speech was found in this file, so there was nothing to dub: the download is the original.",
};

async function ensureDir(file: string): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true });
  return file;
}
