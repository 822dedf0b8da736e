export interface TtsRequest {
  text: string;
  /** BCP 47 tag or bare language code ("zh", "en-US", "pt-BR"). */
  language: string;
  /** Engine-specific voice name; the engine's default for the language when absent. */
  voice?: string;
  outPath: string;
  signal?: AbortSignal;
}

export interface TtsResult {
  path: string;
  durationMs: number;
}

export interface TtsEngine {
  readonly name: string;
  supports(language: string): boolean;
  synthesize(req: TtsRequest): Promise<TtsResult>;
}
