/** The OpenAI speech engine through the official client against the local OpenAI-protocol server. */
import { join } from "node:path";
import { speechMs } from "@vitranslator/testkit";
import { useFakeOpenAi, useTmpDir } from "@vitranslator/testkit/hooks";
import { describe, expect, it } from "vitest";
import { readWavFormat } from "../audio/wav";
import { isPipelineError } from "../errors";
import { createLlmClient } from "../llm/client";
import { OpenAiSpeechEngine } from "./openai-speech";

const server = useFakeOpenAi({ apiKey: "sk-test" });
const tmp = useTmpDir();
const client = (url: string, apiKey = "sk-test") =>
  createLlmClient({ baseURL: url, apiKey, model: "fake-translator", maxRetries: 0, timeoutMs: 5000 });

const speechBodies = () =>
  server.requests.filter((r) => r.path === "/v1/audio/speech").map((r) => r.body as Record<string, unknown>);

describe("OpenAiSpeechEngine", () => {
  it("asks for WAV and writes 44.1 kHz mono WAV of the answer's length", async () => {
    const engine = new OpenAiSpeechEngine({ client: client(server.url), model: "tts-1" });
    const text = "Bonjour tout le monde.";
    const res = await engine.synthesize({ text, language: "fr", outPath: join(tmp.dir, "a.wav") });
    expect(speechBodies()).toEqual([{ model: "tts-1", voice: "alloy", input: text, response_format: "wav" }]);
    expect(await readWavFormat(res.path)).toMatchObject({
      sampleRate: 44_100,
      channels: 1,
      bitsPerSample: 16,
    });
    expect(res.durationMs).toBeCloseTo(speechMs(text), -2);
  });

  it("gives each speaker their own voice, the same one every time, and lets an explicit voice win", async () => {
    const engine = new OpenAiSpeechEngine({
      client: client(server.url),
      model: "tts-1",
      voice: "onyx",
      voices: ["echo", "nova"],
    });
    for (const speaker of ["SPEAKER_01", "SPEAKER_00", "SPEAKER_01", undefined])
      await engine.synthesize({
        text: "Hi",
        language: "en",
        outPath: join(tmp.dir, "v.wav"),
        ...(speaker ? { speaker } : {}),
      });
    await engine.synthesize({
      text: "Hi",
      language: "en",
      outPath: join(tmp.dir, "v.wav"),
      speaker: "SPEAKER_00",
      voice: "fable",
    });
    expect(speechBodies().map((b) => b.voice)).toEqual(["nova", "echo", "nova", "onyx", "fable"]);
  });

  it("says which setting to fix when the endpoint refuses or cannot be reached", async () => {
    const err = async (p: Promise<unknown>) => {
      const e = await p.catch((x: unknown) => x);
      if (!isPipelineError(e)) throw new Error(`expected a PipelineError, got ${String(e)}`);
      return { code: e.code, category: e.category, message: e.message };
    };
    const badKey = new OpenAiSpeechEngine({ client: client(server.url, "wrong"), model: "tts-1" });
    expect(
      await err(badKey.synthesize({ text: "x", language: "en", outPath: join(tmp.dir, "k.wav") })),
    ).toMatchObject({
      code: "TTS_AUTH",
      category: "user",
    });
    const badVoice = new OpenAiSpeechEngine({ client: client(server.url), model: "tts-1", voice: "nobody" });
    const refused = await err(
      badVoice.synthesize({ text: "x", language: "en", outPath: join(tmp.dir, "b.wav") }),
    );
    expect(refused).toMatchObject({ code: "TTS_BAD_REQUEST", category: "user" });
    expect(refused.message).toContain("TTS_VOICE");

    server.setBehaviour({ failStatus: 503, failOn: "speech" });
    const engine = new OpenAiSpeechEngine({ client: client(server.url), model: "tts-1" });
    expect(
      await err(engine.synthesize({ text: "x", language: "en", outPath: join(tmp.dir, "s.wav") })),
    ).toMatchObject({
      code: "TTS_SERVER_ERROR",
      category: "third_party",
    });
    const down = new OpenAiSpeechEngine({ client: client("http://127.0.0.1:1/v1"), model: "tts-1" });
    const unreachable = await err(
      down.synthesize({ text: "x", language: "en", outPath: join(tmp.dir, "d.wav") }),
    );
    expect(unreachable).toMatchObject({ code: "TTS_UNAVAILABLE", category: "third_party" });
    expect(unreachable.message).toContain("127.0.0.1:1");
  });

  it("needs a model", () => {
    expect(() => new OpenAiSpeechEngine({ client: client(server.url), model: " " })).toThrow(/TTS_MODEL/);
  });
});
