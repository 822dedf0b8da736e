/**
 * Stage 8: one language's dubbed speech over the separated background (else the ducked
 * original sound), encoded into the part's audio chunks, with the part's WebVTT subtitles;
 * then published in order. The part's video chunks (and the original sound's) are cut once,
 * by whichever language's mix gets there first, in the same ffmpeg run as its audio: every
 * language shares them.
 */
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { chunkDurations, planChunkCuts } from "../hls/chunks";
import { hls, layout, ORIGINAL_AUDIO } from "../layout";
import { toWebVttSegment } from "../hls";
import { toSrt } from "../subtitles";
import type { SegmentRecord, Stage, StageContext, TaskRecord } from "../ports";
import { publishTask } from "../publish";
import type { RenditionOutput } from "../media";
import { separatedStems } from "../separation/stems";
import { ensureParent, requireLanguage, requireSegment, requireTask, STOP } from "./common";
import { gopKeyframesMs, readVideoPlan } from "./video-plan";

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
        const moves = await renderPart(task, seg, language, cuts, burn, workDir, ctx);
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
 * Where the part's chunks are cut, the same for the video and every audio rendition: as
 * planned with the task (video-plan.ts). A task planned before the plan kept its cuts reads
 * them from the part's own keyframes (or the burned video's grid), once for every language.
 */
async function partChunkCuts(
  task: TaskRecord,
  seg: SegmentRecord,
  burn: boolean,
  ctx: StageContext,
): Promise<number[]> {
  const planned = (await readVideoPlan(ctx.taskDir)).chunkCutsMs?.[seg.index];
  if (planned) return planned;
  const file = layout.segChunkCuts(ctx.taskDir, seg.index);
  try {
    return JSON.parse(await readFile(file, "utf8")) as number[];
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
  }
  const keyframesMs = !task.hasVideo
    ? null
    : burn
      ? gopKeyframesMs(seg.durationMs)
      : await ctx.media.listKeyframesMs(layout.segVideo(ctx.taskDir, seg.index), { signal: ctx.signal });
  const cuts = planChunkCuts(seg.durationMs, keyframesMs);
  const tmp = `${file}.${randomBytes(4).toString("hex")}.tmp`;
  await writeFile(await ensureParent(tmp), JSON.stringify(cuts));
  await rename(tmp, file);
  return cuts;
}

/**
 * The part's chunks this language needs, in one ffmpeg run (media/renditions.ts
 * writePartChunks), made in `workDir`: its audio mix and, with burned subtitles, its video.
 * Without burned subtitles the video and the original sound are every language's: the run
 * also writes them when they are not in place yet, and moves them in at once (two languages
 * racing here write the same files and rename them into place, so either copy is whole).
 * Returns the renames that put this language's own files in place.
 */
async function renderPart(
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
  const stems = await separatedStems(ctx.taskDir, seg.index);
  const segVideo = layout.segVideo(ctx.taskDir, seg.index);
  const outputs: (RenditionOutput & { name: (j: number) => string; what: string; shared: boolean })[] = [
    {
      kind: "mix",
      // A separated background has no original speech left, so it plays at full level.
      background: stems?.background ?? layout.segAudio(ctx.taskDir, seg.index),
      ...(stems ? { duckDb: 0 } : {}),
      dubbedVocals: layout.segVocals(ctx.taskDir, seg.index, language),
      outDir: await madeDir(path.join(workDir, "a")),
      name: (j) => hls.audioChunk(language, seg.index, j),
      what: `${language} audio`,
      shared: false,
    },
  ];
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
    outputs.push({
      kind: "video",
      video: segVideo,
      burnSubtitlesPath: srt,
      outDir: await madeDir(path.join(workDir, "v")),
      name: (j) => hls.videoChunk(seg.index, j),
      what: "video",
      shared: false,
    });
  } else if (task.hasVideo && !(await sharedChunksInPlace(task, seg, count, ctx))) {
    outputs.push({
      kind: "video",
      video: segVideo,
      outDir: await madeDir(path.join(workDir, "v")),
      name: (j) => hls.videoChunk(seg.index, j),
      what: "video",
      shared: true,
    });
    if (task.hasAudio)
      outputs.push({
        kind: "audio",
        audio: layout.segAudio(ctx.taskDir, seg.index),
        outDir: await madeDir(path.join(workDir, "o")),
        name: (j) => hls.audioChunk(ORIGINAL_AUDIO, seg.index, j),
        what: "original audio",
        shared: true,
      });
  }
  const written = await ctx.media.writePartChunks({
    chunkCutsMs: cuts,
    durationMs: seg.durationMs,
    tsOffsetMs: seg.startMs,
    outputs: outputs.map(({ name: _n, what: _w, shared: _s, ...o }) => o),
    signal: ctx.signal,
  });
  const moves: [string, string][] = [];
  for (const [n, o] of outputs.entries()) {
    const files = written[n] ?? [];
    checkCount(files, count, seg.index, o.what);
    const renames = files.map((f, j): [string, string] => [f, layout.hlsFile(ctx.taskDir, o.name(j))]);
    if (o.shared) for (const [from, to] of renames) await rename(from, to);
    else moves.push(...renames);
  }
  const vtt = path.join(workDir, "part.vtt");
  await writeFile(vtt, toWebVttSegment(cues, { offsetMs: 0 }));
  moves.push([vtt, layout.hlsFile(ctx.taskDir, hls.subtitlesPart(language, seg.index))]);
  return moves;
}

/** The part's video chunks and original-sound chunks are in place (the last of them is written last). */
function sharedChunksInPlace(task: TaskRecord, seg: SegmentRecord, count: number, ctx: StageContext) {
  const last = task.hasAudio
    ? hls.audioChunk(ORIGINAL_AUDIO, seg.index, count - 1)
    : hls.videoChunk(seg.index, count - 1);
  return exists(layout.hlsFile(ctx.taskDir, last));
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
