/**
 * translateWithGlossary through the real OpenAI-compatible translator against the fake
 * server: the glossary reaches the prompt, a line that lost a term is asked once more, and
 * a line that loses it twice is marked.
 */
import { useFakeOpenAi } from "@vitranslator/testkit/hooks";
import { describe, expect, it } from "vitest";
import { PipelineError } from "../errors";
import { createLlmClient } from "../llm/client";
import { createOpenAiTranslator } from "../llm/translate";
import type { Translator } from "../llm/translate";
import { translateWithGlossary } from "./translate";

const API_KEY = "sk-test-key-123456";
const fake = useFakeOpenAi({ apiKey: API_KEY });

const translator = () =>
  createOpenAiTranslator({
    client: createLlmClient({
      baseURL: fake.url,
      apiKey: API_KEY,
      model: "fake-translator",
      maxRetries: 0,
      timeoutMs: 5_000,
    }),
  });

const glossary = [
  { term: "dubbing", translation: "Synchronisation" },
  { term: "GPU", translation: "Grafikkarte" },
  { term: "subtitles", translation: "Untertitel" },
];

const sentences = [
  { index: 10, text: "We love dubbing on a GPU." },
  { index: 11, text: "Hello there." },
  { index: 12, text: "Subtitles help." },
];

/** Scripted answers per source line: the n-th request for a line gets its n-th answer (the last repeats). */
function script(answers: Record<string, string[]>): (text: string) => string {
  const asked = new Map<string, number>();
  return (text) => {
    const n = asked.get(text) ?? 0;
    asked.set(text, n + 1);
    const list = answers[text];
    if (!list) return `[de] ${text}`;
    return list[Math.min(n, list.length - 1)] ?? "";
  };
}

const system = (i: number): string =>
  (fake.requests[i]?.body as { messages: { role: string; content: string }[] }).messages[0]?.content ?? "";

const taskSentences = (i: number) => {
  const task = fake.requests[i]?.task;
  return task?.task === "translate" ? task.sentences : undefined;
};

describe("translateWithGlossary (OpenAI-compatible translator, fake server)", () => {
  it("sends the batch's glossary entries, retries a line that lost a term once, and keeps the fixed line", async () => {
    fake.setBehaviour({
      translate: script({
        "We love dubbing on a GPU.": [
          "Wir lieben Vertonung auf einer Grafikkarte.",
          "Wir lieben Synchronisation auf einer Grafikkarte.",
        ],
        "Subtitles help.": ["Untertitel helfen."],
      }),
    });
    const out = await translateWithGlossary(translator(), {
      sentences,
      sourceLanguage: "en",
      targetLanguage: "de",
      glossary,
    });
    expect(out).toEqual({
      translations: [
        "Wir lieben Synchronisation auf einer Grafikkarte.",
        "[de] Hello there.",
        "Untertitel helfen.",
      ],
      glossaryMissed: [false, false, false],
      retried: 1,
    });
    expect(fake.requests).toHaveLength(2);
    expect(system(0)).toMatch(/Use these translations for these terms/);
    expect(system(0)).toContain('"dubbing" => "Synchronisation"');
    expect(system(0)).toContain('"GPU" => "Grafikkarte"');
    expect(system(0)).toContain('"subtitles" => "Untertitel"');
    expect(system(0)).not.toMatch(/IMPORTANT/);
    // The retry asks only the line that lost a term, with only its terms, insisting.
    expect(taskSentences(1)).toEqual([{ index: 10, text: "We love dubbing on a GPU." }]);
    expect(system(1)).toContain('"dubbing" => "Synchronisation"');
    expect(system(1)).not.toContain("Untertitel");
    expect(system(1)).toMatch(/IMPORTANT: an earlier translation/);
  });

  it("marks a line that loses a term on the retry too, keeping the translation that lost fewer", async () => {
    fake.setBehaviour({
      translate: script({
        "We love dubbing on a GPU.": [
          "Wir lieben Vertonung auf einem Chip.",
          "Wir lieben Vertonung auf einer Grafikkarte.",
        ],
        "Subtitles help.": ["Texte helfen.", "Texte helfen wirklich."],
      }),
    });
    const out = await translateWithGlossary(translator(), { sentences, targetLanguage: "de", glossary });
    expect(out).toEqual({
      translations: ["Wir lieben Vertonung auf einer Grafikkarte.", "[de] Hello there.", "Texte helfen."],
      glossaryMissed: [true, false, true],
      retried: 2,
    });
    expect(fake.requests).toHaveLength(2);
    expect(taskSentences(1)?.map((s) => s.index)).toEqual([10, 12]);
  });

  it("makes one request and marks nothing without a glossary, or when no term occurs", async () => {
    const none = await translateWithGlossary(translator(), { sentences, targetLanguage: "de" });
    expect(none.glossaryMissed).toEqual([false, false, false]);
    expect(none.retried).toBe(0);
    expect(system(0)).not.toMatch(/glossary/);

    fake.requests.length = 0;
    const unrelated = await translateWithGlossary(translator(), {
      sentences: [{ index: 0, text: "Hello there." }],
      targetLanguage: "de",
      glossary,
    });
    expect(unrelated).toEqual({ translations: ["[de] Hello there."], glossaryMissed: [false], retried: 0 });
    expect(fake.requests).toHaveLength(1);
    expect(system(0)).not.toMatch(/glossary/);
  });

  it("lets an outage during the retry fail the job as usual", async () => {
    fake.setBehaviour({ translate: script({ "Subtitles help.": ["Texte helfen."] }) });
    const t = translator();
    const firstOnly: Translator = {
      ...t,
      translate: async (req) => {
        if (req.emphasiseGlossary) fake.setBehaviour({ failStatus: 500 });
        return t.translate(req);
      },
    };
    await expect(
      translateWithGlossary(firstOnly, { sentences, targetLanguage: "de", glossary }),
    ).rejects.toMatchObject({ code: "LLM_SERVER_ERROR" });
  });
});

describe("translateWithGlossary (stub translator)", () => {
  it("keeps the first translation, marked, when the retry cannot translate the line at all", async () => {
    const calls: number[][] = [];
    const stub: Translator = {
      translate: (req) => {
        calls.push(req.sentences.map((s) => s.index));
        if (req.emphasiseGlossary) {
          return Promise.reject(
            new PipelineError({ code: "TRANSLATION_FAILED", category: "third_party", message: "no" }),
          );
        }
        return Promise.resolve(req.sentences.map((s) => ({ index: s.index, text: `x ${s.text}` })));
      },
      shorten: () => Promise.resolve([]),
    };
    const out = await translateWithGlossary(stub, {
      sentences: [
        { index: 0, text: "dubbing" },
        { index: 1, text: "   " },
      ],
      targetLanguage: "de",
      glossary,
    });
    expect(out).toEqual({ translations: ["x dubbing", "x    "], glossaryMissed: [true, false], retried: 1 });
    expect(calls).toEqual([[0, 1], [0]]);
  });
});
