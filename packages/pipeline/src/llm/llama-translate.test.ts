/**
 * The embedded translator against real llama.cpp with a tiny GGUF model written by the test
 * (random weights: it talks gibberish). What must hold whatever it samples: the answer
 * parses, every requested line comes back exactly once and non-empty, and a missing or
 * broken model file fails with a code that says so.
 */
import { copyFile, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { writeTinyGguf } from "@vitranslator/testkit";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTmpDir } from "@vitranslator/testkit/hooks";
import { PipelineError } from "../errors";
import { disposeLlamaRuntimes, getLlamaRuntime } from "./llama-runtime";
import { answerSchema, createLlamaTranslator, maxTranslationChars } from "./llama-translate";
import type { TranslatePayload } from "./prompts";

const tmp = useTmpDir("vt-llama-");
let modelPath: string;

beforeAll(async () => {
  modelPath = path.join(tmp.dir, "tiny.gguf");
  await writeTinyGguf(modelPath, { seed: 7 });
});
afterAll(async () => {
  await disposeLlamaRuntimes();
});

const failure = async (p: Promise<unknown>): Promise<PipelineError> => {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(PipelineError);
  return e as PipelineError;
};

describe("answerSchema", () => {
  it("asks for exactly the requested indices, each with bounded non-empty text", () => {
    const payload: TranslatePayload = {
      task: "translate",
      sourceLanguage: "en",
      targetLanguage: "zh",
      context: null,
      before: [],
      sentences: [
        { index: 4, text: "Hello" },
        { index: 9, text: "Bye" },
      ],
      after: [],
    };
    const schema = answerSchema(payload);
    expect(schema).toMatchObject({
      properties: {
        translations: {
          minItems: 2,
          maxItems: 2,
          prefixItems: [
            {
              properties: {
                index: { const: 4 },
                text: { minLength: 1, maxLength: maxTranslationChars("Hello") },
              },
            },
            { properties: { index: { const: 9 } } },
          ],
        },
      },
    });
  });
});

describe("createLlamaTranslator (tiny GGUF, real llama.cpp)", () => {
  it("translates every line exactly once, in order, keeping blank lines blank", async () => {
    const translator = createLlamaTranslator({ modelPath, gpu: "off" });
    const sentences = [
      { index: 3, text: "Good morning, everyone." },
      { index: 4, text: "   " },
      { index: 5, text: "今天我们讲翻译。" },
      { index: 6, text: 'She said "no" — twice.' },
    ];
    const out = await translator.translate({ sentences, sourceLanguage: "en", targetLanguage: "de" });
    expect(out.map((s) => s.index)).toEqual([3, 4, 5, 6]);
    expect(out[1]?.text).toBe("");
    for (const s of [out[0], out[2], out[3]]) expect(s?.text.trim()).not.toBe("");
  });

  it("gives one line per input line for any input (property)", async () => {
    const translator = createLlamaTranslator({ modelPath, gpu: "off", batchSize: 3 });
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.integer({ min: 0, max: 10_000 }), { minLength: 1, maxLength: 5 }),
        fc.array(fc.string({ unit: "grapheme", minLength: 1, maxLength: 24 }), {
          minLength: 5,
          maxLength: 5,
        }),
        async (indices, texts) => {
          const sentences = indices.map((index, i) => ({ index, text: `${texts[i] ?? ""}x` }));
          const out = await translator.translate({ sentences, targetLanguage: "fr" });
          expect(out.map((s) => s.index)).toEqual(indices);
          for (const s of out) expect(s.text.trim().length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 4 },
    );
  });

  it("shortens into distinct variants that differ from the line", async () => {
    const translator = createLlamaTranslator({ modelPath, gpu: "off" });
    const text = "Dies ist eine ziemlich lange Übersetzung.";
    const variants = await translator.shorten({
      text,
      source: "This is a rather long translation.",
      targetLanguage: "de",
      maxChars: 20,
      count: 3,
    });
    expect(variants.length).toBeGreaterThanOrEqual(1);
    expect(variants.length).toBeLessThanOrEqual(3);
    expect(new Set(variants).size).toBe(variants.length);
    expect(variants).not.toContain(text);
  });

  it("loads a model file once per process and serves concurrent requests", async () => {
    const a = await getLlamaRuntime({ modelPath, gpu: "off" });
    const b = await getLlamaRuntime({ modelPath: path.join(tmp.dir, ".", "tiny.gguf"), gpu: "off" });
    expect(b).toBe(a);
    const translator = createLlamaTranslator({ modelPath, gpu: "off" });
    const jobs = [0, 1, 2].map((k) =>
      translator.translate({ sentences: [{ index: k, text: `Line ${k}` }], targetLanguage: "es" }),
    );
    const results = await Promise.all(jobs);
    expect(results.map((r) => r.map((s) => s.index))).toEqual([[0], [1], [2]]);
  });

  it("splits a batch whose prompt does not fit the context, and fails a line that never fits", async () => {
    const small = path.join(tmp.dir, "small-context.gguf");
    await copyFile(modelPath, small);
    const warnings: string[] = [];
    const logger = { info: () => {}, warn: (_o: object, msg: string) => warnings.push(msg), error: () => {} };
    const translator = createLlamaTranslator({ modelPath: small, gpu: "off", contextSize: 1024, logger });
    const long = "word ".repeat(300);
    const e = await failure(
      translator.translate({
        sentences: [
          { index: 0, text: long },
          { index: 1, text: long },
        ],
        targetLanguage: "it",
      }),
    );
    expect(warnings).toContain("LLM translation batch failed; splitting it in halves");
    expect(e.code).toBe("TRANSLATION_FAILED");
    expect(e.message).toContain("1024-token context");
  });

  it("says MODEL_MISSING with the path when the file is absent", async () => {
    const translator = createLlamaTranslator({ modelPath: path.join(tmp.dir, "absent.gguf"), gpu: "off" });
    const e = await failure(
      translator.translate({ sentences: [{ index: 0, text: "Hi" }], targetLanguage: "fr" }),
    );
    expect(e.code).toBe("MODEL_MISSING");
    expect(e.message).toContain("absent.gguf");
    expect(e.message).toContain("npm run models");
  });

  it("says MODEL_CORRUPT for a file that is not GGUF and for a truncated model", async () => {
    const garbage = path.join(tmp.dir, "garbage.gguf");
    await writeFile(garbage, "this is not a model\n".repeat(50));
    const e1 = await failure(
      createLlamaTranslator({ modelPath: garbage, gpu: "off" }).shorten({
        text: "abc def",
        source: "abc",
        targetLanguage: "en",
        maxChars: 3,
      }),
    );
    expect(e1.code).toBe("MODEL_CORRUPT");
    expect(e1.message).toContain("GGUF signature");

    const truncated = path.join(tmp.dir, "truncated.gguf");
    const bytes = await readFile(modelPath);
    await writeFile(truncated, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    const e2 = await failure(
      createLlamaTranslator({ modelPath: truncated, gpu: "off" }).translate({
        sentences: [{ index: 0, text: "Hi" }],
        targetLanguage: "fr",
      }),
    );
    expect(e2.code).toBe("MODEL_CORRUPT");
    expect(e2.message).toMatch(/truncated\.gguf.*(file bounds|could not load)/);
  });
});
