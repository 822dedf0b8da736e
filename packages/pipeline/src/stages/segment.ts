/** Stage 1: probe, plan segments cut at pauses, and extract each segment's media. */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { PipelineError } from "../errors";
import { HLS_TARGET_DURATION_S } from "../hls/chunks";
import { layout } from "../layout";
import { COPYABLE_VIDEO_CODECS, isProcessError } from "../media";
import { planSegments } from "../segment";
import { parseSubtitles } from "../subtitles";
import type { Cue } from "../subtitles";
import { silencesFromSpeech } from "../vad";
import type { Stage, StageContext, StageResult, TaskRecord } from "../ports";
import { ensureParent, requireSegment, requireTask, STOP, CONTINUE } from "./common";
import { planVideo, readVideoPlan, writeVideoPlan } from "./video-plan";

/**
 * Parts starting this early in the video are not separated: separation (RNNoise at ~1.5x real
 * time on two busy cores, with its conversions) made the second part land after the first had
 * played out. 10 s covers the first part (2.5–5 s) and the one after it.
 */
export const UNSEPARATED_LEAD_MS = 10_000;

export const segmentStage: Stage = {
  name: "segment",
  async run(input, ctx) {
    const task = await requireTask(ctx, input.taskId);
    if (input.segmentIndex === undefined) return planTask(task, ctx);
    const seg = await requireSegment(ctx, task.id, input.segmentIndex);
    const audioOut = await ensureParent(layout.segAudio(ctx.taskDir, seg.index));
    await ctx.media
      .extractSegment({
        input: await ctx.media.normaliseSource({
          taskDir: ctx.taskDir,
          sourceFile: task.sourceFile,
          signal: ctx.signal,
        }),
        startMs: seg.startMs,
        durationMs: seg.durationMs,
        // Planning probed the canonical file: no probe per part.
        streams: { audio: task.hasAudio, video: task.hasVideo },
        audioOut,
        ...(task.hasVideo ? { videoOut: layout.segVideo(ctx.taskDir, seg.index) } : {}),
        copyVideo: (await readVideoPlan(ctx.taskDir)).copyVideo.includes(seg.index),
        signal: ctx.signal,
      })
      .catch((err: unknown) => {
        throw asUndecodable(err) ?? err;
      });
    // The parts in the first seconds are mixed over the ducked original: separation stays off
    // the path to the first frame and to the part right after it, which is made while the
    // first one plays. Every later part is separated while the parts before it play.
    const separator = seg.startMs < UNSEPARATED_LEAD_MS ? null : ctx.engines.separator;
    if (separator && task.hasAudio) {
      await separator.separate({
        input: audioOut,
        vocalsOut: layout.segSourceVocals(ctx.taskDir, seg.index),
        backgroundOut: layout.segBackground(ctx.taskDir, seg.index),
        signal: ctx.signal,
      });
    }
    return CONTINUE;
  },
};

async function planTask(task: TaskRecord, ctx: StageContext): Promise<StageResult> {
  // Checked and remuxed once into a canonical file (media/normalise.ts); nothing reads the upload again.
  const source = await ctx.media.normaliseSource({
    taskDir: ctx.taskDir,
    sourceFile: task.sourceFile,
    signal: ctx.signal,
  });
  // Keyframes are read while the rest of planning runs; a file without copyable video ignores them.
  const keyframesRead = ctx.media.listKeyframesMs(source, { signal: ctx.signal }).catch(() => [] as number[]);
  const info = await ctx.media.probeMedia(source, { signal: ctx.signal });
  await ctx.store.saveProbe(task.id, {
    durationMs: info.durationMs,
    hasVideo: Boolean(info.video),
    hasAudio: Boolean(info.audio),
    width: info.video?.width ?? null,
    height: info.video?.height ?? null,
  });
  let cues = await loadCues(task, ctx, source, info.subtitleStreams[0]?.index, info.durationMs);
  if (!cues && !info.audio) {
    throw new PipelineError({
      code: "NO_AUDIO",
      category: "user",
      message:
        "The video has no audio track and no subtitles, so there is nothing to dub. Upload an .srt or .vtt file with it.",
    });
  }
  // Subtitle cues already say where speech is; pause detection only matters without them.
  const silences = info.audio && !cues ? await findPauses(source, info.durationMs, ctx) : [];
  if (!cues && isSilentThroughout(silences, info.durationMs)) {
    // No speech anywhere: no sentences to recognise, and the task ends with NOTHING_TO_DUB.
    ctx.log.info({}, "no speech found");
    cues = [];
  }
  if (cues) await writeFile(await ensureParent(layout.cues(ctx.taskDir)), JSON.stringify(cues));
  // Cuts on source keyframes let those segments copy the video instead of re-encoding it.
  const keyframesMs = info.video && COPYABLE_VIDEO_CODECS.has(info.video.codec) ? await keyframesRead : [];
  const plan = planSegments({
    durationMs: info.durationMs,
    silences,
    keyframesMs,
    ...(cues ? { cues } : {}),
  });
  const videoPlan = planVideo({
    parts: plan,
    keyframesMs,
    hasVideo: Boolean(info.video),
    burnSubtitles: Boolean(task.options.burnSubtitles),
  });
  await writeVideoPlan(ctx.taskDir, videoPlan);
  await ctx.store.savePlan(task.id, plan, HLS_TARGET_DURATION_S);
  await ctx.events.emit(task.id, {
    type: "task",
    status: "processing",
    segmentCount: plan.length,
    durationMs: info.durationMs,
    partsMs: plan.map((s) => s.durationMs),
  });
  ctx.log.info(
    {
      segments: plan.length,
      durationMs: info.durationMs,
      cues: cues?.length ?? 0,
      videoCopied: videoPlan.copyVideo.length,
    },
    "segments planned",
  );
  // Only the first segment now; the workers release the others once it is published.
  return { ...STOP, fanOut: [0] };
}

/** ffmpeg's words for input it cannot decode: bad input, so no retry can help. */
const UNDECODABLE =
  /Invalid data found when processing input|error while decoding|Invalid NAL unit|missing picture in access unit|decode_slice_header error|moov atom not found|corrupt/i;

export function asUndecodable(err: unknown): PipelineError | null {
  if (!isProcessError(err) || err.command !== "ffmpeg" || !UNDECODABLE.test(err.stderrTail)) return null;
  return new PipelineError({
    code: "UNDECODABLE_MEDIA",
    category: "user",
    message:
      "Part of the file cannot be decoded (it is damaged or uses a codec ffmpeg cannot read). Re-export it and upload it again.",
    cause: err,
  });
}

function isSilentThroughout(
  silences: readonly { startMs: number; endMs: number }[],
  durationMs: number,
): boolean {
  const silent = silences.reduce(
    (acc, s) => acc + Math.max(0, Math.min(durationMs, s.endMs) - Math.max(0, s.startMs)),
    0,
  );
  return durationMs > 0 && silent >= durationMs * 0.98;
}

/** Pauses to cut in: between Silero's speech regions, or ffmpeg silencedetect's silences. */
async function findPauses(source: string, durationMs: number, ctx: StageContext) {
  if (ctx.engines.vad === "silencedetect")
    return ctx.media.detectSilences(source, { durationMs, signal: ctx.signal });
  const speech = await ctx.media.detectSpeechRegions({ input: source, durationMs, signal: ctx.signal });
  return silencesFromSpeech({ speech, durationMs });
}

async function loadCues(
  task: TaskRecord,
  ctx: StageContext,
  source: string,
  embeddedStream: number | undefined,
  durationMs: number,
): Promise<Cue[] | null> {
  let cues: Cue[] | null = null;
  if (task.subtitleFile) {
    cues = parseSubtitles(await readFile(path.join(ctx.taskDir, task.subtitleFile), "utf8"));
  } else if (embeddedStream !== undefined) {
    cues = await ctx.media.extractEmbeddedSubtitles({
      input: source,
      streamIndex: embeddedStream,
      signal: ctx.signal,
    });
  }
  if (!cues) return null;
  const inside = cues.filter((c) => c.startMs < durationMs && c.text.trim() !== "");
  if (inside.length === 0) {
    throw new PipelineError({
      code: "SUBTITLES_MISMATCH",
      category: "user",
      message: `None of the ${cues.length} subtitle cues falls inside the video (${(durationMs / 1000).toFixed(1)} s). Is it the right subtitle file?`,
    });
  }
  return inside.map((c) => ({ ...c, endMs: Math.min(c.endMs, durationMs) }));
}

export async function readCues(taskDir: string): Promise<Cue[] | null> {
  try {
    return JSON.parse(await readFile(layout.cues(taskDir), "utf8")) as Cue[];
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw e;
  }
}
