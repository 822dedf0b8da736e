import { startFakeOpenAi } from "@vitranslator/testkit";
import { useFakeOpenAi } from "@vitranslator/testkit/hooks";
import { describe, expect, it } from "vitest";
import { PipelineError } from "../errors";
import { createLlmClient } from "./client";
import type { LlmLogger } from "./errors";
import type { TranslatePayload } from "./prompts";
import { createOpenAiTranslator } from "./translate";

const API_KEY = "sk-test-key-123456";
const fake = useFakeOpenAi({ apiKey: API_KEY });

const client = (over: { apiKey?: string; baseURL?: string; maxRetries?: number; timeoutMs?: number } = {}) =>
  createLlmClient({
    baseURL: over.baseURL ?? fake.url,
    apiKey: over.apiKey ?? API_KEY,
    model: "fake-translator",
    maxRetries: over.maxRetries ?? 0,
    timeoutMs: over.timeoutMs ?? 5_000,
  });

const sentences = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => ({ index: from + i, text: `Sentence number ${from + i}.` }));

const translateTasks = () => fake.requests.flatMap((r) => (r.task?.task === "translate" ? [r.task] : []));

const chatBody = (i: number) =>
  fake.requests[i]?.body as {
    messages: { role: string; content: string }[];
    response_format?: unknown;
    model: string;
  };

const recordingLogger = () => {
  const warnings: string[] = [];
  const logger: LlmLogger = { info: () => {}, warn: (_o, msg) => warnings.push(msg), error: () => {} };
  return { logger, warnings };
};

const catchError = async (p: Promise<unknown>): Promise<PipelineError> => {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(PipelineError);
    return e as PipelineError;
  }
  throw new Error("expected a rejection");
};

describe("createOpenAiTranslator.translate", () => {
  it("translates every sentence in order through the official client", async () => {
    const translator = createOpenAiTranslator({ client: client() });
    const out = await translator.translate({
      sentences: sentences(3),
      sourceLanguage: "en",
      targetLanguage: "de",
    });
    expect(out).toEqual([
      { index: 0, text: "[de] Sentence number 0." },
      { index: 1, text: "[de] Sentence number 1." },
      { index: 2, text: "[de] Sentence number 2." },
    ]);
    expect(fake.requests).toHaveLength(1);
    const body = chatBody(0);
    expect(body.model).toBe("fake-translator");
    expect(body.response_format).toEqual({ type: "json_object" });
    expect(body.messages[0]?.role).toBe("system");
    expect(body.messages[0]?.content).toMatch(/German \(de\)/);
    expect(body.messages[0]?.content).toMatch(/"translations"/);
    expect(JSON.parse(body.messages[1]?.content ?? "")).toMatchObject({
      task: "translate",
      sourceLanguage: "en",
      targetLanguage: "de",
      before: [],
      after: [],
    });
    expect(fake.requests[0]?.headers.authorization).toBe(`Bearer ${API_KEY}`);
  });

  it("batches and passes neighbours (with earlier translations) as context, not as work", async () => {
    const translator = createOpenAiTranslator({ client: client(), batchSize: 4, contextSize: 2 });
    const out = await translator.translate({
      sentences: sentences(10, 100),
      targetLanguage: "fr",
      context: "A cooking show.",
    });
    expect(out.map((s) => s.index)).toEqual(sentences(10, 100).map((s) => s.index));
    expect(out.every((s) => s.text.startsWith("[fr] "))).toBe(true);
    const payloads = fake.requests.map(
      (r) =>
        JSON.parse((r.body as { messages: { content: string }[] }).messages[1]!.content) as TranslatePayload,
    );
    expect(payloads.map((p) => p.sentences.map((s) => s.index))).toEqual([
      [100, 101, 102, 103],
      [104, 105, 106, 107],
      [108, 109],
    ]);
    expect(payloads[0]).toMatchObject({
      context: "A cooking show.",
      before: [],
      after: [{ index: 104 }, { index: 105 }],
    });
    expect(payloads[1]?.before).toEqual([
      { index: 102, text: "Sentence number 102.", translation: "[fr] Sentence number 102." },
      { index: 103, text: "Sentence number 103.", translation: "[fr] Sentence number 103." },
    ]);
    expect(payloads[1]?.after).toEqual([
      { index: 108, text: "Sentence number 108." },
      { index: 109, text: "Sentence number 109." },
    ]);
    expect(payloads[2]?.after).toEqual([]);
  });

  it("returns blank source lines as blank without asking the model", async () => {
    const translator = createOpenAiTranslator({ client: client() });
    const out = await translator.translate({
      sentences: [
        { index: 0, text: "Hi." },
        { index: 1, text: "   " },
      ],
      targetLanguage: "es",
    });
    expect(out).toEqual([
      { index: 0, text: "[es] Hi." },
      { index: 1, text: "" },
    ]);
    expect(translateTasks()[0]?.sentences).toEqual([{ index: 0, text: "Hi." }]);
  });

  it("makes no request for an empty list", async () => {
    const translator = createOpenAiTranslator({ client: client() });
    expect(await translator.translate({ sentences: [], targetLanguage: "de" })).toEqual([]);
    expect(fake.requests).toHaveLength(0);
  });

  it("repairs a fenced, chatty JSON answer without asking again", async () => {
    fake.setBehaviour({ brokenJsonTimes: 1, brokenJsonStyle: "fenced" });
    const translator = createOpenAiTranslator({ client: client() });
    const out = await translator.translate({ sentences: sentences(4), targetLanguage: "de" });
    expect(out.map((s) => s.text)).toEqual(sentences(4).map((s) => `[de] ${s.text}`));
    expect(fake.requests).toHaveLength(1);
  });

  it("splits a batch whose answer is truncated JSON and completes it", async () => {
    fake.setBehaviour({ brokenJsonTimes: 1 });
    const { logger, warnings } = recordingLogger();
    const translator = createOpenAiTranslator({ client: client(), logger });
    const out = await translator.translate({ sentences: sentences(6), targetLanguage: "de" });
    expect(out.map((s) => s.text)).toEqual(sentences(6).map((s) => `[de] ${s.text}`));
    expect(translateTasks().map((t) => t.sentences.length)).toEqual([6, 3, 3]);
    expect(warnings).toEqual(["LLM translation batch failed; splitting it in halves"]);
  });

  it("splits down to single sentences when lines are dropped, and never loses one", async () => {
    fake.setBehaviour({ dropLines: 1 });
    const translator = createOpenAiTranslator({ client: client(), batchSize: 5 });
    const out = await translator.translate({ sentences: sentences(5), targetLanguage: "ja" });
    expect(out).toEqual(sentences(5).map((s) => ({ index: s.index, text: `[ja] ${s.text}` })));
    // 5 → (3 → (2 → 1,1), 1), (2 → 1,1): every multi-sentence reply dropped a line.
    expect(translateTasks().map((t) => t.sentences.length)).toEqual([5, 3, 2, 1, 1, 1, 2, 1, 1]);
  });

  it("retries a single sentence once, then fails with TRANSLATION_FAILED", async () => {
    fake.setBehaviour({ brokenJsonTimes: 1 });
    const translator = createOpenAiTranslator({ client: client() });
    expect(await translator.translate({ sentences: sentences(1), targetLanguage: "de" })).toEqual([
      { index: 0, text: "[de] Sentence number 0." },
    ]);

    fake.setBehaviour({ brokenJsonRate: 1 });
    fake.requests.length = 0;
    const err = await catchError(translator.translate({ sentences: sentences(2), targetLanguage: "de" }));
    expect(err).toMatchObject({ code: "TRANSLATION_FAILED", category: "third_party" });
    expect(err.message).toMatch(/sentence 0 .*Sentence number 0/);
    expect((err.cause as PipelineError).code).toBe("LLM_BAD_JSON");
    expect(translateTasks().map((t) => t.sentences.length)).toEqual([2, 1, 1]);
  });

  it("maps a wrong API key to LLM_AUTH (user) without splitting", async () => {
    const translator = createOpenAiTranslator({ client: client({ apiKey: "sk-wrong-key-999999" }) });
    const err = await catchError(translator.translate({ sentences: sentences(4), targetLanguage: "de" }));
    expect(err).toMatchObject({ code: "LLM_AUTH", category: "user" });
    expect(err.message).toMatch(/LLM_API_KEY/);
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]?.status).toBe(401);
  });

  it("maps a server that is down to LLM_UNAVAILABLE naming the base URL, quickly", async () => {
    const down = await startFakeOpenAi();
    const baseURL = down.url;
    await down.close();
    const translator = createOpenAiTranslator({ client: client({ baseURL, timeoutMs: 1_000 }) });
    const started = Date.now();
    const err = await catchError(translator.translate({ sentences: sentences(3), targetLanguage: "de" }));
    expect(err).toMatchObject({ code: "LLM_UNAVAILABLE", category: "third_party" });
    expect(err.message).toContain(baseURL);
    expect(err.message).toMatch(/ECONNREFUSED/);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it("maps a server that does not answer in time to LLM_UNAVAILABLE", async () => {
    fake.setBehaviour({ latencyMs: 1_000 });
    const translator = createOpenAiTranslator({ client: client({ timeoutMs: 200 }) });
    const err = await catchError(translator.translate({ sentences: sentences(1), targetLanguage: "de" }));
    expect(err).toMatchObject({ code: "LLM_UNAVAILABLE", category: "third_party" });
    expect(err.message).toContain(fake.url);
  });

  it("lets the client's retries ride out transient 503s", async () => {
    fake.setBehaviour({ failStatus: 503, failTimes: 2 });
    const translator = createOpenAiTranslator({ client: client({ maxRetries: 2 }) });
    const out = await translator.translate({ sentences: sentences(2), targetLanguage: "de" });
    expect(out).toHaveLength(2);
    expect(fake.requests.map((r) => r.status)).toEqual([503, 503, 200]);
    expect(fake.requests[2]?.headers["x-stainless-retry-count"]).toBe("2");
  });

  it("reports a persistent 5xx as LLM_SERVER_ERROR without splitting", async () => {
    fake.setBehaviour({ failStatus: 500 });
    const translator = createOpenAiTranslator({ client: client() });
    const err = await catchError(translator.translate({ sentences: sentences(4), targetLanguage: "de" }));
    expect(err).toMatchObject({ code: "LLM_SERVER_ERROR", category: "third_party" });
    expect(fake.requests).toHaveLength(1);
  });

  it("stops at once when the caller aborts", async () => {
    fake.setBehaviour({ latencyMs: 2_000 });
    const translator = createOpenAiTranslator({ client: client() });
    const controller = new AbortController();
    const reason = new Error("task cancelled");
    setTimeout(() => controller.abort(reason), 50);
    await expect(
      translator.translate({ sentences: sentences(2), targetLanguage: "de", signal: controller.signal }),
    ).rejects.toBe(reason);
  });

  it("rejects duplicate indices in the request", async () => {
    const translator = createOpenAiTranslator({ client: client() });
    const err = await catchError(
      translator.translate({
        sentences: [
          { index: 1, text: "a" },
          { index: 1, text: "b" },
        ],
        targetLanguage: "de",
      }),
    );
    expect(err.code).toBe("LLM_INVALID_REQUEST");
  });

  it("can leave out response_format for servers that reject it", async () => {
    const translator = createOpenAiTranslator({ client: client(), jsonMode: false, temperature: 0.2 });
    await translator.translate({ sentences: sentences(1), targetLanguage: "de" });
    expect(chatBody(0).response_format).toBeUndefined();
    expect((chatBody(0) as { temperature?: number }).temperature).toBe(0.2);
  });
});

describe("createOpenAiTranslator.shorten", () => {
  const text = "[de] this is a rather long line that will not fit its slot";

  it("returns distinct shorter variants, shortest first, within maxChars", async () => {
    const translator = createOpenAiTranslator({ client: client() });
    const out = await translator.shorten({
      text,
      source: "This is long.",
      targetLanguage: "de",
      maxChars: 30,
    });
    expect(out.length).toBeGreaterThanOrEqual(2);
    expect(out.length).toBeLessThanOrEqual(3);
    expect(new Set(out).size).toBe(out.length);
    for (const v of out) expect(v.length).toBeLessThanOrEqual(30);
    expect([...out].sort((a, b) => a.length - b.length)).toEqual(out);
    expect(fake.requests[0]?.task).toEqual({
      task: "shorten",
      targetLanguage: "de",
      text,
      maxChars: 30,
      count: 3,
    });
  });

  it("honours count", async () => {
    const translator = createOpenAiTranslator({ client: client() });
    const out = await translator.shorten({ text, source: "x", targetLanguage: "de", maxChars: 40, count: 1 });
    expect(out).toHaveLength(1);
  });

  it("asks again after a broken answer, then fails with SHORTEN_FAILED", async () => {
    fake.setBehaviour({ brokenJsonTimes: 1 });
    const translator = createOpenAiTranslator({ client: client() });
    expect(
      await translator.shorten({ text, source: "x", targetLanguage: "de", maxChars: 30 }),
    ).not.toHaveLength(0);
    expect(fake.requests).toHaveLength(2);

    fake.setBehaviour({ brokenJsonRate: 1 });
    const err = await catchError(
      translator.shorten({ text, source: "x", targetLanguage: "de", maxChars: 30 }),
    );
    expect(err).toMatchObject({ code: "SHORTEN_FAILED", category: "third_party" });
  });

  it("maps auth errors like translate does", async () => {
    const translator = createOpenAiTranslator({ client: client({ apiKey: "nope" }) });
    const err = await catchError(
      translator.shorten({ text, source: "x", targetLanguage: "de", maxChars: 30 }),
    );
    expect(err.code).toBe("LLM_AUTH");
  });
});
