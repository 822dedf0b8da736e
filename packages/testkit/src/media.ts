/**
 * Tiny generated media for the medium tests: everything comes from ffmpeg's lavfi
 * sources, so no binary fixtures are committed.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runFfmpeg } from "./tools";

export async function makeTmpDir(
  prefix = "vitr-media-",
): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Tone on/off pattern: on for `onS` seconds out of every `periodS` (the rest is digital silence). */
export interface Pulse {
  onS: number;
  periodS: number;
}

/** A 440 Hz tone, pulsed or continuous, at 44.1 kHz. */
function toneSource(durationS: number, pulse?: Pulse): string {
  return pulse
    ? `aevalsrc=if(lt(mod(t\\,${pulse.periodS})\\,${pulse.onS})\\,0.5*sin(2*PI*440*t)\\,0):s=44100:d=${durationS}`
    : `sine=frequency=440:sample_rate=44100:duration=${durationS}`;
}

export async function makeVideo(opts: {
  out: string;
  durationS: number;
  /** A tone (default), a silent stereo track ("silence"), or no audio stream (false). */
  audio?: boolean | "silence";
  width?: number;
  height?: number;
  fps?: number;
  /** Tone on/off pattern; a continuous tone when absent. */
  pulse?: Pulse;
  subtitlesSrt?: string;
}): Promise<string> {
  const { durationS, width = 160, height = 120, fps = 25 } = opts;
  const args = ["-f", "lavfi", "-i", `testsrc2=size=${width}x${height}:rate=${fps}:duration=${durationS}`];
  const audio = opts.audio ?? true;
  if (audio) {
    const src =
      audio === "silence" ? `anullsrc=r=44100:cl=stereo:d=${durationS}` : toneSource(durationS, opts.pulse);
    args.push("-f", "lavfi", "-i", src);
  }
  if (opts.subtitlesSrt) args.push("-i", opts.subtitlesSrt);
  args.push("-map", "0:v");
  if (audio) args.push("-map", "1:a");
  if (opts.subtitlesSrt)
    args.push("-map", `${audio ? 2 : 1}:s`, "-c:s", "mov_text", "-metadata:s:s:0", "language=eng");
  args.push("-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p");
  args.push("-c:a", "aac", "-t", String(durationS), opts.out);
  await runFfmpeg(args);
  return opts.out;
}

export async function makeAudio(opts: {
  out: string;
  durationS: number;
  pulse?: Pulse;
  sampleRate?: number;
  channels?: number;
}): Promise<string> {
  const rate = String(opts.sampleRate ?? 44100);
  const channels = String(opts.channels ?? 1);
  await runFfmpeg([
    "-f",
    "lavfi",
    "-i",
    toneSource(opts.durationS, opts.pulse),
    "-ar",
    rate,
    "-ac",
    channels,
    opts.out,
  ]);
  return opts.out;
}
