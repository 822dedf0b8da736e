import { writeFile } from "node:fs/promises";
import path from "node:path";
import ort from "onnxruntime-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTmpDir } from "../media/test-media";
import { createMdxSeparator, loadMdxSession, runMdx } from "./mdx";
import { oneNodeOnnx } from "./onnx-test-model";
import { decodePcm, encodeWav } from "./pcm";
import { db, energy } from "./test-signals";

// Small hyper-parameters: chunk = hop·(dimT−1) = 1984 samples, so a 0.3 s mix spans many chunks.
const params = { nFft: 256, hop: 64, dimF: 128, dimT: 32, compensate: 1, overlap: 0.25 } as const;
const shape = [1, 4, params.dimF, params.dimT];
const RATE = 44100;
let tmp: Awaited<ReturnType<typeof makeTmpDir>>;

/** Two channels of band-limited tones (nothing in the dropped top bin). */
function stereoMix(seconds: number): Float32Array[] {
  const n = Math.round(seconds * RATE);
  const tone = (f: number, a: number) =>
    Float32Array.from({ length: n }, (_, i) => a * Math.sin((2 * Math.PI * f * i) / RATE));
  const l = tone(440, 0.3).map((v, i) => v + 0.2 * Math.sin((2 * Math.PI * 1234 * i) / RATE));
  const r = tone(660, 0.25).map((v, i) => v + 0.1 * Math.sin((2 * Math.PI * 3000 * i) / RATE));
  return [l, r];
}

async function model(name: string, op: "Identity" | "Mul", factor?: number): Promise<string> {
  const file = path.join(tmp.dir, `${name}.onnx`);
  await writeFile(file, oneNodeOnnx({ op, shape, ...(factor === undefined ? {} : { factor }) }));
  return file;
}

const maxAbs = (x: Float32Array) => x.reduce((m, v) => Math.max(m, Math.abs(v)), 0);

beforeAll(async () => {
  tmp = await makeTmpDir("vt-mdx-");
});
afterAll(async () => tmp.cleanup());

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
});
