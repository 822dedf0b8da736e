/**
 * A task's dub languages as a client names them: language tags (layout.ts LANGUAGE_TAG, so
 * every file name built from one is a plain name), lower-cased, deduplicated in the order
 * given, at most MAX_TASK_LANGUAGES. Whether the workers can speak them is the caller's
 * check (it needs the engines report).
 */
import { isLanguageTag } from "@vitranslator/pipeline/layout";
import { AppError } from "./errors";

/** Each language costs a translation, a dub and an audio rendition of every part. */
export const MAX_TASK_LANGUAGES = 8;

/** One language tag as stored, or UNSUPPORTED_LANGUAGE for anything that is not one. */
export function languageTag(raw: string): string {
  const language = raw.trim().toLowerCase();
  if (!isLanguageTag(language))
    throw new AppError(
      "UNSUPPORTED_LANGUAGE",
      `"${language.slice(0, 20)}" is not a language tag (e.g. fr, zh, es, pt-br).`,
    );
  return language;
}

/** The languages of `values`, each a tag or a comma list of tags; empty entries are skipped. */
export function taskLanguages(values: readonly string[]): string[] {
  const languages: string[] = [];
  for (const value of values) {
    for (const part of value.split(",")) {
      if (part.trim() === "") continue;
      const language = languageTag(part);
      if (languages.includes(language)) continue;
      languages.push(language);
      // Refused as soon as the cap is passed, so a long list costs no more than the cap.
      if (languages.length > MAX_TASK_LANGUAGES) throw tooManyLanguages();
    }
  }
  return languages;
}

export const tooManyLanguages = () =>
  new AppError("TOO_MANY_LANGUAGES", `A video can be dubbed into at most ${MAX_TASK_LANGUAGES} languages.`);

export const burnOneLanguage = () =>
  new AppError(
    "BURN_ONE_LANGUAGE",
    "Burned-in subtitles can only be in one language: dub into one language, or leave subtitles as a track (the player and the downloads have them per language).",
  );
