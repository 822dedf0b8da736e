/** Languages offered for the target (and source) language, filtered by what the TTS speaks. */
import { createEspeakEngine } from "@vitranslator/pipeline";

const NAMES: Record<string, string> = {
  en: "English",
  zh: "Chinese (Mandarin)",
  ja: "Japanese",
  ko: "Korean",
  es: "Spanish",
  fr: "French",
  de: "German",
  it: "Italian",
  pt: "Portuguese",
  ru: "Russian",
  ar: "Arabic",
  hi: "Hindi",
  vi: "Vietnamese",
  tr: "Turkish",
  nl: "Dutch",
  pl: "Polish",
  sv: "Swedish",
  id: "Indonesian",
  th: "Thai",
  uk: "Ukrainian",
  cs: "Czech",
  el: "Greek",
  he: "Hebrew",
  fi: "Finnish",
  da: "Danish",
  no: "Norwegian",
  hu: "Hungarian",
  ro: "Romanian",
  ms: "Malay",
  fa: "Persian",
};

const tts = createEspeakEngine();
export const TARGET_LANGUAGES = Object.entries(NAMES)
  .filter(([code]) => tts.supports(code))
  .map(([code, name]) => ({ code, name }));

export const isTargetLanguage = (code: string) => TARGET_LANGUAGES.some((l) => l.code === code);
export const isSourceLanguage = (code: string) => code in NAMES;
