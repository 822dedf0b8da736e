/**
 * Makes test videos with real speech: eSpeak-NG says each line at a known time over a
 * test pattern (and optionally a quiet music bed under it), and the matching .srt is
 * written beside it.
 * Used by the integration tests, the browser test and the benchmark.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { CHORDS } from "./signals";
import { probeDurationMs, runFfmpeg, runTool } from "./tools";

export interface SampleLine {
  startMs: number;
  text: string;
}

export interface SampleVideo {
  video: string;
  srt: string;
  durationMs: number;
  lines: (SampleLine & { endMs: number })[];
}

const DEFAULT_TEXTS = [
  "Welcome to this short demonstration of automatic dubbing.",
  "Every sentence you hear was written down in a subtitle file.",
  "The pipeline splits the video at natural pauses.",
  "Each part is translated, spoken again, and fitted to its time slot.",
  "The first part can be watched while the rest is still being made.",
  "Background sound stays under the new voice.",
  "Thank you for watching, and see you next time.",
];

const srtTime = (ms: number) => {
  const h = Math.floor(ms / 3600000);
  const m = Math.floor((ms % 3600000) / 60000);
  const s = Math.floor((ms % 60000) / 1000);
  const pad = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${pad(h)}:${pad(m)}:${pad(s)},${pad(ms % 1000, 3)}`;
};

/**
 * A quiet music bed (about −29 dBFS RMS, several dB under the speech): a looping chord
 * progression with a slow tremolo, so separation and ducking have a steady harmonic sound
 * to keep under the voice.
 */
function musicBed(secs: string): string {
  const tone = (i: number) => {
    // Each chord's i-th note, chosen by the 2 s step of the 8 s loop.
    const pick = CHORDS.reduceRight(
      (rest, chord, k) => `if(eq(floor(mod(t,8)/2),${k}),${chord[i]},${rest})`,
      String(CHORDS[0]![i]),
    );
    return `sin(2*PI*(${pick})*t)`;
  };
  const expr = `0.035*(${tone(0)}+${tone(1)}+${tone(2)})*(0.8+0.2*sin(2*PI*0.5*t))`;
  return `aevalsrc='${expr}':s=44100:c=stereo:d=${secs}`;
}

/**
 * Lines are spread evenly over `durationMs` unless given. Resolution and fps are small
 * by default to keep tests fast; the benchmark asks for 720p/1080p.
 */
export async function makeSampleVideo(opts: {
  dir: string;
  durationMs: number;
  lines?: SampleLine[];
  width?: number;
  height?: number;
  fps?: number;
  music?: boolean;
  name?: string;
  withAudio?: boolean;
}): Promise<SampleVideo> {
  const { dir, durationMs: total } = opts;
  await mkdir(dir, { recursive: true });
  const lines =
    opts.lines ??
    Array.from({ length: Math.max(1, Math.floor(total / 6500)) }, (_, i) => ({
      startMs: 500 + i * 6500,
      text: DEFAULT_TEXTS[i % DEFAULT_TEXTS.length]!,
    })).filter((l) => l.startMs < total - 3000);
  const placed: (SampleLine & { endMs: number; wav: string })[] = [];
  for (const [i, line] of lines.entries()) {
    const wav = path.join(dir, `line-${i}.wav`);
    await runTool("espeak-ng", ["-v", "en-us", "-s", "165", "-w", wav, "--", line.text]);
    placed.push({ ...line, wav, endMs: line.startMs + (await probeDurationMs(wav)) });
  }
  const name = opts.name ?? "sample";
  const video = path.join(dir, `${name}.mp4`);
  const w = opts.width ?? 320;
  const h = opts.height ?? 180;
  const secs = (total / 1000).toFixed(3);
  const args = ["-f", "lavfi", "-i", `testsrc2=size=${w}x${h}:rate=${opts.fps ?? 25}:duration=${secs}`];
  const withAudio = opts.withAudio ?? true;
  if (withAudio) {
    args.push("-f", "lavfi", "-i", `anullsrc=r=44100:cl=stereo:d=${secs}`);
    for (const p of placed) args.push("-i", p.wav);
    const voiceInputs = placed.map((p, i) => `[${i + 2}:a]aresample=44100,adelay=${p.startMs}:all=1[v${i}]`);
    const music = opts.music ? `;${musicBed(secs)}[m]` : "";
    const mixInputs = ["[1:a]", ...placed.map((_, i) => `[v${i}]`), ...(opts.music ? ["[m]"] : [])];
    const filter =
      [...voiceInputs].join(";") +
      music +
      `;${mixInputs.join("")}amix=inputs=${mixInputs.length}:normalize=0:duration=first[a]`;
    args.push(
      "-filter_complex",
      filter.replace(/^;/, ""),
      "-map",
      "0:v",
      "-map",
      "[a]",
      "-c:a",
      "aac",
      "-b:a",
      "96k",
    );
  } else {
    args.push("-map", "0:v");
  }
  args.push("-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", "50", "-t", secs, video);
  await runFfmpeg(args);
  const srt = path.join(dir, `${name}.srt`);
  await writeFile(
    srt,
    placed.map((p, i) => `${i + 1}\n${srtTime(p.startMs)} --> ${srtTime(p.endMs)}\n${p.text}\n`).join("\n"),
  );
  return {
    video,
    srt,
    durationMs: await probeDurationMs(video),
    lines: placed.map(({ wav: _wav, ...l }) => l),
  };
}
