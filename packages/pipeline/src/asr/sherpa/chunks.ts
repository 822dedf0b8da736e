/** Pure helpers: VAD speech spans → recognizer chunks → sentence segments with times. */

export interface SpeechSpan {
  startMs: number;
  endMs: number;
}

export interface ChunkOptions {
  /** Spans closer than this are one chunk: the recognizer does better with a whole phrase. */
  maxGapMs?: number;
  /** A chunk never grows past this (SenseVoice/Whisper work best under ~20–30 s). */
  maxChunkMs?: number;
}

/** Merges speech spans (sorted or not) into chunks no longer than maxChunkMs. */
export function groupSpeech(spans: readonly SpeechSpan[], opts: ChunkOptions = {}): SpeechSpan[] {
  const maxGap = opts.maxGapMs ?? 700;
  const maxLen = opts.maxChunkMs ?? 15_000;
  const sorted = [...spans].filter((s) => s.endMs > s.startMs).sort((a, b) => a.startMs - b.startMs);
  const out: SpeechSpan[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.startMs - last.endMs <= maxGap && Math.max(last.endMs, s.endMs) - last.startMs <= maxLen) {
      last.endMs = Math.max(last.endMs, s.endMs);
    } else {
      out.push({ ...s });
    }
  }
  return out;
}

export interface RecognizedChunk {
  startMs: number;
  endMs: number;
  text: string;
  /** Token strings and their start times in seconds from the chunk start (when the model gives them). */
  tokens?: readonly string[];
  timestamps?: readonly number[];
  language?: string;
}

export interface SentenceSegment {
  startMs: number;
  endMs: number;
  text: string;
  language?: string;
}

const SENTENCE_END = /[.!?。！？…]["'”’)）」』]?$/u;

/**
 * Splits a chunk's text into sentences at sentence-final punctuation, timing each from the
 * token timestamps. Without timestamps (or when they do not match the tokens), the chunk
 * stays one sentence: times from the VAD are still right, only coarser.
 */
export function splitSentences(chunk: RecognizedChunk): SentenceSegment[] {
  const text = chunk.text.trim();
  if (text === "") return [];
  const lang = chunk.language ? { language: chunk.language } : {};
  const { tokens, timestamps } = chunk;
  if (!tokens || !timestamps || tokens.length === 0 || tokens.length !== timestamps.length) {
    return [{ startMs: chunk.startMs, endMs: chunk.endMs, text, ...lang }];
  }
  const pieces: { first: number; last: number }[] = [];
  let first = 0;
  tokens.forEach((tok, i) => {
    if (SENTENCE_END.test(tok.trim()) || i === tokens.length - 1) {
      pieces.push({ first, last: i });
      first = i + 1;
    }
  });
  const at = (i: number) => Math.round(chunk.startMs + (timestamps[i] ?? 0) * 1000);
  const out: SentenceSegment[] = [];
  pieces.forEach((p, k) => {
    const words = joinTokens(tokens.slice(p.first, p.last + 1));
    if (words === "") return;
    const startMs = k === 0 ? chunk.startMs : Math.max(chunk.startMs, at(p.first));
    const next = pieces[k + 1];
    const endMs = next ? Math.min(chunk.endMs, Math.max(startMs + 1, at(next.first))) : chunk.endMs;
    out.push({ startMs, endMs, text: words, ...lang });
  });
  // Short tails ("OK.") read better joined to the sentence before than as their own line.
  return mergeTinySentences(out, 2);
}

/** SentencePiece/BPE tokens: "▁" (or a leading space) starts a word; CJK tokens join without spaces. */
export function joinTokens(tokens: readonly string[]): string {
  return tokens.join("").replace(/▁/g, " ").replace(/\s+/g, " ").trim();
}

function mergeTinySentences(segs: SentenceSegment[], minChars: number): SentenceSegment[] {
  const out: SentenceSegment[] = [];
  for (const s of segs) {
    const last = out[out.length - 1];
    if (last && s.text.replace(/[\p{P}\s]/gu, "").length < minChars) {
      last.text = `${last.text} ${s.text}`.replace(/\s+([\p{P}])/gu, "$1");
      last.endMs = s.endMs;
    } else out.push({ ...s });
  }
  return out;
}

/** SenseVoice reports "<|en|>", Whisper "en"; the pipeline uses ISO 639-1 ("yue" is written Chinese). */
export function normaliseAsrLanguage(lang: string | undefined): string | undefined {
  const code = (lang ?? "").replace(/[<|>]/g, "").trim().toLowerCase();
  if (code === "" || code === "nospeech" || code === "auto") return undefined;
  if (code === "yue") return "zh";
  return code;
}

/** The language spoken longest across the segments. */
export function dominantLanguage(segs: readonly SentenceSegment[]): string | undefined {
  const total = new Map<string, number>();
  for (const s of segs) {
    if (s.language) total.set(s.language, (total.get(s.language) ?? 0) + (s.endMs - s.startMs));
  }
  let best: string | undefined;
  let bestMs = -1;
  for (const [lang, ms] of total) {
    if (ms > bestMs) {
      best = lang;
      bestMs = ms;
    }
  }
  return best;
}
