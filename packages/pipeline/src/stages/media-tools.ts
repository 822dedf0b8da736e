/**
 * The media work the stages do, behind one port (StageContext.media): ffmpeg, ffprobe and
 * the VAD through these functions only, so a stage can be unit-tested with fakes. The real
 * implementations are `mediaTools`; the runner passes them unless told otherwise.
 */
import { renderTimeline } from "../audio";
import { concatRenditionsToMp4 } from "../hls";
import {
  detectSilences,
  extractSegment,
  extractWav16k,
  ffmpeg,
  listKeyframesMs,
  normaliseSource,
  probeMedia,
  writePartChunks,
} from "../media";
import { extractEmbeddedSubtitles } from "../subtitles/embedded";
import { detectSpeechRegions } from "../vad";

/** A mono 16 kHz WAV of [startMs, startMs + durationMs) of `input` (speaker reference clips). */
async function extractClip(opts: {
  input: string;
  startMs: number;
  durationMs: number;
  out: string;
  signal?: AbortSignal;
}): Promise<void> {
  await ffmpeg(
    [
      "-ss",
      (opts.startMs / 1000).toFixed(3),
      "-t",
      (opts.durationMs / 1000).toFixed(3),
      "-i",
      opts.input,
      "-ac",
      "1",
      "-ar",
      "16000",
      opts.out,
    ],
    { signal: opts.signal },
  );
}

export const mediaTools = {
  normaliseSource,
  probeMedia,
  listKeyframesMs,
  detectSilences,
  detectSpeechRegions,
  extractEmbeddedSubtitles,
  extractSegment,
  extractWav16k,
  extractClip,
  renderTimeline,
  writePartChunks,
  concatRenditionsToMp4,
};

export type MediaTools = typeof mediaTools;
