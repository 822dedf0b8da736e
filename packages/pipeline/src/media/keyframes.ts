/**
 * Keyframe times of a video stream, read from packet flags (no decoding), in ms from the
 * start of the file as `-ss` counts it. Segments that start on one can copy the video.
 */
import { ffprobe } from "./process";

export function parseKeyframePackets(csv: string, startTimeS: number): number[] {
  const out: number[] = [];
  for (const line of csv.split("\n")) {
    const [pts, flags] = line.trim().split(",");
    if (!pts || !flags?.startsWith("K") || pts === "N/A") continue;
    const ms = Math.round((Number(pts) - startTimeS) * 1000);
    if (Number.isFinite(ms) && ms >= 0) out.push(ms);
  }
  return [...new Set(out)].sort((a, b) => a - b);
}

export async function listKeyframesMs(input: string, opts: { signal?: AbortSignal } = {}): Promise<number[]> {
  const [{ stdout: start }, { stdout: packets }] = await Promise.all([
    ffprobe(input, ["-show_entries", "format=start_time", "-of", "csv=p=0"], opts),
    ffprobe(
      input,
      ["-select_streams", "v:0", "-show_entries", "packet=pts_time,flags", "-of", "csv=p=0"],
      opts,
    ),
  ]);
  const startTimeS = Number(start.trim());
  return parseKeyframePackets(packets, Number.isFinite(startTimeS) ? startTimeS : 0);
}

/** Codecs every browser plays from MPEG-TS, so a copied stream needs no re-encode. */
export const COPYABLE_VIDEO_CODECS = new Set(["h264"]);
