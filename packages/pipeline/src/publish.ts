/**
 * Publishing: appends one language's mixed parts to its EVENT playlists strictly in order,
 * under the store's per-task lock, rewriting every playlist of the task atomically from the
 * database each time (so they can always be rebuilt): the master, the video, the original
 * sound, and each language's audio and subtitles. When a language's last part is in: its
 * ENDLIST, then its final MP4 and subtitles; when every language is in, one MP4 with every
 * audio track, then the task is complete. Every step is safe to repeat.
 */
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { HLS_TARGET_DURATION_S } from "./hls/chunks";
import { buildMasterPlaylist } from "./hls/master";
import { hls, layout, ORIGINAL_AUDIO } from "./layout";
import { buildPlaylist, writeFileAtomic } from "./hls";
import { toSrt, toVtt } from "./subtitles";
import type { PublishedTrack, SegmentRecord, StageContext, TaskRecord } from "./ports";

/** The HLS chunks of published parts, in playback order. */
export function publishedChunks(
  published: readonly SegmentRecord[],
): { part: number; chunk: number; durationMs: number }[] {
  return published.flatMap((s) =>
    s.chunkMs.map((durationMs, chunk) => ({ part: s.index, chunk, durationMs })),
  );
}

/** A media playlist of the published parts' chunks, named by `name(part, chunk)`. */
export function renderPlaylist(
  published: readonly SegmentRecord[],
  complete: boolean,
  name: (part: number, chunk: number) => string,
): string {
  return buildPlaylist({
    segments: publishedChunks(published).map((c) => ({
      uri: name(c.part, c.chunk),
      durationSec: c.durationMs / 1000,
    })),
    ended: complete,
    targetDurationSec: HLS_TARGET_DURATION_S,
  });
}

/** One WebVTT file a part: its length is the part's. */
function renderSubtitlesPlaylist(
  published: readonly SegmentRecord[],
  complete: boolean,
  language: string,
): string {
  return buildPlaylist({
    segments: published.map((s) => ({
      uri: hls.subtitlesPart(language, s.index),
      durationSec: s.chunkMs.reduce((a, b) => a + b, 0) / 1000,
    })),
    ended: complete,
    targetDurationSec: HLS_TARGET_DURATION_S,
  });
}

/**
 * Every playlist of the task, by file name. The video (and the original sound) reach as far
 * as the language that is furthest: every language's parts share the same cuts.
 */
export function renderTaskPlaylists(
  task: TaskRecord,
  tracks: readonly PublishedTrack[],
): Map<string, string> {
  const files = new Map<string, string>();
  const furthest = tracks.reduce<PublishedTrack | null>(
    (best, t) => (best === null || t.published.length > best.published.length ? t : best),
    null,
  );
  const videoParts = furthest?.published ?? [];
  const videoComplete = tracks.some((t) => t.complete);
  if (task.hasVideo) files.set(hls.videoPlaylist, renderPlaylist(videoParts, videoComplete, hls.videoChunk));
  const withOriginal = task.hasVideo && task.hasAudio;
  if (withOriginal) {
    files.set(
      hls.audioPlaylist(ORIGINAL_AUDIO),
      renderPlaylist(videoParts, videoComplete, (k, j) => hls.audioChunk(ORIGINAL_AUDIO, k, j)),
    );
  }
  for (const t of tracks) {
    files.set(
      hls.audioPlaylist(t.language),
      renderPlaylist(t.published, t.complete, (k, j) => hls.audioChunk(t.language, k, j)),
    );
    files.set(
      hls.subtitlesPlaylist(t.language),
      renderSubtitlesPlaylist(t.published, t.complete, t.language),
    );
  }
  const first = task.languages[0] ?? task.targetLanguage;
  files.set(
    hls.master,
    buildMasterPlaylist({
      // An audio-only task's variant is its first language's audio.
      video: { uri: task.hasVideo ? hls.videoPlaylist : hls.audioPlaylist(first) },
      audio: [
        ...task.languages.map((language, i) => ({
          language,
          name: languageName(language),
          uri: hls.audioPlaylist(language),
          default: i === 0,
        })),
        ...(withOriginal
          ? [{ language: "und", name: "Original", uri: hls.audioPlaylist(ORIGINAL_AUDIO), default: false }]
          : []),
      ],
      subtitles: task.languages.map((language) => ({
        language,
        name: languageName(language),
        uri: hls.subtitlesPlaylist(language),
        default: false,
      })),
    }),
  );
  return files;
}

export async function publishTask(taskId: string, language: string, ctx: StageContext): Promise<void> {
  const task = await ctx.store.getTask(taskId);
  if (!task) return;
  await mkdir(layout.hlsDir(ctx.taskDir), { recursive: true });
  const outcome = await ctx.store.publishReady(taskId, language, async (tracks) => {
    // Media playlists first, the master last (it is inserted last): a player that reads the
    // master finds every playlist it names. Only what changed is written (each write is
    // synced to disk, and a part of one language changes two or three of them).
    for (const [name, text] of renderTaskPlaylists(task, tracks)) {
      const file = layout.hlsFile(ctx.taskDir, name);
      if ((await readFile(file, "utf8").catch(() => null)) !== text) await writeFileAtomic(file, text);
    }
  });
  for (const index of outcome.newlyPublished) {
    await ctx.events.emit(taskId, {
      type: "published",
      language,
      index,
      publishedCount: index + 1,
      segmentCount: task.segmentCount ?? 0,
      publishedMs: outcome.published.filter((s) => s.index <= index).reduce((a, s) => a + s.durationMs, 0),
      dubRate: outcome.dubRate,
    });
  }
  if (!outcome.complete || task.finalLanguages.includes(language)) return;
  await writeLanguageFinal(task, language, outcome.published, ctx);
  const { allFinal, finalLanguages } = await ctx.store.markLanguageFinal(taskId, language);
  await ctx.events.emit(taskId, { type: "final", language, mp4: true, srt: true });
  if (!allFinal) return;
  await writeAllTracksMp4(task, finalLanguages, outcome.published, ctx);
  const sentences = await ctx.store.listSentences(taskId, language);
  const note = sentences.length === 0 ? NOTHING_TO_DUB : undefined;
  await ctx.store.completeTask(taskId, note);
  await ctx.events.emit(taskId, { type: "final", language, mp4: true, srt: true, all: true });
  await ctx.events.emit(taskId, {
    type: "task",
    status: "completed",
    ...(note ? { errorCode: note.code, errorMessage: note.message } : {}),
  });
  ctx.log.info({ segments: outcome.published.length, languages: finalLanguages }, "task complete");
}

/** The chunk files of one audio track (a language or the original) over the published parts. */
const trackChunks = (taskDir: string, published: readonly SegmentRecord[], track: string) =>
  publishedChunks(published).map((c) => layout.hlsFile(taskDir, hls.audioChunk(track, c.part, c.chunk)));

/** This language's MP4 (the video with its dub) and SRT/VTT. */
async function writeLanguageFinal(
  task: TaskRecord,
  language: string,
  published: readonly SegmentRecord[],
  ctx: StageContext,
): Promise<void> {
  await writeMp4(task, [language], published, layout.finalMp4(ctx.taskDir, language), ctx);
  const cues = (await ctx.store.listSentences(task.id, language))
    .filter((s) => s.translation)
    .map((s) => ({ startMs: s.startMs, endMs: s.endMs, text: s.translation ?? "" }));
  await writeFile(layout.finalSrt(ctx.taskDir, language), toSrt(cues));
  await writeFile(layout.finalVtt(ctx.taskDir, language), toVtt(cues));
}

/** One MP4 with every finished language's dub and the original sound, each tagged. */
async function writeAllTracksMp4(
  task: TaskRecord,
  languages: readonly string[],
  published: readonly SegmentRecord[],
  ctx: StageContext,
): Promise<void> {
  const ordered = task.languages.filter((l) => languages.includes(l));
  const tracks = task.hasAudio && task.hasVideo ? [...ordered, ORIGINAL_AUDIO] : ordered;
  await writeMp4(task, tracks, published, layout.allTracksMp4(ctx.taskDir), ctx);
}

/** The video chunks (if any) and each track's audio chunks joined into one MP4, without re-encoding. */
async function writeMp4(
  task: TaskRecord,
  tracks: readonly string[],
  published: readonly SegmentRecord[],
  out: string,
  ctx: StageContext,
): Promise<void> {
  await mkdir(path.dirname(out), { recursive: true });
  // Written aside and renamed: a re-dub rebuilds this file while it may be downloaded.
  const tmp = `${out}.${process.pid}.${Date.now()}.tmp.mp4`;
  const chunks = publishedChunks(published);
  await ctx.media.concatRenditionsToMp4({
    videoTs: task.hasVideo
      ? chunks.map((c) => layout.hlsFile(ctx.taskDir, hls.videoChunk(c.part, c.chunk)))
      : [],
    audioTracks: tracks.map((track) => ({
      tsPaths: trackChunks(ctx.taskDir, published, track),
      language: track === ORIGINAL_AUDIO ? "und" : track,
      title: track === ORIGINAL_AUDIO ? "Original" : languageName(track),
    })),
    durationsMs: chunks.map((c) => c.durationMs),
    out: tmp,
    signal: ctx.signal,
  });
  await rename(tmp, out);
}

/** What a player's menu and a file's track title show for a language: "French", "Español"… in English. */
export function languageName(tag: string): string {
  try {
    return new Intl.DisplayNames(["en"], { type: "language" }).of(tag) ?? tag;
  } catch {
    return tag;
  }
}

const NOTHING_TO_DUB = {
  code: "NOTHING_TO_DUB",
  message: "No speech was found in this file, so there was nothing to dub: the download is the original.",
};
