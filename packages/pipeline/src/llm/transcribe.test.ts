import fs from "node:fs/promises";
import path from "node:path";
import { silentWav } from "@vitranslator/testkit";
import { beforeAll, describe, expect, it } from "vitest";
import { useFakeOpenAi, useTmpDir } from "@vitranslator/testkit/hooks";
import { createLlmClient } from "./client";
import { createOpenAiTranscriber } from "./transcribe";
import { normaliseWhisperLanguage } from "./whisper-languages";

const fake = useFakeOpenAi({ apiKey: "k" });
const tmp = useTmpDir("vt-transcribe-");
let wavPath: string;

beforeAll(async () => {
  wavPath = path.join(tmp.dir, "seg.wav");
  await fs.writeFile(wavPath, silentWav(6000, 16_000));
});

const client = (over: { apiKey?: string; transcriptionModel?: string } = {}) =>
  createLlmClient({
    baseURL: fake.url,
    apiKey: over.apiKey ?? "k",
    model: "fake-translator",
    maxRetries: 0,
    timeoutMs: 5_000,
    ...(over.transcriptionModel ? { transcriptionModel: over.transcriptionModel } : {}),
  });

describe("createOpenAiTranscriber", () => {
  it("uploads the audio as multipart and maps verbose_json segments to ms", async () => {
    const transcriber = createOpenAiTranscriber({ client: client() });
    const out = await transcriber.transcribe({ audioPath: wavPath });
    expect(out.language).toBe("en");
    // The fake spreads its three default sentences over the 6 s read from the WAV header.
    expect(out.segments).toEqual([
      { startMs: 100, endMs: 1800, text: "Hello and welcome to this short video." },
      { startMs: 2100, endMs: 3800, text: "Today we will see how a video is dubbed into another language." },
      { startMs: 4100, endMs: 5800, text: "Thank you for watching." },
    ]);
    const body = fake.requests[0]?.body as Record<string, unknown>;
    expect(body).toMatchObject({
      model: "whisper-1",
      response_format: "verbose_json",
      "timestamp_granularities[]": "segment",
      file: { filename: "seg.wav", size: 44 + 6 * 32_000 },
    });
    expect(body.language).toBeUndefined();
  });

  it("passes the language hint and the configured model", async () => {
    const transcriber = createOpenAiTranscriber({
      client: client({ transcriptionModel: "whisper-large-v3" }),
    });
    await transcriber.transcribe({ audioPath: wavPath, language: "fr" });
    expect(fake.requests[0]?.body).toMatchObject({ model: "whisper-large-v3", language: "fr" });

    const explicit = createOpenAiTranscriber({
      client: client({ transcriptionModel: "ignored" }),
      model: "whisper-1",
    });
    await explicit.transcribe({ audioPath: wavPath });
    expect(fake.requests[1]?.body).toMatchObject({ model: "whisper-1" });
  });

  it("drops empty segments and keeps the model's timings and language", async () => {
    fake.setBehaviour({
      transcript: {
        language: "german",
        segments: [
          { start: 0.5, end: 1.25, text: " Guten Tag." },
          { start: 1.3, end: 1.9, text: "   " },
          { start: 2.0, end: 3.0004, text: " Wie geht's?" },
        ],
      },
    });
    const out = await createOpenAiTranscriber({ client: client() }).transcribe({ audioPath: wavPath });
    expect(out).toEqual({
      language: "de",
      segments: [
        { startMs: 500, endMs: 1250, text: "Guten Tag." },
        { startMs: 2000, endMs: 3000, text: "Wie geht's?" },
      ],
    });
  });

  it("maps a wrong key to LLM_AUTH", async () => {
    const transcriber = createOpenAiTranscriber({ client: client({ apiKey: "wrong" }) });
    await expect(transcriber.transcribe({ audioPath: wavPath })).rejects.toMatchObject({
      code: "LLM_AUTH",
      category: "user",
    });
  });

  it("fails clearly when the audio file is missing", async () => {
    const transcriber = createOpenAiTranscriber({ client: client() });
    await expect(
      transcriber.transcribe({ audioPath: path.join(tmp.dir, "missing.wav") }),
    ).rejects.toMatchObject({
      code: "AUDIO_NOT_FOUND",
    });
    expect(fake.requests).toHaveLength(0);
  });
});

describe("normaliseWhisperLanguage", () => {
  it("maps Whisper names to ISO codes and passes codes through", () => {
    expect(normaliseWhisperLanguage("english")).toBe("en");
    expect(normaliseWhisperLanguage("Chinese")).toBe("zh");
    expect(normaliseWhisperLanguage("ZH")).toBe("zh");
    expect(normaliseWhisperLanguage("klingon")).toBe("klingon");
  });
});
