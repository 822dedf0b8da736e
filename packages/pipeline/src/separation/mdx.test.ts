import { writeFile } from "node:fs/promises";
import path from "node:path";
import ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { db, energy, oneNodeOnnx } from "@vitranslator/testkit";
import { useTmpDir } from "@vitranslator/testkit/hooks";
import { createMdxSeparator, limitPeak, loadMdxSession, runMdx } from "./mdx";
import { decodePcm, encodeWav } from "./pcm";

// Small hyper-parameters: chunk = hop·(dimT−1) = 1984 samples, so a 0.3 s mix spans many chunks.
const params = { nFft: 256, hop: 64, dimF: 128, dimT: 32, compensate: 1, overlap: 0.25 } as const;
const shape = [1, 4, params.dimF, params.dimT];
const RATE = 44100;
const tmp = useTmpDir("vt-mdx-");

/** 20 ms raised-cosine fades, so the edges add no energy below the tones. */
const fade = (i: number, n: number) => {
  const k = Math.min(i, n - 1 - i, 882) / 882;
  return 0.5 - 0.5 * Math.cos(Math.PI * k);
};
const tone = (n: number, f: number, a: number) =>
  Float32Array.from({ length: n }, (_, i) => a * fade(i, n) * Math.sin((2 * Math.PI * f * i) / RATE));

/** Two channels of band-limited tones: nothing in the zeroed lowest 3 bins (< 517 Hz here) or the dropped top bin. */
function stereoMix(seconds: number, gain = 1): Float32Array[] {
  const n = Math.round(seconds * RATE);
  const sum = (a: Float32Array, b: Float32Array) => a.map((v, i) => v + (b[i] as number));
  const l = sum(tone(n, 1500, 0.3 * gain), tone(n, 1234, 0.2 * gain));
  const r = sum(tone(n, 2200, 0.25 * gain), tone(n, 3000, 0.1 * gain));
  return [l, r];
}

async function model(name: string, op: "Identity" | "Mul", factor?: number): Promise<string> {
  const file = path.join(tmp.dir, `${name}.onnx`);
  await writeFile(file, oneNodeOnnx({ op, shape, ...(factor === undefined ? {} : { factor }) }));
  return file;
}

const maxAbs = (x: Float32Array) => x.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
const diff = (a: Float32Array, b: Float32Array) => maxAbs(a.map((v, i) => v - (b[i] as number)));

/** Writes `channels` as a WAV, separates it, and reads both stems back. */
async function separateFile(name: string, channels: Float32Array[], modelPath: string, config = {}) {
  const input = path.join(tmp.dir, `${name}-mix.wav`);
  await encodeWav({ audio: { sampleRate: RATE, channels }, out: input });
  const vocalsOut = path.join(tmp.dir, `${name}-vocals.wav`);
  const backgroundOut = path.join(tmp.dir, `${name}-bg.wav`);
  await createMdxSeparator({ modelPath, ...params, ...config }).separate({ input, vocalsOut, backgroundOut });
  const read = (f: string) => decodePcm({ input: f, sampleRate: RATE, channels: 2 });
  return { mix: await read(input), vocals: await read(vocalsOut), background: await read(backgroundOut) };
}

describe("MDX-Net separator", () => {
  it("writes a model onnxruntime accepts, with the MDX tensor names and shape", async () => {
    const s = await loadMdxSession(await model("probe", "Mul", 2));
    expect(s.inputNames).toEqual(["input"]);
    expect(s.outputNames).toEqual(["output"]);
    const x = new ort.Tensor(
      "float32",
      Float32Array.from({ length: 4 * 128 * 32 }, (_, i) => i),
      shape,
    );
    const y = (await s.run({ input: x })).output?.data as Float32Array;
    expect(y[5]).toBe(10);
  });

  it("an identity 'vocals' model gives vocals ≈ mix and stitches chunks seamlessly", async () => {
    const channels = stereoMix(0.3);
    const out = await runMdx({
      mix: { sampleRate: RATE, channels },
      config: { modelPath: await model("id", "Identity"), ...params },
    });
    for (const [c, ch] of channels.entries()) {
      const got = out.channels[c] as Float32Array;
      expect(got.length).toBe(ch.length);
      expect(maxAbs(got.map((v, i) => v - (ch[i] as number)))).toBeLessThan(1e-3);
    }
  });

  it("separates files: identity → background silent; Mul by 0 → background = mix", async () => {
    const channels = stereoMix(0.25);
    const input = path.join(tmp.dir, "mix.wav");
    await encodeWav({ audio: { sampleRate: RATE, channels }, out: input });
    const mix = await decodePcm({ input, sampleRate: RATE, channels: 2 });
    const mixEnergy = energy(mix.channels[0] as Float32Array);
    for (const [name, op, factor] of [
      ["ident", "Identity", undefined],
      ["zero", "Mul", 0],
    ] as const) {
      const vocalsOut = path.join(tmp.dir, `${name}-vocals.wav`);
      const backgroundOut = path.join(tmp.dir, `${name}-bg.wav`);
      const sep = createMdxSeparator({ modelPath: await model(name, op, factor), ...params });
      await sep.separate({ input, vocalsOut, backgroundOut });
      const vocals = await decodePcm({ input: vocalsOut, sampleRate: RATE, channels: 2 });
      const bg = await decodePcm({ input: backgroundOut, sampleRate: RATE, channels: 2 });
      expect(vocals.channels[0]?.length).toBe(mix.channels[0]?.length);
      const [quiet, loud] = op === "Identity" ? [bg, vocals] : [vocals, bg];
      expect(db(energy(quiet.channels[0] as Float32Array) / mixEnergy)).toBeLessThan(-50);
      expect(
        Math.abs(db(energy(loud.channels[1] as Float32Array) / energy(mix.channels[1] as Float32Array))),
      ).toBeLessThan(0.1);
    }
  });

  it("zeroes the lowest 3 bins before the model: a 100 Hz hum stays in the background", async () => {
    const n = Math.round(0.25 * RATE);
    const hum = tone(n, 100, 0.3);
    const voice = tone(n, 2000, 0.3);
    const both = voice.map((v, i) => v + (hum[i] as number));
    const { vocals, background } = await separateFile("hum", [both, both], await model("id-hum", "Identity"));
    const mid = (x: Float32Array) => x.subarray(4000, n - 4000);
    // The identity "vocals" model passes the 2 kHz tone and never sees the hum.
    expect(
      energy(mid(vocals.channels[0] as Float32Array).map((v, i) => v - (mid(voice)[i] as number))),
    ).toBeLessThan(energy(mid(hum)) * 0.05);
    expect(db(energy(mid(background.channels[0] as Float32Array)) / energy(mid(hum)))).toBeGreaterThan(-1);
  });

  it("applies `compensate` only to the background: vocals = model output, background = mix − 1.009 · vocals", async () => {
    const channels = stereoMix(0.25);
    const r = await separateFile("comp", channels, await model("id-comp", "Identity"), { compensate: 1.009 });
    for (const c of [0, 1]) {
      const mix = r.mix.channels[c] as Float32Array;
      expect(diff(r.vocals.channels[c] as Float32Array, mix)).toBeLessThan(2e-3);
      const expected = mix.map((v) => -0.009 * v);
      expect(diff(r.background.channels[c] as Float32Array, expected)).toBeLessThan(1e-3);
      expect(maxAbs(r.background.channels[c] as Float32Array)).toBeGreaterThan(0.002);
    }
  });

  it("scales a mix peaking above 0.9 down for the model (as audio-separator does) and the stems back up", async () => {
    const loud = stereoMix(0.25, 1.9);
    const peak = Math.max(...loud.map(maxAbs));
    expect(peak).toBeGreaterThan(0.9);
    const limited = limitPeak({ sampleRate: RATE, channels: loud }, 0.9);
    expect(limited.gain).toBeCloseTo(0.9 / peak, 6);
    expect(Math.max(...limited.audio.channels.map(maxAbs))).toBeCloseTo(0.9, 5);
    expect(limitPeak({ sampleRate: RATE, channels: stereoMix(0.1) }, 0.9).gain).toBe(1);
    // Mul by 0.5 is linear, so scaling for the model and back leaves vocals at half the original mix.
    const r = await separateFile("loud", loud, await model("half", "Mul", 0.5), { compensate: 1 });
    for (const c of [0, 1]) {
      const mix = r.mix.channels[c] as Float32Array;
      expect(
        diff(
          r.vocals.channels[c] as Float32Array,
          mix.map((v) => v / 2),
        ),
      ).toBeLessThan(2e-3);
      expect(
        diff(
          r.background.channels[c] as Float32Array,
          mix.map((v) => v / 2),
        ),
      ).toBeLessThan(2e-3);
    }
  });
});
