/**
 * Stage 8: one language's dubbed speech over the separated background (else the ducked
 * original sound), encoded into the part's audio chunks, with the part's WebVTT subtitles;
 * then published in order. The part's video chunks (and the original sound's) are cut once,
 * by whichever language's mix gets there first: every language shares them.
 */
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { chunkDurations, planChunkCuts } from "../hls/chunks";
import { hls, layout, ORIGINAL_AUDIO } from "../layout";
import { GOP_SECONDS } from "../media/args";
import { toWebVttSegment } from "../hls";
import { toSrt } from "../subtitles";
import type { SegmentRecord, Stage, StageContext, TaskRecord } from "../ports";
import { publishTask } from "../publish";
import { separatedStems } from "../separation/stems";
import { ensureParent, requireLanguage, requireSegment, requireTask, STOP } from "./common";

/** Burned subtitles re-encode the video with a keyframe every GOP, so chunks are cut there. */
const BURN_KEYFRAME_MS = GOP_SECONDS * 1000;

export const mixStage: Stage = {
  name: "mix",
  async run(input, ctx) {
    const task = await requireTask(ctx, input.taskId);
    const language = requireLanguage(input);
    const seg = await requireSegment(ctx, task.id, input.segmentIndex, language);
    const revision = input.revision ?? 0;
    const redub = seg.status === "published" && revision > (seg.publishedRevision ?? 0);
    if (seg.status !== "published" || redub) {
      // Made aside and moved into place: a reader never sees a half-written chunk, and a
      // re-dub swaps its files in under the publish lock.
      const workDir = path.join(
        layout.hlsDir(ctx.taskDir),
        `.mix-${seg.index}-${language}-r${revision}-${randomBytes(4).toString("hex")}`,
      );
      await mkdir(workDir, { recursive: true });
      try {
        const burn = Boolean(task.options.burnSubtitles && task.hasVideo);
        const cuts = await partChunkCuts(task, seg, burn, ctx);
        // Separate ffmpeg runs, side by side: the first part's first frame waits for the slowest.
        const [, moves] = await Promise.all([
          burn ? null : ensureSharedChunks(task, seg, cuts, ctx),
          mixLanguage(task, seg, language, cuts, burn, workDir, ctx),
        ]);
        const moveIntoPlace = async () => {
          for (const [from, to] of moves) await rename(from, to);
        };
        const chunkMs = chunkDurations(seg.durationMs, cuts);
        if (redub) {
          await republish(task.id, language, seg.index, revision, moveIntoPlace, ctx);
        } else {
          await moveIntoPlace();
          await ctx.store.markSegmentMixed(task.id, language, seg.index, chunkMs);
        }
      } finally {
        await rm(workDir, { recursive: true, force: true });
      }
    }
    await publishTask(task.id, language, ctx);
    return STOP;
  },
};

/**
 * Where the part's chunks are cut, the same for the video and every audio rendition: on the
 * part's own keyframes (or the burned video's 2 s grid). Written once, so every language
 * cuts its audio where the video was cut.
 */
async function partChunkCuts(
  task: TaskRecord,
  seg: SegmentRecord,
  burn: boolean,
  ctx: StageContext,
): Promise<number[]> {
  const file = layout.segChunkCuts(ctx.taskDir, seg.index);
  try {
    return JSON.parse(await readFile(file, "utf8")) as number[];
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
  }
  const keyframesMs = !task.hasVideo
    ? null
    : burn
      ? Array.from({ length: Math.ceil(seg.durationMs / BURN_KEYFRAME_MS) }, (_, i) => i * BURN_KEYFRAME_MS)
      : await ctx.media.listKeyframesMs(layout.segVideo(ctx.taskDir, seg.index), { signal: ctx.signal });
  const cuts = planChunkCuts(seg.durationMs, keyframesMs);
  const tmp = `${file}.${randomBytes(4).toString("hex")}.tmp`;
  await writeFile(await ensureParent(tmp), JSON.stringify(cuts));
  await rename(tmp, file);
  return cuts;
}

/**
 * The part's video chunks (copied from its video) and the original sound's chunks, once for
 * every language: skipped when the last of them is in place. Two languages racing here write
 * the same files and rename them into place, so either copy is whole.
 */
async function ensureSharedChunks(
  task: TaskRecord,
  seg: SegmentRecord,
  cuts: readonly number[],
  ctx: StageContext,
): Promise<void> {
  if (!task.hasVideo) return;
  const count = cuts.length + 1;
  const withOriginal = task.hasAudio;
  const lastName = withOriginal
    ? hls.audioChunk(ORIGINAL_AUDIO, seg.index, count - 1)
    : hls.videoChunk(seg.index, count - 1);
  if (await exists(layout.hlsFile(ctx.taskDir, lastName))) return;
  const workDir = path.join(
    layout.hlsDir(ctx.taskDir),
    `.shared-${seg.index}-${randomBytes(4).toString("hex")}`,
  );
  await mkdir(workDir, { recursive: true });
  try {
    const common = {
      chunkCutsMs: cuts,
      durationMs: seg.durationMs,
      tsOffsetMs: seg.startMs,
      signal: ctx.signal,
    };
    const [video, original] = await Promise.all([
      ctx.media.cutVideoChunks({
        ...common,
        video: layout.segVideo(ctx.taskDir, seg.index),
        outDir: await madeDir(path.join(workDir, "v")),
      }),
      withOriginal
        ? ctx.media.encodeAudioChunks({
            ...common,
            audio: layout.segAudio(ctx.taskDir, seg.index),
            outDir: await madeDir(path.join(workDir, "a")),
          })
        : [],
    ]);
    checkCount(video, count, seg.index, "video");
    for (const [j, f] of video.entries())
      await rename(f, layout.hlsFile(ctx.taskDir, hls.videoChunk(seg.index, j)));
    if (withOriginal) checkCount(original, count, seg.index, "original audio");
    for (const [j, f] of original.entries())
      await rename(f, layout.hlsFile(ctx.taskDir, hls.audioChunk(ORIGINAL_AUDIO, seg.index, j)));
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/**
 * This language's audio chunks and WebVTT part (and, with burned subtitles, the video
 * chunks with its text burned in), made in `workDir`: the renames that put them in place.
 */
async function mixLanguage(
  task: TaskRecord,
  seg: SegmentRecord,
  language: string,
  cuts: readonly number[],
  burn: boolean,
  workDir: string,
  ctx: StageContext,
): Promise<[string, string][]> {
  const count = cuts.length + 1;
  const sentences = await ctx.store.listSentences(task.id, language, seg.index);
  const cues = sentences
    .filter((s) => s.translation)
    .map((s) => ({ startMs: s.startMs, endMs: s.endMs, text: s.translation ?? "" }));
  const common = {
    chunkCutsMs: cuts,
    durationMs: seg.durationMs,
    tsOffsetMs: seg.startMs,
    signal: ctx.signal,
  };
  const stems = await separatedStems(ctx.taskDir, seg.index);
  const audio = await ctx.media.mixAudioChunks({
    ...common,
    // A separated background has no original speech left, so it plays at full level.
    background: stems?.background ?? layout.segAudio(ctx.taskDir, seg.index),
    ...(stems ? { duckDb: 0 } : {}),
    dubbedVocals: layout.segVocals(ctx.taskDir, seg.index, language),
    outDir: await madeDir(path.join(workDir, "a")),
  });
  checkCount(audio, count, seg.index, `${language} audio`);
  const moves: [string, string][] = audio.map((f, j) => [
    f,
    layout.hlsFile(ctx.taskDir, hls.audioChunk(language, seg.index, j)),
  ]);
  const vtt = path.join(workDir, "part.vtt");
  await writeFile(vtt, toWebVttSegment(cues, { offsetMs: 0 }));
  moves.push([vtt, layout.hlsFile(ctx.taskDir, hls.subtitlesPart(language, seg.index))]);
  if (burn) {
    const srt = await ensureParent(layout.segBurnSrt(ctx.taskDir, seg.index, language));
    await writeFile(
      srt,
      toSrt(
        cues.map((c) => ({
          startMs: Math.max(0, c.startMs - seg.startMs),
          endMs: Math.min(seg.durationMs, c.endMs - seg.startMs),
          text: c.text,
        })),
      ),
    );
    const video = await ctx.media.cutVideoChunks({
      ...common,
      video: layout.segVideo(ctx.taskDir, seg.index),
      burnSubtitlesPath: srt,
      outDir: await madeDir(path.join(workDir, "v")),
    });
    checkCount(video, count, seg.index, "video");
    moves.push(
      ...video.map((f, j): [string, string] => [
        f,
        layout.hlsFile(ctx.taskDir, hls.videoChunk(seg.index, j)),
      ]),
    );
  }
  return moves;
}

async function madeDir(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  return dir;
}

function checkCount(files: readonly string[], expected: number, part: number, what: string): void {
  if (files.length !== expected)
    throw new Error(`mix wrote ${files.length} ${what} chunks for part ${part}, expected ${expected}`);
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    (s) => s.isFile(),
    () => false,
  );
}

/**
 * Replaces a published part's files in place (same URIs, same playlist entries: an EVENT
 * playlist never rewrites what it has announced), then lets publishing rebuild the final files.
 */
async function republish(
  taskId: string,
  language: string,
  index: number,
  revision: number,
  replace: () => Promise<void>,
  ctx: StageContext,
): Promise<void> {
  const { replaced } = await ctx.store.republishSegment(taskId, language, index, revision, replace);
  if (replaced)
    await ctx.events.emit(taskId, { type: "redub", language, segmentIndex: index, revision, status: "done" });
}
