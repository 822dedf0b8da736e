/** A task's glossary: parsing the user's text, finding terms, and translating with it. */
export {
  GLOSSARY_LIMITS,
  GlossaryError,
  normaliseGlossaryText,
  parseGlossary,
  serialiseGlossary,
} from "./parse";
export type { GlossaryLimits } from "./parse";
export { entriesFor, lostTerms, matchKey, termOccurs, translationOccurs } from "./match";
export type { GlossaryEntry } from "./types";
export { translateWithGlossary } from "./translate";
export type { GlossaryTranslation } from "./translate";
