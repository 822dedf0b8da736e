/**
 * Media whose header lies about its length, for the tests that check durations are
 * measured from the packets (an upload cap must not trust what the container claims).
 */
import { readFile, writeFile } from "node:fs/promises";
import { runFfmpeg } from "./tools";

/** Matroska's Segment Info Duration element: ID 0x4489, size 8 (a float64 in ms). */
const MKV_DURATION = Buffer.from([0x44, 0x89, 0x88]);

/** Rewrites a Matroska file's stated duration in place. */
export async function claimMkvDuration(file: string, claimS: number): Promise<void> {
  const bytes = await readFile(file);
  const at = bytes.indexOf(MKV_DURATION);
  if (at < 0) throw new Error(`${file} has no Segment Info Duration`);
  bytes.writeDoubleBE(claimS * 1000, at + MKV_DURATION.length);
  await writeFile(file, bytes);
}

/** A 2 s Matroska file (64x36 H.264, AAC) whose header claims `claimS`. */
export async function lyingMkv(opts: { out: string; claimS: number }): Promise<string> {
  await runFfmpeg([
    ...["-f", "lavfi", "-i", "testsrc=s=64x36:r=5:d=2", "-f", "lavfi", "-i", "sine=d=2"],
    ...["-c:v", "libx264", "-c:a", "aac", "-shortest", opts.out],
  ]);
  await claimMkvDuration(opts.out, opts.claimS);
  return opts.out;
}

/** A 1 s MP3 whose Info (or Xing) header counts the MPEG frames (1152 samples each) of `claimS`. */
export async function lyingMp3(opts: { out: string; claimS: number }): Promise<string> {
  await runFfmpeg(["-f", "lavfi", "-i", "sine=d=1", "-c:a", "libmp3lame", "-b:a", "32k", opts.out]);
  const bytes = await readFile(opts.out);
  const info = bytes.indexOf("Info");
  const tag = info >= 0 ? info : bytes.indexOf("Xing");
  if (tag < 0) throw new Error(`${opts.out} has no Info/Xing header`);
  bytes.writeUInt32BE(Math.round((opts.claimS * 44_100) / 1152), tag + 8);
  await writeFile(opts.out, bytes);
  return opts.out;
}
