/** Where a task's files live inside its folder. One place, so every stage agrees. */
import path from "node:path";

export const layout = {
  cues: (taskDir: string) => path.join(taskDir, "work", "cues.json"),
  /** Which segments start on a source keyframe and copy the video (see stages/segment.ts). */
  videoPlan: (taskDir: string) => path.join(taskDir, "work", "video-plan.json"),
  segDir: (taskDir: string, k: number) => path.join(taskDir, "seg", String(k)),
  segAudio: (taskDir: string, k: number) => path.join(taskDir, "seg", String(k), "audio.wav"),
  segVideo: (taskDir: string, k: number) => path.join(taskDir, "seg", String(k), "video.mp4"),
  segAsrAudio: (taskDir: string, k: number) => path.join(taskDir, "seg", String(k), "asr16k.wav"),
  segReference: (taskDir: string, k: number) => path.join(taskDir, "seg", String(k), "reference.wav"),
  draft: (taskDir: string, k: number, sentence: number) =>
    path.join(taskDir, "seg", String(k), "draft", `${sentence}.wav`),
  finalClip: (taskDir: string, k: number, sentence: number) =>
    path.join(taskDir, "seg", String(k), "final", `${sentence}.wav`),
  /** The segment's own speech and the rest, from the separator (segVocals is the dub). */
  segSourceVocals: (taskDir: string, k: number) => path.join(taskDir, "seg", String(k), "source-vocals.wav"),
  segBackground: (taskDir: string, k: number) => path.join(taskDir, "seg", String(k), "background.wav"),
  segVocals: (taskDir: string, k: number) => path.join(taskDir, "seg", String(k), "vocals.wav"),
  segBurnSrt: (taskDir: string, k: number) => path.join(taskDir, "seg", String(k), "burn.srt"),
  hlsDir: (taskDir: string) => path.join(taskDir, "hls"),
  playlist: (taskDir: string) => path.join(taskDir, "hls", "index.m3u8"),
  /** Chunk `j` of part `k` (a part publishes one or more HLS chunks of at most ~6 s). */
  hlsChunkName: (k: number, j: number) => `seg_${k}_${j}.ts`,
  hlsChunk: (taskDir: string, k: number, j: number) => path.join(taskDir, "hls", `seg_${k}_${j}.ts`),
  /** Inverse of hlsChunkName, for serving: null for any other name. */
  parseHlsChunkName: (name: string): { part: number; chunk: number } | null => {
    const m = /^seg_(\d{1,6})_(\d{1,4})\.ts$/.exec(name);
    return m ? { part: Number(m[1]), chunk: Number(m[2]) } : null;
  },
  finalMp4: (taskDir: string) => path.join(taskDir, "out", "dubbed.mp4"),
  finalSrt: (taskDir: string) => path.join(taskDir, "out", "subtitles.srt"),
  finalVtt: (taskDir: string) => path.join(taskDir, "out", "subtitles.vtt"),
};

/**
 * Sentence ids are `part * SENTENCES_PER_SEGMENT + position`, so they sort in time order;
 * a part never holds more sentences than this (the asr stage refuses it), so ids of two
 * parts cannot collide. 100 000 × the most parts a capped upload plans stays inside an int.
 */
export const SENTENCES_PER_SEGMENT = 100_000;
