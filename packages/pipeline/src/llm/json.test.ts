import { describe, expect, it } from "vitest";
import { PipelineError } from "../errors";
import { extractJson } from "./json";

const expectBadJson = (text: string) => {
  let caught: unknown;
  try {
    extractJson(text);
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(PipelineError);
  expect(caught).toMatchObject({ code: "LLM_BAD_JSON", category: "third_party" });
};

describe("extractJson", () => {
  it("parses clean JSON", () => {
    expect(extractJson('{"a":1,"b":[true,null]}')).toEqual({ a: 1, b: [true, null] });
    expect(extractJson("  [1, 2]\n")).toEqual([1, 2]);
  });

  it("strips markdown fences and surrounding prose", () => {
    const reply =
      'Sure! Here is the translation:\n```json\n{"translations":[{"index":0,"text":"Hallo"}]}\n```\nLet me know!';
    expect(extractJson(reply)).toEqual({ translations: [{ index: 0, text: "Hallo" }] });
  });

  it("prefers the fenced block over brackets in the prose", () => {
    const reply = 'I kept [names] as-is {see note}.\n```\n{"ok": true}\n```';
    expect(extractJson(reply)).toEqual({ ok: true });
  });

  it("handles an unclosed fence", () => {
    expect(extractJson('```json\n{"a": "b"}\n')).toEqual({ a: "b" });
  });

  it("takes the first balanced object and ignores what follows", () => {
    expect(extractJson('{"a":1} and also {"b":2}')).toEqual({ a: 1 });
    expect(extractJson('prefix {"a":{"b":[1,{"c":"}"}]}} suffix }}}')).toEqual({ a: { b: [1, { c: "}" }] } });
  });

  it("skips bracketed prose that is not JSON", () => {
    expect(extractJson('The answer [as requested] is {"x": 2}')).toEqual({ x: 2 });
  });

  it("removes trailing and doubled commas", () => {
    expect(extractJson('{"a":[1,2,3,],"b":{"c":1,},}')).toEqual({ a: [1, 2, 3], b: { c: 1 } });
    expect(extractJson("[1,,2]")).toEqual([1, 2]);
  });

  it("repairs smart quotes around keys and values", () => {
    expect(extractJson("{\u201Cindex\u201D: 3, \u201Ctext\u201D: \u201CBonjour\u201D}")).toEqual({
      index: 3,
      text: "Bonjour",
    });
  });

  it("keeps smart quotes that are part of a translated string", () => {
    const reply = '{"text": "他说\u201C你好\u201D，然后走了。", "n": 1,}';
    expect(extractJson(reply)).toEqual({ text: "他说\u201C你好\u201D，然后走了。", n: 1 });
  });

  it("converts single-quoted strings and Python literals", () => {
    expect(extractJson("{'a': 'it\\'s', 'b': True, 'c': None, 'd': False}")).toEqual({
      a: "it's",
      b: true,
      c: null,
      d: false,
    });
  });

  it("escapes double quotes inside single-quoted strings", () => {
    expect(extractJson(`{'q': 'say "hi"'}`)).toEqual({ q: 'say "hi"' });
  });

  it("quotes bare keys", () => {
    expect(extractJson('{index: 1, text: "x"}')).toEqual({ index: 1, text: "x" });
  });

  it("escapes raw newlines and tabs inside strings", () => {
    expect(extractJson('{"text": "line one\nline\ttwo"}')).toEqual({ text: "line one\nline\ttwo" });
  });

  it("drops // and /* */ comments outside strings but keeps them inside", () => {
    const reply = '{\n  // the first one\n  "a": 1, /* two */ "b": "http://x.y/*z*/",\n}';
    expect(extractJson(reply)).toEqual({ a: 1, b: "http://x.y/*z*/" });
  });

  it("ignores <think> blocks of reasoning models", () => {
    const reply = '<think>The user wants {"translations"}... maybe [this]?</think>\n{"translations": []}';
    expect(extractJson(reply)).toEqual({ translations: [] });
  });

  it("drops only a leading reasoning block: <think> inside a translation is text", () => {
    const reply = '{"translations": ["Write <think> first.", "Then </think> closes it."]}';
    expect(extractJson(reply)).toEqual({ translations: ["Write <think> first.", "Then </think> closes it."] });
    const reasoned = `<think>plan: keep "<think>" as is</think>\n${reply}`;
    expect(extractJson(reasoned)).toEqual({ translations: ["Write <think> first.", "Then </think> closes it."] });
    // An unclosed leading block is not reasoning we can delimit: nothing is cut.
    expect(extractJson('<think> {"a": "<think>"}')).toEqual({ a: "<think>" });
  });

  it("unwraps JSON that was encoded as a JSON string", () => {
    expect(extractJson(JSON.stringify('{"a": [1]}'))).toEqual({ a: [1] });
  });

  it("keeps escaped characters intact", () => {
    expect(extractJson('{"t": "a\\"b\\\\c\\u00e9\\n"}')).toEqual({ t: 'a"b\\c\u00e9\n' });
  });

  it("throws LLM_BAD_JSON on empty, prose-only, primitive and truncated replies", () => {
    expectBadJson("");
    expectBadJson("   ");
    expectBadJson("I cannot help with that.");
    expectBadJson('"just a string"');
    expectBadJson("42");
    expectBadJson('{"translations":[{"index":0,"text":"Hal');
    expectBadJson('```json\n{"a": [1, 2}\n```');
  });

  it("includes a preview of the reply in the error message", () => {
    expect(() => extractJson("nope")).toThrow(/nope/);
  });
});
