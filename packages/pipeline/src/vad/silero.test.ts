import path from "node:path";
import { describe, expect, it } from "vitest";
import { espeakSpeech } from "@vitranslator/testkit";
import { useTmpDir } from "@vitranslator/testkit/hooks";
import { encodeWav } from "../separation/pcm";
import {
  detectSpeechRegions,
  loadSilero,
  silencesFromSpeech,
  speechRegionsFromProbabilities,
  VAD_SAMPLE_RATE,
} from "./silero";

const R = VAD_SAMPLE_RATE;
const tmp = useTmpDir("vt-vad-");

async function wav(name: string, samples: Float32Array): Promise<string> {
  const out = path.join(tmp.dir, name);
  await encodeWav({ audio: { sampleRate: R, channels: [samples] }, out });
  return out;
}

describe("Silero VAD", () => {
  it("uses one session per process, with the v5 inputs", async () => {
    const s = await loadSilero();
    expect(await loadSilero()).toBe(s);
    expect(s.inputNames).toEqual(["input", "state", "sr"]);
  });

  it("finds espeak utterances separated by silence within 200 ms of the true bounds", async () => {
    const a = await espeakSpeech({ dir: tmp.dir, text: "Good morning, everyone.", sampleRate: R });
    const b = await espeakSpeech({ dir: tmp.dir, text: "Today we talk about dubbing.", sampleRate: R });
    // espeak pads its output with silence; the true bounds are where the samples are audible.
    const bounds = (x: Float32Array, offset: number) => {
      const loud = (v: number) => Math.abs(v) > 0.01;
      const first = x.findIndex(loud);
      const last = x.length - 1 - [...x].reverse().findIndex(loud);
      return { startMs: ((offset + first) / R) * 1000, endMs: ((offset + last) / R) * 1000 };
    };
    const offA = R; // 1 s of silence first
    const offB = offA + a.length + Math.round(1.5 * R);
    const all = new Float32Array(offB + b.length + R);
    all.set(a, offA);
    all.set(b, offB);
    const truth = [bounds(a, offA), bounds(b, offB)];
    const regions = await detectSpeechRegions({ input: await wav("speech.wav", all) });
    expect(regions).toHaveLength(2);
    for (const [i, r] of regions.entries()) {
      expect(Math.abs(r.startMs - (truth[i]?.startMs ?? 0))).toBeLessThan(200);
      expect(Math.abs(r.endMs - (truth[i]?.endMs ?? 0))).toBeLessThan(200);
    }
    const durationMs = (all.length / R) * 1000;
    const silences = silencesFromSpeech({ speech: regions, durationMs });
    expect(silences).toHaveLength(3);
    expect(silences[0]?.startMs).toBe(0);
    expect(silences[2]?.endMs).toBe(durationMs);
  });

  it("finds no speech in silence or in noise", async () => {
    expect(await detectSpeechRegions({ input: await wav("silence.wav", new Float32Array(2 * R)) })).toEqual(
      [],
    );
    let s = 7;
    const noise = Float32Array.from({ length: 2 * R }, () => {
      s = (s * 1103515245 + 12345) % 2147483648;
      return 0.2 * (s / 2147483648 - 0.5);
    });
    expect(await detectSpeechRegions({ input: await wav("noise.wav", noise) })).toEqual([]);
  });

  it("applies hysteresis, minimum speech and minimum silence", () => {
    const probs = Float32Array.from([
      0, 0.9, 0.9, 0.4, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.1, 0.1, 0.1, 0, 0.6, 0,
    ]);
    const regions = speechRegionsFromProbabilities({
      probs,
      durationMs: 1600,
      windowMs: 100,
      minSilenceMs: 300,
      minSpeechMs: 250,
      speechPadMs: 0,
    });
    // 0.4 sits between neg (0.35) and threshold: still speech. The lone 0.6 is too short.
    expect(regions).toEqual([{ startMs: 100, endMs: 1000 }]);
  });

  it("silencesFromSpeech returns the whole file when there is no speech", () => {
    expect(silencesFromSpeech({ speech: [], durationMs: 5000 })).toEqual([{ startMs: 0, endMs: 5000 }]);
  });
});
