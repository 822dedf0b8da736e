/**
 * A task's glossary as the client sent it (upload field or text): checked with the
 * pipeline's parser (the same one the translator uses), stored as given but for its line
 * breaks (a form's text field arrives with CRLF, whatever the user typed): "\n".
 */
import { GlossaryError, parseGlossary } from "@vitranslator/pipeline/glossary/parse";
import { AppError } from "./errors";

/** The text to store, or null when there is none (empty, or comments only); refusals are INVALID_GLOSSARY / GLOSSARY_TOO_LARGE. */
export function taskGlossary(text: string | null | undefined): string | null {
  if (text === null || text === undefined || text.trim() === "") return null;
  try {
    return parseGlossary(text).length > 0 ? text.replace(/\r\n?/g, "\n") : null;
  } catch (e) {
    if (e instanceof GlossaryError) throw new AppError(e.code, e.message, { cause: e });
    throw e;
  }
}
