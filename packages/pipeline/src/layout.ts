/** Where a task's files live inside its folder. One place, so every stage agrees. */
import path from "node:path";

/**
 * A dub language as it is stored and named in files: a BCP 47 primary tag with an optional
 * region or script (`fr`, `zh`, `pt-BR`, `zh-Hant`). Checked at the door (task creation,
 * adding a language), so every path built from one is a plain name.
 */
export const LANGUAGE_TAG = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/;
export const isLanguageTag = (s: string): boolean => LANGUAGE_TAG.test(s);

/** The original sound's audio rendition ("orig" is no language tag: 4 letters, no region). */
export const ORIGINAL_AUDIO = "orig";

/** File names inside a task's hls/ folder. `track` is a language tag or ORIGINAL_AUDIO. */
export const hls = {
  master: "index.m3u8",
  videoPlaylist: "video.m3u8",
  /** Chunk `j` of part `k` of the video (a part publishes one or more chunks of at most ~6 s). */
  videoChunk: (k: number, j: number) => `v_${k}_${j}.ts`,
  audioPlaylist: (track: string) => `audio_${track}.m3u8`,
  audioChunk: (track: string, k: number, j: number) => `a_${track}_${k}_${j}.ts`,
  subtitlesPlaylist: (language: string) => `subs_${language}.m3u8`,
  /** One WebVTT file per part. */
  subtitlesPart: (language: string, k: number) => `s_${language}_${k}.vtt`,
};

const seg = (taskDir: string, k: number, ...rest: string[]) => path.join(taskDir, "seg", String(k), ...rest);

export const layout = {
  cues: (taskDir: string) => path.join(taskDir, "work", "cues.json"),
  /** Which segments start on a source keyframe and copy the video (see stages/segment.ts). */
  videoPlan: (taskDir: string) => path.join(taskDir, "work", "video-plan.json"),
  segDir: (taskDir: string, k: number) => seg(taskDir, k),
  segAudio: (taskDir: string, k: number) => seg(taskDir, k, "audio.wav"),
  segVideo: (taskDir: string, k: number) => seg(taskDir, k, "video.mp4"),
  segAsrAudio: (taskDir: string, k: number) => seg(taskDir, k, "asr16k.wav"),
  segReference: (taskDir: string, k: number) => seg(taskDir, k, "reference.wav"),
  /** Where the part's HLS chunks are cut (ms from the part's start), shared by video and every audio rendition. */
  segChunkCuts: (taskDir: string, k: number) => seg(taskDir, k, "chunk-cuts.json"),
  draft: (taskDir: string, k: number, language: string, sentence: number) =>
    seg(taskDir, k, language, "draft", `${sentence}.wav`),
  /** The segment's own speech and the rest, from the separator. */
  segSourceVocals: (taskDir: string, k: number) => seg(taskDir, k, "source-vocals.wav"),
  segBackground: (taskDir: string, k: number) => seg(taskDir, k, "background.wav"),
  /** The dubbed speech of one language on the part's timeline. */
  segVocals: (taskDir: string, k: number, language: string) => seg(taskDir, k, language, "vocals.wav"),
  segBurnSrt: (taskDir: string, k: number, language: string) => seg(taskDir, k, language, "burn.srt"),

  hlsDir: (taskDir: string) => path.join(taskDir, "hls"),
  /** The master playlist: the video variant, an audio rendition per language (+ original), subtitles. */
  playlist: (taskDir: string) => path.join(taskDir, "hls", hls.master),
  hlsFile: (taskDir: string, name: string) => path.join(taskDir, "hls", name),
  /** Names inside hls/ (flat, so serving checks one name against `isHlsName`). */
  hls,

  finalMp4: (taskDir: string, language: string) => path.join(taskDir, "out", language, "dubbed.mp4"),
  finalSrt: (taskDir: string, language: string) => path.join(taskDir, "out", language, "subtitles.srt"),
  finalVtt: (taskDir: string, language: string) => path.join(taskDir, "out", language, "subtitles.vtt"),
  /** One MP4 with every finished dub and the original sound as audio tracks, tagged by language. */
  allTracksMp4: (taskDir: string) => path.join(taskDir, "out", "all-languages.mp4"),
  /**
   * Where a task dubbed before there were several languages keeps its final files (its one
   * language's): the downloads fall back to these when the language's own are absent.
   */
  legacyFinal: (taskDir: string, ext: "mp4" | "srt" | "vtt") =>
    path.join(taskDir, "out", ext === "mp4" ? "dubbed.mp4" : `subtitles.${ext}`),
};

const TRACK = "([a-z]{2,3}(?:-[A-Za-z0-9]{2,8})?|orig)";
const HLS_NAME = new RegExp(
  [
    "index\\.m3u8",
    "video\\.m3u8",
    "v_\\d{1,6}_\\d{1,4}\\.ts",
    `audio_${TRACK}\\.m3u8`,
    `a_${TRACK}_\\d{1,6}_\\d{1,4}\\.ts`,
    `subs_${TRACK}\\.m3u8`,
    `s_${TRACK}_\\d{1,6}\\.vtt`,
    // A task dubbed before there were several languages: its index.m3u8 lists muxed chunks.
    "seg_\\d{1,6}_\\d{1,4}\\.ts",
  ]
    .map((p) => `(?:${p})`)
    .join("|")
    .replace(/^/, "^(?:")
    .concat(")$"),
);

/** Whether `name` is a file the hls/ folder may hold (playlist, chunk or WebVTT part): the only names served. */
export const isHlsName = (name: string): boolean => HLS_NAME.test(name);

/**
 * Sentence ids are `part * SENTENCES_PER_SEGMENT + position`, so they sort in time order;
 * a part never holds more sentences than this (the asr stage refuses it), so ids of two
 * parts cannot collide. 100 000 × the most parts a capped upload plans stays inside an int.
 */
export const SENTENCES_PER_SEGMENT = 100_000;
