/**
 * The command-line tools the test media is made with (ffmpeg, ffprobe, eSpeak-NG). Testkit
 * cannot use the pipeline's process runner (the pipeline depends on testkit for its tests),
 * so this is the small test-side equivalent: explicit args, stderr's tail in the error.
 */
import { spawn } from "node:child_process";

/** Runs `cmd` and resolves with its stdout; a non-zero exit rejects with the end of stderr. */
export function runTool(cmd: string, args: readonly string[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    let err = "";
    p.stdout.on("data", (d: Buffer) => out.push(d));
    p.stderr.on("data", (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
    p.on("error", reject);
    p.on("close", (code) =>
      code === 0
        ? resolve(Buffer.concat(out))
        : reject(new Error(`${cmd} exited ${code}: ${err.slice(-1500)}`)),
    );
  });
}

/** ffmpeg without a banner, stdin or overwrite prompts. */
export const runFfmpeg = (args: readonly string[]): Promise<Buffer> =>
  runTool("ffmpeg", ["-hide_banner", "-nostdin", "-y", ...args]);

/**
 * ffprobe's CSV lines for `entries` (e.g. "packet=pts_time,flags") of one stream (default
 * the first video stream; null: the whole file), optionally only over `readIntervals`.
 */
export async function probeEntries(
  file: string,
  entries: string,
  opts: { stream?: string | null; readIntervals?: string } = {},
): Promise<string[]> {
  const stream = opts.stream === undefined ? "v:0" : opts.stream;
  const out = await runTool("ffprobe", [
    ...["-v", "error"],
    ...(stream === null ? [] : ["-select_streams", stream]),
    ...["-show_entries", entries],
    ...(opts.readIntervals ? ["-read_intervals", opts.readIntervals] : []),
    ...["-of", "csv=p=0", file],
  ]);
  return out.toString().trim().split("\n");
}

/** A media file's container duration (ffprobe), in whole ms. */
export async function probeDurationMs(file: string): Promise<number> {
  const [duration] = await probeEntries(file, "format=duration", { stream: null });
  return Math.round(Number(duration) * 1000);
}
