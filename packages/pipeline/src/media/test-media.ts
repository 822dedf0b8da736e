/**
 * Tiny generated media for the medium tests (not part of the public API).
 * Everything is produced with ffmpeg's lavfi sources, so no binary fixtures are committed.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ffmpeg } from "./process";

export async function makeTmpDir(
  prefix = "vitr-media-",
): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Tone that is on for `onS` seconds out of every `periodS` (the rest is digital silence). */
const pulsedTone = (durationS: number, onS: number, periodS: number): string =>
  `aevalsrc=if(lt(mod(t\\,${periodS})\\,${onS})\\,0.5*sin(2*PI*440*t)\\,0):s=44100:d=${durationS}`;

export async function makeVideo(opts: {
  out: string;
  durationS: number;
  audio?: boolean;
  width?: number;
  height?: number;
  fps?: number;
  /** Tone on/off pattern; a continuous tone when absent. */
  pulse?: { onS: number; periodS: number };
  subtitlesSrt?: string;
}): Promise<string> {
  const { durationS, width = 160, height = 120, fps = 25 } = opts;
  const args = ["-f", "lavfi", "-i", `testsrc2=size=${width}x${height}:rate=${fps}:duration=${durationS}`];
  const withAudio = opts.audio ?? true;
  if (withAudio) {
    const src = opts.pulse
      ? pulsedTone(durationS, opts.pulse.onS, opts.pulse.periodS)
      : `sine=frequency=440:sample_rate=44100:duration=${durationS}`;
    args.push("-f", "lavfi", "-i", src);
  }
  if (opts.subtitlesSrt) args.push("-i", opts.subtitlesSrt);
  args.push("-map", "0:v");
  if (withAudio) args.push("-map", "1:a");
  if (opts.subtitlesSrt)
    args.push("-map", `${withAudio ? 2 : 1}:s`, "-c:s", "mov_text", "-metadata:s:s:0", "language=eng");
  args.push(
    "-c:v",
    "libx264",
    "-preset",
    "ultrafast",
    "-pix_fmt",
    "yuv420p",
    "-c:a",
    "aac",
    "-t",
    String(durationS),
    opts.out,
  );
  await ffmpeg(args);
  return opts.out;
}

export async function makeAudio(opts: {
  out: string;
  durationS: number;
  pulse?: { onS: number; periodS: number };
  sampleRate?: number;
  channels?: number;
}): Promise<string> {
  const src = opts.pulse
    ? pulsedTone(opts.durationS, opts.pulse.onS, opts.pulse.periodS)
    : `sine=frequency=440:sample_rate=44100:duration=${opts.durationS}`;
  await ffmpeg([
    "-f",
    "lavfi",
    "-i",
    src,
    "-ar",
    String(opts.sampleRate ?? 44100),
    "-ac",
    String(opts.channels ?? 1),
    opts.out,
  ]);
  return opts.out;
}
