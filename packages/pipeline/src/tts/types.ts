export interface TtsRequest {
  text: string;
  /** BCP 47 tag or bare language code ("zh", "en-US", "pt-BR"). */
  language: string;
  /** Engine-specific voice name; the engine's default for the language when absent. */
  voice?: string;
  outPath: string;
  signal?: AbortSignal;
  /**
   * Who speaks (diarization label, e.g. "SPEAKER_01"). Engines with several voices map it to
   * one of them deterministically (tts/voices.ts), so a speaker keeps one voice across segments.
   */
  speaker?: string;
  /** A clip of the original speaker (any format ffmpeg reads), for voice-cloning engines. */
  referenceAudio?: string;
  /** Transcript of `referenceAudio`, when the clip holds exactly that text. */
  referenceText?: string;
  /** Language of `referenceAudio`; absent when unknown. */
  referenceLanguage?: string;
}

export interface TtsResult {
  path: string;
  durationMs: number;
}

export interface TtsEngine {
  readonly name: string;
  supports(language: string): boolean;
  synthesize(req: TtsRequest): Promise<TtsResult>;
  /** True when the engine clones voices from `referenceAudio`; the tts stage cuts clips only then. */
  readonly usesReference?: boolean;
  /** Releases connections (gRPC channel); engines without any leave it out. */
  close?(): void;
}
