import path from "node:path";
import { describe, expect, it } from "vitest";
import { chordMusic, correlation, db, energy, espeakSpeech } from "@vitranslator/testkit";
import { useTmpDir } from "@vitranslator/testkit/hooks";
import { decodePcm, encodeWav } from "./pcm";
import { createRnnoiseSeparator, denoiseChannel, loadRnnoise } from "./rnnoise";

const RATE = 44100;
const tmp = useTmpDir("vt-rnnoise-");

describe("RNNoise separator", () => {
  it("loads the WASM module once per process", async () => {
    expect(await loadRnnoise()).toBe(await loadRnnoise());
  });

  it("returns vocals aligned with the input (frame delay removed)", async () => {
    const speech = await espeakSpeech({
      dir: tmp.dir,
      text: "Hello there, this is a test.",
      sampleRate: 48000,
    });
    const out = await denoiseChannel({ samples: speech });
    expect(out.length).toBe(speech.length);
    let best = { lag: 0, c: -1 };
    for (let lag = -600; lag <= 600; lag += 1) {
      const c = correlation(speech.subarray(Math.max(0, lag)), out.subarray(Math.max(0, -lag)));
      if (c > best.c) best = { lag, c };
    }
    expect(Math.abs(best.lag)).toBeLessThanOrEqual(2);
    expect(best.c).toBeGreaterThan(0.8);
  });

  it("holds speech out of the background and keeps the music (acceptance figure)", async () => {
    const speech = await espeakSpeech({
      dir: tmp.dir,
      text: "The quick brown fox jumps over the lazy dog. We dub videos while you watch them.",
      sampleRate: RATE,
    });
    const seconds = speech.length / RATE + 1;
    const music = chordMusic({ seconds, sampleRate: RATE, amplitude: 0.05 });
    const speechAt = new Float32Array(music.length);
    speechAt.set(speech, Math.round(0.5 * RATE));
    const mix = music.map((m, i) => m + (speechAt[i] as number));
    const input = path.join(tmp.dir, "mix.wav");
    await encodeWav({ audio: { sampleRate: RATE, channels: [mix, mix] }, out: input });

    const vocalsOut = path.join(tmp.dir, "vocals.wav");
    const backgroundOut = path.join(tmp.dir, "background.wav");
    await createRnnoiseSeparator().separate({ input, vocalsOut, backgroundOut });

    const bg = (await decodePcm({ input: backgroundOut, sampleRate: RATE, channels: 2 })).channels;
    const vocals = (await decodePcm({ input: vocalsOut, sampleRate: RATE, channels: 2 })).channels;
    expect(bg[0]?.length).toBe(mix.length);
    expect(vocals[0]?.length).toBe(mix.length);
    // The stems add up to the mix, sample for sample.
    const held = (await decodePcm({ input, sampleRate: RATE, channels: 2 })).channels;
    let worst = 0;
    for (let c = 0; c < 2; c++)
      for (let i = 0; i < mix.length; i++)
        worst = Math.max(worst, Math.abs((vocals[c]?.[i] ?? 0) + (bg[c]?.[i] ?? 0) - (held[c]?.[i] ?? 0)));
    expect(worst).toBe(0);
    const left = bg[0] as Float32Array;
    const residual = left.map((v, i) => v - (music[i] as number));
    const speechLeakDb = db(energy(residual) / energy(speechAt));
    const musicLevelDb = db(energy(left) / energy(music));
    const musicCorr = correlation(left, music);
    const inputSnrDb = db(energy(speechAt) / energy(music));
    console.log(
      `RNNoise separation: speech/music in mix ${inputSnrDb.toFixed(1)} dB; speech leak in background ${speechLeakDb.toFixed(1)} dB; background/music energy ${musicLevelDb.toFixed(1)} dB; correlation ${musicCorr.toFixed(3)}`,
    );
    expect(speechLeakDb).toBeLessThanOrEqual(-10);
    expect(Math.abs(musicLevelDb)).toBeLessThan(3);
    expect(musicCorr).toBeGreaterThan(0.85);
  });
});
