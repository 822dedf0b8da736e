/**
 * What the rendition writers (renditions.ts) share: the dub's audio mix, the escaping of a
 * path for a filtergraph (burned subtitles) and the lead of the video cut times.
 */

/**
 * Escapes a value for use inside a filtergraph option (two levels, see ffmpeg-filters
 * "Notes on filtergraph escaping"): first the option value (`\ ' :`), then the graph
 * description (`\ ' [ ] , ;`).
 */
export function escapeFilterValue(value: string): string {
  const optionLevel = value.replace(/[\\':]/g, (c) => `\\${c}`);
  return optionLevel.replace(/[\\'[\],;]/g, (c) => `\\${c}`);
}

/**
 * Cut this much before each video cut time. The segment muxer compares cut times with output
 * timestamps, which carry the offset, and cuts at the first keyframe at or after each time:
 * 5 ms early, so a keyframe whose exact time rounds up to the cut still starts the chunk (no
 * frame is that close before it).
 */
export const KEYFRAME_CUT_LEAD_MS = 5;

/**
 * The mix's filtergraph (chains joined with ";" by the caller): the background at `duckDb`
 * (-14 when absent) plus the dub at full level, both stereo 44.1 kHz, as `[aout<label>]`,
 * padded with silence without end (the caller's `-t` gives the exact length). `label` keeps
 * the links of several outputs of one run apart (default none).
 */
export function buildMixAudioGraph(opts: {
  backgroundInput: number;
  vocalsInput: number;
  duckDb?: number;
  label?: string;
}): string[] {
  const duckDb = opts.duckDb ?? -14;
  const l = opts.label ?? "";
  const stereo = "aresample=44100,aformat=sample_fmts=fltp:channel_layouts=stereo";
  return [
    `[${opts.backgroundInput}:a]${stereo},volume=${duckDb}dB[bg${l}]`,
    `[${opts.vocalsInput}:a]${stereo}[fg${l}]`,
    // Summed, not averaged: the dub keeps full level. apad + -t give the exact length.
    `[bg${l}][fg${l}]amix=inputs=2:duration=longest:dropout_transition=0:normalize=0,apad[aout${l}]`,
  ];
}
