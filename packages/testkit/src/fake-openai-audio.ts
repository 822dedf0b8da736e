/** Transcription side of the fake OpenAI server: Whisper-shaped answers over a fixed script. */

export interface FakeTranscriptSegment {
  /** Seconds. */
  start: number;
  end: number;
  text: string;
}

export interface FakeTranscript {
  /** Reported language; OpenAI reports Whisper's English name ("english"). */
  language?: string;
  /** Seconds; default: from the WAV header of the upload, else 10. */
  durationSec?: number;
  /** Sentences spread evenly over the duration (ignored when `segments` is set). */
  sentences?: string[];
  /** Exact segments to return. */
  segments?: FakeTranscriptSegment[];
}

export const DEFAULT_TRANSCRIPT_SENTENCES = [
  "Hello and welcome to this short video.",
  "Today we will see how a video is dubbed into another language.",
  "Thank you for watching.",
];

const DEFAULT_DURATION_SEC = 10;

/** Duration of a RIFF/WAVE upload from its header, so a real test clip gets fitting times. */
export function wavDurationSec(bytes: Uint8Array): number | undefined {
  if (bytes.length < 44) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (at: number) => String.fromCharCode(...bytes.subarray(at, at + 4));
  if (tag(0) !== "RIFF" || tag(8) !== "WAVE") return undefined;
  let byteRate = 0;
  let at = 12;
  while (at + 8 <= bytes.length) {
    const id = tag(at);
    const size = view.getUint32(at + 4, true);
    if (id === "fmt " && at + 16 <= bytes.length) byteRate = view.getUint32(at + 16, true);
    if (id === "data" && byteRate > 0) {
      // Streamed WAVs (ffmpeg to a pipe) leave the size at 0 or 0xFFFFFFFF; use what arrived.
      const dataBytes = size === 0 || size === 0xffffffff ? bytes.length - at - 8 : size;
      return Math.min(dataBytes, bytes.length - at - 8) / byteRate;
    }
    at += 8 + size + (size % 2);
  }
  return undefined;
}

export function buildSegments(
  transcript: FakeTranscript | undefined,
  durationSec: number,
): FakeTranscriptSegment[] {
  if (transcript?.segments) return transcript.segments;
  const sentences = transcript?.sentences ?? DEFAULT_TRANSCRIPT_SENTENCES;
  const slot = durationSec / Math.max(1, sentences.length);
  const round = (s: number) => Math.round(s * 100) / 100;
  // Whisper puts a leading space on segment text; clients must trim it.
  return sentences.map((text, i) => ({
    start: round(i * slot + slot * 0.05),
    end: round(i * slot + slot * 0.9),
    text: ` ${text}`,
  }));
}

export function resolveDuration(
  transcript: FakeTranscript | undefined,
  audioDurationSec: number | undefined,
  file: Uint8Array,
): number {
  return transcript?.durationSec ?? audioDurationSec ?? wavDurationSec(file) ?? DEFAULT_DURATION_SEC;
}

export function verboseJson(opts: {
  language: string;
  durationSec: number;
  segments: FakeTranscriptSegment[];
  granularities: string[];
}): object {
  const withSegments = opts.granularities.length === 0 || opts.granularities.includes("segment");
  const withWords = opts.granularities.includes("word");
  return {
    task: "transcribe",
    language: opts.language,
    duration: opts.durationSec,
    text: opts.segments.map((s) => s.text.trim()).join(" "),
    ...(withSegments
      ? {
          segments: opts.segments.map((s, id) => ({
            id,
            seek: 0,
            start: s.start,
            end: s.end,
            text: s.text,
            tokens: [],
            temperature: 0,
            avg_logprob: -0.25,
            compression_ratio: 1.3,
            no_speech_prob: 0.01,
          })),
        }
      : {}),
    ...(withWords ? { words: wordsOf(opts.segments) } : {}),
  };
}

function wordsOf(segments: FakeTranscriptSegment[]): { word: string; start: number; end: number }[] {
  return segments.flatMap((s) => {
    const words = s.text.trim().split(/\s+/).filter(Boolean);
    const each = (s.end - s.start) / Math.max(1, words.length);
    return words.map((word, i) => ({
      word,
      start: Math.round((s.start + i * each) * 100) / 100,
      end: Math.round((s.start + (i + 1) * each) * 100) / 100,
    }));
  });
}

function timestamp(sec: number, sep: "," | "."): string {
  const ms = Math.round(sec * 1000);
  const pad = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${pad(Math.floor(ms / 3_600_000))}:${pad(Math.floor(ms / 60_000) % 60)}:${pad(Math.floor(ms / 1000) % 60)}${sep}${pad(ms % 1000, 3)}`;
}

export function subtitles(segments: FakeTranscriptSegment[], format: "srt" | "vtt"): string {
  const sep = format === "srt" ? "," : ".";
  const cues = segments.map((s, i) => {
    const head = format === "srt" ? `${i + 1}\n` : "";
    return `${head}${timestamp(s.start, sep)} --> ${timestamp(s.end, sep)}\n${s.text.trim()}\n`;
  });
  return (format === "vtt" ? "WEBVTT\n\n" : "") + cues.join("\n");
}
