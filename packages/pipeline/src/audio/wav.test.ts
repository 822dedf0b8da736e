import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { chordMusic } from "@vitranslator/testkit";
import { useTmpDir } from "@vitranslator/testkit/hooks";
import { ffmpeg } from "../media/process";
import { decodePcm, encodeWav } from "../separation/pcm";
import { decodeWavPcm16, encodeWavPcm16, readWavFormat } from "./wav";

const tmp = useTmpDir("vt-wav-");

/** A stereo test signal: chords left, the same a little louder and inverted right, 0.5 s. */
function stereo(sampleRate = 44100) {
  const left = chordMusic({ seconds: 0.5, sampleRate, amplitude: 0.1 });
  return { sampleRate, channels: [left, left.map((v) => -1.5 * v)] };
}

/** ffmpeg's own reading of a file: decoded through FLAC, which ffmpeg never hands to the JS path. */
async function ffmpegSamples(file: string, channels: number, sampleRate: number) {
  const flac = join(tmp.dir, `via-${Math.random().toString(36).slice(2)}.flac`);
  await ffmpeg(["-i", file, "-c:a", "flac", flac]);
  return decodePcm({ input: flac, sampleRate, channels });
}

describe("16-bit PCM WAV in JS", () => {
  it("encodes and decodes any channel count; a decoded file encodes back to the same bytes", () => {
    const audio = stereo();
    const wav = encodeWavPcm16(audio);
    const back = decodeWavPcm16(wav);
    expect(back.sampleRate).toBe(44100);
    expect(back.channels).toHaveLength(2);
    expect(back.channels[1]?.length).toBe(audio.channels[1]?.length);
    // Within one step of 16 bits, and exactly stable from then on.
    for (let c = 0; c < 2; c++)
      for (let i = 0; i < 1000; i++)
        expect(Math.abs((back.channels[c]?.[i] ?? 0) - (audio.channels[c]?.[i] ?? 0))).toBeLessThanOrEqual(
          0.5 / 32768 + 1e-9,
        );
    expect(encodeWavPcm16(back).equals(wav)).toBe(true);
  });

  it("clips instead of wrapping around", () => {
    const wav = encodeWavPcm16({ sampleRate: 8000, channels: [Float32Array.of(1.5, -1.5, 1, -1)] });
    expect([...(decodeWavPcm16(wav).channels[0] as Float32Array)]).toEqual([
      32767 / 32768,
      -1,
      32767 / 32768,
      -1,
    ]);
  });

  it("reads what ffmpeg writes (its LIST chunk, and the extensible header of 6 channels) as ffmpeg does", async () => {
    const audio = stereo();
    const src = join(tmp.dir, "src.wav");
    await encodeWav({ audio, out: src });
    for (const channels of [2, 6]) {
      const out = join(tmp.dir, `ffmpeg-${channels}.wav`);
      await ffmpeg(["-i", src, "-ac", String(channels), "-c:a", "pcm_s16le", out]);
      const js = decodeWavPcm16(await readFile(out));
      const reference = await ffmpegSamples(out, channels, 44100);
      expect(js.channels).toHaveLength(channels);
      expect(js.channels).toEqual(reference.channels);
    }
  });

  it("writes files ffmpeg reads back sample for sample", async () => {
    const audio = stereo(48000);
    const out = join(tmp.dir, "js.wav");
    await encodeWav({ audio, out });
    expect(await readWavFormat(out)).toMatchObject({ sampleRate: 48000, channels: 2, bitsPerSample: 16 });
    const reference = await ffmpegSamples(out, 2, 48000);
    expect(reference.channels).toEqual(decodeWavPcm16(await readFile(out)).channels);
  });

  it("leaves other WAVs, rates and layouts to ffmpeg", async () => {
    const audio = stereo();
    const float = join(tmp.dir, "float.wav");
    const raw = join(tmp.dir, "float.f32");
    const left = audio.channels[0] as Float32Array;
    await writeFile(raw, new Uint8Array(left.buffer, left.byteOffset, left.byteLength));
    await ffmpeg(["-f", "f32le", "-ar", "44100", "-ac", "1", "-i", raw, "-c:a", "pcm_f32le", float]);
    expect(() => decodeWavPcm16(Buffer.from(new Uint8Array(0)))).toThrow(/RIFF/);
    await expect(readFile(float).then((b) => decodeWavPcm16(b))).rejects.toThrow(/16-bit PCM/);
    // decodePcm still reads it, through ffmpeg, exactly.
    expect((await decodePcm({ input: float, sampleRate: 44100, channels: 1 })).channels[0]).toEqual(left);
    // A rate or channel count other than the file's is ffmpeg's resampling/downmix, not the raw samples.
    const wav = join(tmp.dir, "s16.wav");
    await encodeWav({ audio, out: wav });
    const mono = await decodePcm({ input: wav, sampleRate: 44100, channels: 1 });
    expect(mono.channels).toHaveLength(1);
    const at48 = await decodePcm({ input: wav, sampleRate: 48000, channels: 2 });
    expect(at48.channels[0]?.length).toBeCloseTo(((audio.channels[0]?.length ?? 0) * 48000) / 44100, -2);
  });
});
