import { randomBytes } from "node:crypto";
import { rename, rm } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { wavDurationMs } from "../audio/wav";
import { PipelineError } from "../errors";
import { runProcess } from "../media/process";
import type { TtsEngine, TtsRequest, TtsResult } from "./types";
import { espeakVoiceForSpeaker } from "./voices";

/**
 * Language tag → espeak-ng voice. Full tags are looked up first ("pt-br"), then the base
 * language ("pt"). Chinese means Mandarin unless the tag says Cantonese.
 */
const VOICES: Record<string, string> = {
  zh: "cmn",
  "zh-cn": "cmn",
  "zh-hans": "cmn",
  "zh-tw": "cmn",
  "zh-hant": "cmn",
  "zh-hk": "yue",
  cmn: "cmn",
  yue: "yue",
  en: "en-us",
  "en-us": "en-us",
  "en-gb": "en-gb",
  ja: "ja",
  ko: "ko",
  es: "es",
  "es-419": "es-419",
  "es-mx": "es-419",
  fr: "fr-fr",
  "fr-be": "fr-be",
  "fr-ch": "fr-ch",
  de: "de",
  it: "it",
  pt: "pt",
  "pt-br": "pt-br",
  ru: "ru",
  ar: "ar",
  hi: "hi",
  vi: "vi",
  tr: "tr",
  nl: "nl",
  pl: "pl",
  sv: "sv",
  uk: "uk",
  id: "id",
  ms: "ms",
  th: "th",
  cs: "cs",
  el: "el",
  he: "he",
  fa: "fa",
  ro: "ro",
  hu: "hu",
  fi: "fi",
  da: "da",
  nb: "nb",
  no: "nb",
  bn: "bn",
  ta: "ta",
  ur: "ur",
};

/** espeak's voice for a language tag, or undefined when espeak-ng cannot speak it. */
export function espeakVoiceFor(language: string): string | undefined {
  const tag = language.trim().toLowerCase().replace(/_/g, "-");
  const parts = tag.split("-");
  // Try "zh-hant-tw" → "zh-hant" → "zh".
  for (let n = parts.length; n > 0; n--) {
    const voice = VOICES[parts.slice(0, n).join("-")];
    if (voice) return voice;
  }
  return undefined;
}

export interface EspeakOptions {
  /** Words per minute; espeak's default is 175. */
  wordsPerMinute?: number;
  command?: string;
}

/**
 * espeak-ng as a TTS engine. It is GPL, so it only ever runs as a separate program. Text goes
 * through stdin, so text starting with "-" cannot be taken for an option. The output is
 * espeak's own WAV (22.05 kHz mono, 16-bit): later steps read any WAV (the part's timeline
 * resamples every clip while placing it), so no conversion run is spent per sentence.
 */
export class EspeakEngine implements TtsEngine {
  readonly name = "espeak-ng";
  readonly #wpm: number;
  readonly #command: string;

  constructor(opts: EspeakOptions = {}) {
    this.#wpm = opts.wordsPerMinute ?? 175;
    this.#command = opts.command ?? "espeak-ng";
  }

  supports(language: string): boolean {
    return espeakVoiceFor(language) !== undefined;
  }

  async synthesize(req: TtsRequest): Promise<TtsResult> {
    const base = req.voice ?? espeakVoiceFor(req.language);
    if (!base) {
      throw new PipelineError({
        code: "UNSUPPORTED_LANGUAGE",
        category: "user",
        message: `espeak-ng has no voice for language "${req.language}"`,
      });
    }
    const voice = espeakVoiceForSpeaker(base, req.speaker);
    const out = resolve(req.outPath);
    // Written aside and renamed: a reader never sees half a file.
    const partial = join(dirname(out), `.${basename(out)}.${randomBytes(4).toString("hex")}.tmp.wav`);
    try {
      await runProcess({
        command: this.#command,
        args: ["-v", voice, "-s", String(this.#wpm), "-w", partial, "--stdin"],
        // A trailing newline makes espeak speak the last clause instead of waiting for more.
        stdin: `${req.text.replace(/\s+/g, " ").trim()}\n`,
        signal: req.signal,
      });
      await rename(partial, out);
    } finally {
      await rm(partial, { force: true });
    }
    return { path: out, durationMs: await wavDurationMs(out) };
  }
}

export function createEspeakEngine(opts: EspeakOptions = {}): TtsEngine {
  return new EspeakEngine(opts);
}
