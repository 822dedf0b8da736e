/** One glossary line: wherever `term` occurs in the source, the translation should say `translation`. */
export interface GlossaryEntry {
  term: string;
  translation: string;
}
