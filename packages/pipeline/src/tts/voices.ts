/**
 * Speaker → voice. A speaker's voice is a pure function of its label, so every segment and
 * every worker process picks the same voice for "SPEAKER_01" without storing anything:
 *
 * - a label ending in a number ("SPEAKER_00", "spk3", "S 2") takes slot `number mod n`, so
 *   diarization's own numbering gives distinct voices to the first n speakers;
 * - any other label takes slot `FNV-1a(label) mod n` (stable, but two speakers may share).
 *
 * Sentences without a speaker keep the engine's default voice.
 */

/** espeak-ng voice variants in the order speakers get them: alternating male/female, distinct timbres. */
export const ESPEAK_SPEAKER_VARIANTS = ["m3", "f2", "m1", "f4", "m7", "f1", "m5", "f5"] as const;

/** Voices of OpenAI's speech API in the order speakers get them. */
export const OPENAI_SPEAKER_VOICES = [
  "alloy",
  "nova",
  "echo",
  "shimmer",
  "onyx",
  "fable",
  "ash",
  "coral",
] as const;

/** Index of `speaker` among `count` voices (see the module comment). */
export function speakerSlot(speaker: string, count: number): number {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`voice count must be ≥ 1, got ${count}`);
  const numbered = /(\d+)\s*$/.exec(speaker.trim());
  if (numbered?.[1]) return Number(numbered[1].slice(-9)) % count;
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(speaker, "utf8")) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % count;
}

/** The voice of `speaker` from `voices`; `fallback` when there is no speaker or no list. */
export function voiceForSpeaker<T>(opts: {
  speaker: string | null | undefined;
  voices: readonly T[];
  fallback: T;
}): T {
  const { speaker, voices, fallback } = opts;
  if (!speaker || voices.length === 0) return fallback;
  return voices[speakerSlot(speaker, voices.length)] ?? fallback;
}

/**
 * espeak-ng voice for a speaker: the language voice plus a variant ("fr-fr+m3"). A voice
 * that already names a variant is kept as it is: the user chose it.
 */
export function espeakVoiceForSpeaker(base: string, speaker: string | null | undefined): string {
  if (!speaker || base.includes("+")) return base;
  return `${base}+${voiceForSpeaker({ speaker, voices: ESPEAK_SPEAKER_VARIANTS, fallback: "m3" })}`;
}
