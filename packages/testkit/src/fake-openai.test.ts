import { describe, expect, it } from "vitest";
import { answerShorten, parseTask } from "./fake-openai-chat";
import { wavDurationSec } from "./fake-openai-audio";
import { startFakeOpenAi } from "./fake-openai";
import { useFakeOpenAi } from "./hooks";
import { silentWav } from "./wav";

const KEY = "sk-fake-0123456789";
const auth = { authorization: `Bearer ${KEY}` };
const fake = useFakeOpenAi({ apiKey: KEY });

const translatePayload = (n: number, targetLanguage = "de") =>
  JSON.stringify({
    task: "translate",
    sourceLanguage: "en",
    targetLanguage,
    context: null,
    before: [{ index: 0, text: "not to be translated" }],
    sentences: Array.from({ length: n }, (_, i) => ({ index: i + 1, text: `Line ${i + 1}` })),
    after: [],
  });

const chat = (content: string, extra: object = {}, headers: Record<string, string> = auth) =>
  fetch(`${fake.url}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({
      model: "fake-translator",
      messages: [
        { role: "system", content: "sys" },
        { role: "user", content },
      ],
      ...extra,
    }),
  });

const contentOf = async (res: Response) => {
  const body = (await res.json()) as { choices: { message: { content: string } }[] };
  return body.choices[0]!.message.content;
};

/** 8 kHz mono silence. */
const wav = (seconds: number) => silentWav(seconds * 1000, 8000);

describe("startFakeOpenAi", () => {
  it("serves a base URL ending in /v1 on a free port", () => {
    expect(fake.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    expect(fake.port).toBeGreaterThan(0);
  });

  it("answers a translate payload with a chat.completion holding stand-in translations", async () => {
    const res = await chat(translatePayload(2));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(res.headers.get("x-request-id")).toMatch(/^req_/);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      object: "chat.completion",
      model: "fake-translator",
      choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant" } }],
    });
    const usage = body.usage as { prompt_tokens: number; completion_tokens: number; total_tokens: number };
    expect(usage.total_tokens).toBe(usage.prompt_tokens + usage.completion_tokens);
    expect(body.id).toMatch(/^chatcmpl-/);
    const content = (body.choices as { message: { content: string } }[])[0]!.message.content;
    expect(JSON.parse(content)).toEqual({
      translations: [
        { index: 1, text: "[de] Line 1" },
        { index: 2, text: "[de] Line 2" },
      ],
    });
    expect(fake.requests[0]).toMatchObject({
      method: "POST",
      path: "/v1/chat/completions",
      status: 200,
      task: { task: "translate" },
    });
  });

  it("answers a shorten payload with shorter variants within maxChars", async () => {
    const text = "[fr] one two three four five six seven";
    const res = await chat(
      JSON.stringify({ task: "shorten", targetLanguage: "fr", source: "x", text, maxChars: 20, count: 3 }),
    );
    const { variants } = JSON.parse(await contentOf(res)) as { variants: string[] };
    expect(variants.length).toBeGreaterThan(0);
    for (const v of variants) {
      expect(v.length).toBeLessThanOrEqual(20);
      expect(text.startsWith(v)).toBe(true);
    }
  });

  it("shortens text without spaces by characters", () => {
    const { variants } = answerShorten({
      task: "shorten",
      targetLanguage: "zh",
      text: "这是一个非常长的句子需要缩短",
      maxChars: 8,
      count: 2,
    });
    expect(variants).toEqual(["这是一个非常长的", "这是一个非常"]);
  });

  it("echoes plain chats", async () => {
    expect(await contentOf(await chat("hello?"))).toMatch(/stand-in .*You said: hello\?/);
    expect(parseTask("hello?")).toBeUndefined();
  });

  it("returns OpenAI's error JSON for a missing or wrong key", async () => {
    const none = await chat("x", {}, {});
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({
      error: { type: "invalid_request_error", code: null, param: null },
    });
    const wrong = await chat("x", {}, { authorization: "Bearer sk-wrong-abcdefgh" });
    expect(wrong.status).toBe(401);
    const body = (await wrong.json()) as { error: { message: string; code: string } };
    expect(body.error.code).toBe("invalid_api_key");
    expect(body.error.message).toContain("sk-***efgh");
  });

  it("validates the request like the real API", async () => {
    const res = await fetch(`${fake.url}/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", ...auth },
      body: JSON.stringify({ messages: [] }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { param: "model" } });
    const bad = await fetch(`${fake.url}/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", ...auth },
      body: "{",
    });
    expect(bad.status).toBe(400);
    const unknown = await fetch(`${fake.url}/nope`, { headers: auth });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { message: "Invalid URL (GET /v1/nope)" } });
  });

  it("lists and retrieves models", async () => {
    const list = (await (await fetch(`${fake.url}/models`, { headers: auth })).json()) as {
      object: string;
      data: { id: string }[];
    };
    expect(list.object).toBe("list");
    expect(list.data.map((m) => m.id)).toEqual(["fake-translator", "whisper-1"]);
    fake.setBehaviour({ models: ["only-this"] });
    expect((await fetch(`${fake.url}/models/only-this`, { headers: auth })).status).toBe(200);
    expect((await fetch(`${fake.url}/models/whisper-1`, { headers: auth })).status).toBe(404);
  });

  it("breaks JSON the first N times, truncated or fenced", async () => {
    fake.setBehaviour({ brokenJsonTimes: 1 });
    const first = await contentOf(await chat(translatePayload(3)));
    expect(() => JSON.parse(first) as unknown).toThrow();
    expect(JSON.parse(await contentOf(await chat(translatePayload(3))))).toHaveProperty("translations");

    fake.setBehaviour({ brokenJsonTimes: 1, brokenJsonStyle: "fenced" });
    expect(await contentOf(await chat(translatePayload(1)))).toMatch(/^Sure!.*\n```json\n\{.*,\}\n```/s);
  });

  it("breaks JSON at a seeded rate", async () => {
    fake.setBehaviour({ brokenJsonRate: 0.5, seed: 42 });
    const runs = async () => {
      const out: boolean[] = [];
      for (let i = 0; i < 10; i++) {
        const c = await contentOf(await chat(translatePayload(1)));
        out.push(c.endsWith("}"));
      }
      return out;
    };
    const a = await runs();
    fake.setBehaviour({ brokenJsonRate: 0.5, seed: 42 });
    expect(await runs()).toEqual(a);
    expect(a).toContain(true);
    expect(a).toContain(false);
  });

  it("drops lines from multi-sentence answers, a limited number of times", async () => {
    fake.setBehaviour({ dropLines: 2, dropLinesTimes: 1 });
    const t = (c: string) => (JSON.parse(c) as { translations: unknown[] }).translations.length;
    expect(t(await contentOf(await chat(translatePayload(5))))).toBe(3);
    expect(t(await contentOf(await chat(translatePayload(5))))).toBe(5);
    fake.setBehaviour({ dropLines: 5 });
    expect(t(await contentOf(await chat(translatePayload(3))))).toBe(1);
    expect(t(await contentOf(await chat(translatePayload(1))))).toBe(1);
  });

  it("fails with a given status N times, on the chosen route", async () => {
    fake.setBehaviour({ failStatus: 503, failTimes: 2, failOn: "chat" });
    expect((await chat(translatePayload(1))).status).toBe(503);
    const second = await chat(translatePayload(1));
    expect(second.status).toBe(503);
    expect(await second.json()).toMatchObject({ error: { type: "server_error" } });
    expect((await chat(translatePayload(1))).status).toBe(200);
    expect((await fetch(`${fake.url}/models`, { headers: auth })).status).toBe(200);
  });

  it("waits latencyMs before answering", async () => {
    fake.setBehaviour({ latencyMs: 150 });
    const started = Date.now();
    await chat("x");
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it("streams server-sent events when asked", async () => {
    const res = await chat(translatePayload(1), { stream: true, stream_options: { include_usage: true } });
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const events = (await res.text()).split("\n\n").filter(Boolean);
    expect(events.at(-1)).toBe("data: [DONE]");
    const chunks = events.slice(0, -1).map(
      (e) =>
        JSON.parse(e.slice("data: ".length)) as {
          object: string;
          choices: { delta: { content?: string } }[];
          usage?: object;
        },
    );
    expect(chunks.every((c) => c.object === "chat.completion.chunk")).toBe(true);
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? "").join("");
    expect(JSON.parse(text)).toEqual({ translations: [{ index: 1, text: "[de] Line 1" }] });
    expect(chunks.at(-1)?.usage).toBeDefined();
  });

  describe("audio transcriptions", () => {
    const transcribe = (fields: Record<string, string | string[]>, file?: Uint8Array) => {
      const form = new FormData();
      if (file) form.append("file", new File([file], "clip.wav", { type: "audio/wav" }));
      for (const [k, v] of Object.entries(fields)) for (const one of [v].flat()) form.append(k, one);
      return fetch(`${fake.url}/audio/transcriptions`, { method: "POST", headers: auth, body: form });
    };

    it("returns verbose_json spread over the WAV's duration", async () => {
      const res = await transcribe(
        { model: "whisper-1", response_format: "verbose_json", "timestamp_granularities[]": "segment" },
        wav(3),
      );
      expect(res.status).toBe(200);
      const body = (await res.json()) as {
        duration: number;
        language: string;
        text: string;
        segments: { id: number; start: number; end: number; text: string }[];
      };
      expect(body).toMatchObject({ task: "transcribe", language: "english", duration: 3 });
      expect(body.segments).toHaveLength(3);
      expect(body.segments[0]).toMatchObject({
        id: 0,
        start: 0.05,
        end: 0.9,
        text: " Hello and welcome to this short video.",
      });
      expect(body.segments.at(-1)!.end).toBeLessThanOrEqual(3);
      expect(body.text).toMatch(/^Hello and welcome.*Thank you for watching\.$/);
      expect(fake.requests[0]?.body).toMatchObject({
        model: "whisper-1",
        file: { filename: "clip.wav", type: "audio/wav" },
      });
    });

    it("defaults to 10 s for non-WAV audio and honours behaviour", async () => {
      const mp3ish = new Uint8Array([0xff, 0xfb, 0x90, 0x00]);
      const body = (await (
        await transcribe({ model: "m", response_format: "verbose_json" }, mp3ish)
      ).json()) as { duration: number };
      expect(body.duration).toBe(10);
      fake.setBehaviour({ transcript: { sentences: ["Un.", "Deux."], language: "french", durationSec: 4 } });
      const custom = (await (
        await transcribe(
          { model: "m", response_format: "verbose_json", "timestamp_granularities[]": ["word", "segment"] },
          mp3ish,
        )
      ).json()) as Record<string, unknown>;
      expect(custom).toMatchObject({
        language: "french",
        duration: 4,
        text: "Un. Deux.",
        segments: [
          { start: 0.1, end: 1.8 },
          { start: 2.1, end: 3.8 },
        ],
      });
      expect(custom.words).toEqual([
        { word: "Un.", start: 0.1, end: 1.8 },
        { word: "Deux.", start: 2.1, end: 3.8 },
      ]);
    });

    it("supports json, text, srt and vtt", async () => {
      expect(await (await transcribe({ model: "m" }, wav(1))).json()).toHaveProperty("text");
      expect(await (await transcribe({ model: "m", response_format: "text" }, wav(1))).text()).toMatch(
        /^Hello/,
      );
      expect(await (await transcribe({ model: "m", response_format: "srt" }, wav(1))).text()).toMatch(
        /^1\n00:00:00,020 --> 00:00:00,300\nHello/,
      );
      expect(await (await transcribe({ model: "m", response_format: "vtt" }, wav(1))).text()).toMatch(
        /^WEBVTT\n\n00:00:00\.020 --> /,
      );
      expect((await transcribe({ model: "m", response_format: "docx" }, wav(1))).status).toBe(400);
    });

    it("requires a file and a model", async () => {
      const noFile = await transcribe({ model: "whisper-1" });
      expect(noFile.status).toBe(400);
      expect(await noFile.json()).toMatchObject({ error: { param: "file" } });
      expect((await transcribe({}, wav(1))).status).toBe(400);
    });
  });

  it("reads WAV durations, including streamed headers", () => {
    expect(wavDurationSec(wav(2))).toBe(2);
    const streamed = wav(1);
    new DataView(streamed.buffer).setUint32(40, 0xffffffff, true);
    expect(wavDurationSec(streamed)).toBe(1);
    expect(wavDurationSec(new Uint8Array(10))).toBeUndefined();
  });

  it("closes even with keep-alive connections open", async () => {
    const other = await startFakeOpenAi();
    await fetch(`${other.url}/models`);
    await other.close();
    await expect(fetch(`${other.url}/models`)).rejects.toThrow();
  });
});
