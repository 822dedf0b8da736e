import { useFakeOpenAi } from "@vitranslator/testkit/hooks";
import { describe, expect, it } from "vitest";
import { createLlmClient } from "./client";

const fake = useFakeOpenAi();

describe("createLlmClient", () => {
  it("normalises the base URL and keeps the settings", () => {
    const c = createLlmClient({
      baseURL: " https://api.deepseek.com/v1/ ",
      apiKey: "k",
      model: "deepseek-chat",
    });
    expect(c.baseURL).toBe("https://api.deepseek.com/v1");
    expect(c.model).toBe("deepseek-chat");
    expect(c.openai.timeout).toBe(60_000);
    expect(c.openai.maxRetries).toBe(2);
    expect(c.transcriptionModel).toBeUndefined();
  });

  it("accepts an empty key for local servers such as Ollama", () => {
    const c = createLlmClient({ baseURL: "http://localhost:11434/v1", apiKey: "", model: "qwen2.5:7b" });
    expect(c.openai.apiKey).toBe("not-needed");
  });

  it("rejects a bad base URL or a missing model with LLM_CONFIG", () => {
    expect(() => createLlmClient({ baseURL: "api.openai.com", apiKey: "k", model: "m" })).toThrow(
      expect.objectContaining({ code: "LLM_CONFIG", category: "user" }),
    );
    expect(() => createLlmClient({ baseURL: "ftp://x/v1", apiKey: "k", model: "m" })).toThrow(/http/);
    expect(() => createLlmClient({ baseURL: "http://x/v1", apiKey: "k", model: " " })).toThrow(/LLM_MODEL/);
  });

  it("talks to the fake server with the official client: models, chat, streaming", async () => {
    const { openai } = createLlmClient({
      baseURL: fake.url,
      apiKey: "k",
      model: "fake-translator",
      maxRetries: 0,
    });
    const models = [];
    for await (const m of openai.models.list()) models.push(m.id);
    expect(models).toContain("fake-translator");
    expect((await openai.models.retrieve("whisper-1")).id).toBe("whisper-1");

    const plain = await openai.chat.completions.create({
      model: "fake-translator",
      messages: [{ role: "user", content: "ping" }],
    });
    expect(plain.object).toBe("chat.completion");
    expect(plain.choices[0]?.message.content).toMatch(/You said: ping/);
    expect(plain.usage?.total_tokens).toBeGreaterThan(0);

    const stream = await openai.chat.completions.create({
      model: "fake-translator",
      stream: true,
      stream_options: { include_usage: true },
      messages: [
        {
          role: "user",
          content: JSON.stringify({
            task: "translate",
            targetLanguage: "it",
            sentences: [{ index: 7, text: "Good night" }],
          }),
        },
      ],
    });
    let text = "";
    let finish: string | null = null;
    let usage = 0;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
      finish = chunk.choices[0]?.finish_reason ?? finish;
      usage = chunk.usage?.total_tokens ?? usage;
    }
    expect(JSON.parse(text)).toEqual({ translations: [{ index: 7, text: "[it] Good night" }] });
    expect(finish).toBe("stop");
    expect(usage).toBeGreaterThan(0);
  });
});
