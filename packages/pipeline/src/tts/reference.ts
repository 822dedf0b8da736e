/**
 * Per-speaker reference clips for voice-cloning engines. Each speaker of a segment is cloned
 * from their own longest sentence in that segment (≤ 8 s), so two people in one scene keep
 * two voices, and a speaker sounds like themselves in every segment.
 */
import { createHash } from "node:crypto";
import path from "node:path";
import { PCM16_MONO_16K } from "../media/args";
import { ffmpeg } from "../media/process";

export const MAX_REFERENCE_MS = 8000;

export interface ReferenceSentence {
  index: number;
  startMs: number;
  endMs: number;
  speaker: string | null;
  sourceText: string;
}

export interface ReferencePlan {
  speaker: string | null;
  /** Task-absolute start of the clip. */
  startMs: number;
  durationMs: number;
  /** The sentence's text when the clip holds all of it; null when the clip had to be cut short. */
  text: string | null;
}

/** Key of a speaker in plans: "" for sentences without one. */
export const speakerKey = (speaker: string | null | undefined): string => speaker ?? "";

/** Each speaker's longest sentence (earliest on ties), keyed by speakerKey. */
export function planReferences(sentences: readonly ReferenceSentence[]): Map<string, ReferencePlan> {
  const plans = new Map<string, ReferencePlan & { fullMs: number }>();
  for (const s of sentences) {
    const fullMs = s.endMs - s.startMs;
    if (fullMs <= 0) continue;
    const key = speakerKey(s.speaker);
    const best = plans.get(key);
    if (best && best.fullMs >= fullMs) continue;
    plans.set(key, {
      speaker: s.speaker,
      startMs: s.startMs,
      durationMs: Math.min(fullMs, MAX_REFERENCE_MS),
      text: fullMs <= MAX_REFERENCE_MS && s.sourceText.trim() ? s.sourceText.trim() : null,
      fullMs,
    });
  }
  return new Map([...plans].map(([k, { fullMs: _full, ...plan }]) => [k, plan]));
}

/** File name of a speaker's clip: readable, and unique even when labels differ only in odd characters. */
export function referenceFileName(speaker: string | null): string {
  if (speaker === null) return "_unlabelled.wav";
  const slug = speaker.replace(/[^A-Za-z0-9_-]+/g, "_").slice(0, 40);
  const hash = createHash("sha256").update(speaker).digest("hex").slice(0, 8);
  return `${slug}-${hash}.wav`;
}

/** Cuts one plan's clip from the segment audio as 16 kHz mono WAV. */
export async function cutReference(opts: {
  plan: ReferencePlan;
  segmentAudio: string;
  segmentStartMs: number;
  out: string;
  signal?: AbortSignal;
}): Promise<string> {
  const { plan } = opts;
  const startS = Math.max(0, plan.startMs - opts.segmentStartMs) / 1000;
  await ffmpeg(
    [
      "-ss",
      startS.toFixed(3),
      "-t",
      (plan.durationMs / 1000).toFixed(3),
      "-i",
      opts.segmentAudio,
      ...PCM16_MONO_16K,
      path.resolve(opts.out),
    ],
    { signal: opts.signal },
  );
  return opts.out;
}
