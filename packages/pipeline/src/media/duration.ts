/**
 * The real length of a file, from its packets' timestamps rather than its header's claim
 * (an 8 KB MP3 can claim 3 h in its Xing header, a 20 KB MKV in its Duration element).
 * Packets are only demuxed, never decoded, so this is cheap enough for the web process.
 */
import type { MediaInfo } from "./probe";
import { ffprobe, isProcessError } from "./process";

/** How far before the claimed end the tail read starts. */
const TAIL_S = 30;
/** A claim is confirmed when the last packet ends this close to it (streams end a little apart). */
const CONFIRM_SLACK_S = 2;

/**
 * The latest end time (pts + duration, in s) among the packets of the given streams, from
 * ffprobe's `-show_entries packet=stream_index,pts_time,dts_time,duration_time -of csv=p=0`.
 * NaN when no packet has a time.
 */
export function parseLastPacketEndS(csv: string, streams: ReadonlySet<number>): number {
  let last = Number.NaN;
  for (const line of csv.split("\n")) {
    const [index, pts, dts, duration] = line.trim().split(",");
    if (index === undefined || !streams.has(Number(index))) continue;
    const at = Number.parseFloat(pts !== undefined && pts !== "N/A" ? pts : (dts ?? ""));
    if (!Number.isFinite(at)) continue;
    const length = Number.parseFloat(duration ?? "");
    const end = at + (Number.isFinite(length) && length > 0 ? length : 0);
    if (!(end <= last)) last = end;
  }
  return last;
}

async function lastPacketEndS(opts: {
  path: string;
  streams: ReadonlySet<number>;
  fromS: number;
  inputOptions?: readonly string[];
  signal?: AbortSignal;
}): Promise<number> {
  const { stdout } = await ffprobe(
    opts.path,
    [
      ...(opts.fromS > 0 ? ["-read_intervals", `${opts.fromS.toFixed(3)}%`] : []),
      "-show_entries",
      "packet=stream_index,pts_time,dts_time,duration_time",
      "-of",
      "csv=p=0",
    ],
    {
      ...(opts.inputOptions ? { inputOptions: opts.inputOptions } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
    },
  );
  return parseLastPacketEndS(stdout, opts.streams);
}

/**
 * Duration in ms measured from the last packet of the main video and audio streams.
 * With a claim (`info.durationMs` > 0), the packets from just before the claimed end are
 * read first (one seek; most files stop there); when they do not reach the claim, every
 * packet is read. 0 when no packet has a timestamp.
 */
export async function measureDurationMs(opts: {
  path: string;
  info: Pick<MediaInfo, "durationMs" | "startTimeS" | "streamIndex">;
  inputOptions?: readonly string[];
  signal?: AbortSignal;
}): Promise<number> {
  const { info } = opts;
  const streams = new Set([info.streamIndex.video, info.streamIndex.audio].filter((i) => i !== undefined));
  const claimedS = info.durationMs / 1000;
  const toMs = (endS: number) =>
    Number.isFinite(endS) ? Math.max(0, Math.round((endS - info.startTimeS) * 1000)) : 0;
  if (claimedS > 0) {
    const fromS = info.startTimeS + claimedS - TAIL_S;
    const tail = await lastPacketEndS({ ...opts, streams, fromS }).catch((err: unknown) => {
      // A seek the demuxer cannot do is answered by the full read below.
      if (isProcessError(err) && err.code === "PROCESS_FAILED") return Number.NaN;
      throw err;
    });
    if (toMs(tail) >= (claimedS - CONFIRM_SLACK_S) * 1000) return toMs(tail);
  }
  return toMs(await lastPacketEndS({ ...opts, streams, fromS: 0 }));
}
