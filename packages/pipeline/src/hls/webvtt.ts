/**
 * WebVTT segments of the HLS subtitle renditions (issue 13): one file per part, cue times on
 * the task's timeline, and an X-TIMESTAMP-MAP that ties that timeline to the chunks' clock.
 *
 * The map says which MPEG-TS timestamp (90 kHz) the VTT's LOCAL time stands for; a player
 * places a cue at `cue time − LOCAL + (MPEGTS − PTS the player put at media time 0)` (hls.js
 * `parseWebVTT`: `(MPEGTS − initPTS) / 90000` is added to every cue). So LOCAL 0 must be
 * paired with the PTS our chunks give to timeline time 0; the video and the cues are then
 * shifted alike, whatever PTS the player started from.
 *
 * Measured with ffprobe on muxed chunks written with muxdelay 0 and -output_ts_offset = the
 * part's start alone (as the pipeline's earlier muxed chunks were): chunk 0 of part 0 starts
 * at PTS 7200 (video) and 5110 (audio), not 0 — ffmpeg shifted the whole output by the
 * copied H.264's decode lead (DTS 2 frames before the first shown frame, 80 ms at 25 fps),
 * since an MPEG-TS timestamp cannot be negative — while every later part starts exactly at
 * its offset (part at 9 s: PTS 810000). No single MPEGTS is right for such chunks (0 is
 * right from part 1 on, 80 ms off in part 0). The rendition chunks (media/renditions.ts)
 * start every part at RENDITION_PTS_BASE_MS + its offset, never shifted (chunk 0 of part 0:
 * video PTS 900000), so the map is MPEGTS:900000,LOCAL:00:00:00.000 in every segment.
 */
import { PipelineError } from "../errors";
import { RENDITION_PTS_BASE_MS } from "../media/renditions";
import { toVtt } from "../subtitles/parse";
import type { Cue } from "../subtitles/parse";

/** The 90 kHz MPEG-TS timestamp of timeline time 0 in the rendition chunks. */
export const VTT_MPEGTS_AT_ZERO = RENDITION_PTS_BASE_MS * 90;

export const VTT_TIMESTAMP_MAP = `X-TIMESTAMP-MAP=MPEGTS:${VTT_MPEGTS_AT_ZERO},LOCAL:00:00:00.000`;

/**
 * One part's WebVTT segment: the cues shifted by `offsetMs` (the part's start when their times
 * are relative to it; 0, the default, when they are already on the task's timeline), so the
 * file's cue times are ms since the start of the video, under the X-TIMESTAMP-MAP above.
 */
export function toWebVttSegment(cues: readonly Cue[], opts: { offsetMs?: number } = {}): string {
  const offsetMs = opts.offsetMs ?? 0;
  if (!Number.isFinite(offsetMs)) {
    throw new PipelineError({
      code: "INVALID_SUBTITLES",
      category: "system",
      message: `Invalid WebVTT segment offset: ${offsetMs}`,
    });
  }
  const shifted = cues.map((c) => ({ ...c, startMs: c.startMs + offsetMs, endMs: c.endMs + offsetMs }));
  // The map belongs in the header, right after the WEBVTT line (RFC 8216 §3.5).
  return toVtt(shifted).replace(/^WEBVTT\n/, `WEBVTT\n${VTT_TIMESTAMP_MAP}\n`);
}
