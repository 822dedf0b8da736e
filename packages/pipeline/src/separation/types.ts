/** One interface for every vocal/background separator. */
export interface SeparateOptions {
  /** The mix, any format ffmpeg reads (the segment's 44.1 kHz stereo WAV). */
  input: string;
  /** Written as 44.1 kHz stereo 16-bit WAV, sample-aligned with the input. */
  vocalsOut: string;
  /** mix − vocals, same format. */
  backgroundOut: string;
  signal?: AbortSignal;
}

export interface Separator {
  readonly name: string;
  separate(opts: SeparateOptions): Promise<void>;
}

/** The separators a deployment can pick; `none` keeps the ducked original in the mix. */
export type SeparatorKind = "rnnoise" | "mdx" | "none";

/** Output format of every stem, so the mix stage sees what extractSegment writes. */
export const STEM_SAMPLE_RATE = 44100;
