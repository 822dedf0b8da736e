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

/** A media file's container duration (ffprobe), in whole ms. */
export async function probeDurationMs(file: string): Promise<number> {
  const out = await runTool("ffprobe", [
    "-v",
    "error",
    "-show_entries",
    "format=duration",
    "-of",
    "csv=p=0",
    file,
  ]);
  return Math.round(Number(out.toString().trim()) * 1000);
}
