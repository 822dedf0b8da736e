/** Text clean-up before speech synthesis: what a voice should not read aloud. */
export function normalizeForSpeech(text: string): string {
  return text
    .replace(/<[^>]+>/g, " ")
    .replace(/\{\\[^}]*\}/g, " ")
    .replace(/\[[^\]]*\]|\([^)]*(music|applause|laughs?|musique|音乐)[^)]*\)/gi, " ")
    .replace(/[♪♫#*_~]+/g, " ")
    .replace(/^\s*[-–—]\s*/g, "")
    .replace(/\s+/g, " ")
    .trim();
}
