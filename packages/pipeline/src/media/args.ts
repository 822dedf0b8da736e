/** ffmpeg argument fragments the builders share: one place for each format we produce. */

/** Keyframes at least this often, so players can seek and HLS chunks stay small. */
export const GOP_SECONDS = 2;

/**
 * Our H.264: the browser-safe pixel format, and keyframes forced every GOP_SECONDS whatever
 * the frame rate (the first frame is always one).
 */
export const H264_ARGS: readonly string[] = [
  ...["-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p"],
  ...["-force_key_frames", `expr:gte(t,n_forced*${GOP_SECONDS})`],
];

/** The input's first video stream, and nothing else (no audio, subtitles or data). */
export const FIRST_VIDEO_ONLY: readonly string[] = ["-map", "0:v:0", "-an", "-sn", "-dn"];

/** Mono 16 kHz 16-bit PCM: what the speech recognisers and speaker models take. */
export const PCM16_MONO_16K: readonly string[] = ["-ac", "1", "-ar", "16000", "-c:a", "pcm_s16le"];

/** Nothing of an (untrusted) input's metadata is copied to an output. */
export const NO_METADATA: readonly string[] = ["-map_metadata", "-1"];

/** The AAC every HLS chunk carries: stereo, 44.1 kHz, 128 kb/s (what browsers' MSE all take). */
export const AAC_STEREO_44K: readonly string[] = ["-c:a", "aac", "-b:a", "128k", "-ar", "44100", "-ac", "2"];
