/**
 * Which CosyVoice request a sentence becomes, and the text each model version expects.
 * Pure, so the choice is unit-tested without a server.
 */
import { PipelineError } from "../../errors";

export type CosyVoiceVersion = 1 | 2 | 3;
export type CosyVoiceMode = "zero_shot" | "cross_lingual" | "sft";

/** Output rate of each model version (the server streams PCM at the model's own rate). */
export const COSYVOICE_SAMPLE_RATES: Record<CosyVoiceVersion, number> = { 1: 22_050, 2: 24_000, 3: 24_000 };

/** Languages each version speaks (base codes); v3 added the European ones. */
const LANGUAGES: Record<CosyVoiceVersion, readonly string[]> = {
  1: ["zh", "en", "ja", "ko", "yue"],
  2: ["zh", "en", "ja", "ko", "yue"],
  3: ["zh", "en", "ja", "ko", "yue", "de", "es", "fr", "it", "ru"],
};

/**
 * v3 reads a system prompt before `<|endofprompt|>` in the text it is conditioned on: the
 * prompt text for zero-shot, the spoken text itself for cross-lingual and sft (which have
 * no prompt text). Upstream warns from 3b44913 on when the marker is missing.
 */
const V3_PROMPT = "You are a helpful assistant.<|endofprompt|>";

/** Base language of a tag: "zh-HK" → "yue" (Cantonese), "en-US" → "en", "cmn" → "zh". */
export function baseLanguage(tag: string): string {
  const t = tag.trim().toLowerCase().replace(/_/g, "-");
  if (t === "zh-hk" || t === "zh-mo" || t.startsWith("yue")) return "yue";
  const base = t.split("-")[0] ?? "";
  return base === "cmn" ? "zh" : base;
}

export function cosyVoiceSupports(version: CosyVoiceVersion, language: string): boolean {
  return LANGUAGES[version].includes(baseLanguage(language));
}

export interface ModeInput {
  /** Target language of the speech. */
  language: string;
  /** Has a reference clip of the original speaker. */
  hasReference: boolean;
  /** Transcript of the reference clip (whole clip, not cut short). */
  referenceText?: string | undefined;
  /** Language of the reference clip; unknown counts as different. */
  referenceLanguage?: string | undefined;
  /** Configured built-in speaker (COSYVOICE_SPK_ID). */
  speakerId?: string | undefined;
}

/**
 * Zero-shot clones the voice and needs the clip's transcript in the same language as the
 * new text; cross-lingual clones from the audio alone (the dubbing case: the target
 * language differs); sft speaks with a built-in speaker when there is no clip.
 */
export function chooseCosyVoiceMode(input: ModeInput): CosyVoiceMode {
  if (input.hasReference) {
    const sameLanguage =
      input.referenceLanguage !== undefined &&
      baseLanguage(input.referenceLanguage) === baseLanguage(input.language);
    return sameLanguage && input.referenceText?.trim() ? "zero_shot" : "cross_lingual";
  }
  if (input.speakerId) return "sft";
  throw new PipelineError({
    code: "TTS_NO_VOICE",
    category: "user",
    message:
      "CosyVoice has no voice for this sentence: there is no reference clip of the speaker (the video has no audio) " +
      "and COSYVOICE_SPK_ID is not set. Set COSYVOICE_SPK_ID to a speaker the server's model knows " +
      "(中文女, 英文男, … on CosyVoice-300M-SFT; on CosyVoice2/3 only speakers saved with add_zero_shot_spk + save_spkinfo).",
  });
}

/** Text of the request: v1 cross-lingual wants a language tag; v3 cross-lingual and sft a system prompt. */
export function cosyVoiceText(opts: {
  version: CosyVoiceVersion;
  mode: CosyVoiceMode;
  text: string;
  language: string;
}): string {
  const text = opts.text.replace(/\s+/g, " ").trim();
  if (opts.version === 3 && opts.mode !== "zero_shot") return `${V3_PROMPT}${text}`;
  if (opts.version === 1 && opts.mode === "cross_lingual") {
    const lang = baseLanguage(opts.language);
    return LANGUAGES[1].includes(lang) ? `<|${lang}|>${text}` : text;
  }
  return text;
}

/** Zero-shot prompt text; v3 wants its system prompt in front of the transcript. */
export function cosyVoicePromptText(version: CosyVoiceVersion, referenceText: string): string {
  const text = referenceText.replace(/\s+/g, " ").trim();
  return version === 3 ? `${V3_PROMPT}${text}` : text;
}
