/** Audio plumbing shared by the TTS engines: every engine hands later stages 44.1 kHz mono 16-bit WAV. */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { ffmpeg } from "../media/process";

const WAV_44K_MONO = ["-ac", "1", "-ar", "44100", "-c:a", "pcm_s16le", "-map_metadata", "-1"];

export async function withTempDir<T>(prefix: string, fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Any audio file ffmpeg reads → 44.1 kHz mono WAV at `out`. */
export async function toWav44k(opts: { input: string; out: string; signal?: AbortSignal }): Promise<string> {
  const out = resolve(opts.out);
  await ffmpeg(["-i", opts.input, ...WAV_44K_MONO, out], { signal: opts.signal });
  return out;
}

/** Raw little-endian int16 mono PCM at `sampleRate` → 44.1 kHz mono WAV at `out`. */
export async function pcm16ToWav44k(opts: {
  pcm: Buffer;
  sampleRate: number;
  out: string;
  signal?: AbortSignal;
}): Promise<string> {
  const out = resolve(opts.out);
  await withTempDir("vitr-pcm-", async (dir) => {
    const raw = join(dir, "speech.pcm");
    await writeFile(raw, opts.pcm);
    await ffmpeg(
      ["-f", "s16le", "-ar", String(opts.sampleRate), "-ac", "1", "-i", raw, ...WAV_44K_MONO, out],
      { signal: opts.signal },
    );
  });
  return out;
}

/** An audio file → raw little-endian int16 mono PCM at `sampleRate`, no header. */
export async function readPcm16(opts: {
  input: string;
  sampleRate: number;
  signal?: AbortSignal;
}): Promise<Buffer> {
  return withTempDir("vitr-pcm-", async (dir) => {
    const raw = join(dir, "prompt.pcm");
    await ffmpeg(["-i", opts.input, "-ac", "1", "-ar", String(opts.sampleRate), "-f", "s16le", raw], {
      signal: opts.signal,
    });
    return readFile(raw);
  });
}
