import { PipelineError } from "../errors";

/**
 * Pulls one JSON value out of an LLM reply. Models wrap JSON in markdown fences, prose,
 * `<think>` blocks, and write trailing commas, comments, smart or single quotes, Python
 * literals and raw newlines inside strings; all of that is repaired here. What cannot be
 * repaired (e.g. a reply cut off mid-object) throws `LLM_BAD_JSON` so the caller can retry.
 */
export function extractJson(text: string): unknown {
  const cleaned = withoutLeadingReasoning(text).trim();
  if (cleaned === "") throw badJson("the reply was empty", text);

  const direct = tryParse(cleaned);
  if (direct.ok) {
    const value = unwrapEncoded(direct.value);
    if (typeof value === "object" && value !== null) return value;
  }

  // A fenced block is the model saying "this is the JSON", so it wins over stray brackets in prose.
  const candidates = [...fencedBlocks(cleaned), cleaned];
  for (const candidate of candidates) {
    const value = firstBalancedValue(candidate);
    if (value.ok) return unwrapEncoded(value.value);
  }
  throw badJson("no parsable JSON object or array was found", text);
}

/**
 * A reasoning model's reply may open with `<think>…</think>`; only that leading block is
 * dropped. `<think>` anywhere else is the translation's own text (a subtitle may well say
 * "<think> and </think> mark reasoning") and must survive.
 */
export function withoutLeadingReasoning(text: string): string {
  const open = /^\s*<think>/i.exec(text);
  if (!open) return text;
  const close = text.toLowerCase().indexOf("</think>", open[0].length);
  return close === -1 ? text : text.slice(close + "</think>".length);
}

type Parsed = { ok: true; value: unknown } | { ok: false };

const MAX_START_ATTEMPTS = 50;

function tryParse(text: string): Parsed {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

function badJson(reason: string, text: string): PipelineError {
  const preview = text.length > 200 ? `${text.slice(0, 200)}…` : text;
  return new PipelineError({
    code: "LLM_BAD_JSON",
    category: "third_party",
    message: `The LLM did not answer with valid JSON (${reason}): ${JSON.stringify(preview)}`,
  });
}

/** Some models JSON-encode their JSON (`"{\"a\":1}"`); one level of that is undone. */
function unwrapEncoded(value: unknown): unknown {
  if (typeof value !== "string") return value;
  const inner = value.trim();
  if (!inner.startsWith("{") && !inner.startsWith("[")) return value;
  const parsed = tryParse(inner);
  return parsed.ok ? parsed.value : value;
}

function fencedBlocks(text: string): string[] {
  const blocks: string[] = [];
  for (const m of text.matchAll(/```[a-zA-Z0-9_-]*[^\S\n]*\n?([\s\S]*?)```/g)) {
    const body = m[1]?.trim();
    if (body) blocks.push(body);
  }
  // An unclosed fence (reply cut after the JSON, or the model forgot it) still marks the start.
  const open = /```[a-zA-Z0-9_-]*[^\S\n]*\n/.exec(text);
  if (open && blocks.length === 0) blocks.push(text.slice(open.index + open[0].length));
  return blocks;
}

/** Tries each `{` / `[` in order; the first one that yields a parsable balanced value wins. */
function firstBalancedValue(text: string): Parsed {
  let attempts = 0;
  for (let i = 0; i < text.length && attempts < MAX_START_ATTEMPTS; i++) {
    const ch = text[i];
    if (ch !== "{" && ch !== "[") continue;
    attempts++;
    const repaired = repairFrom(text, i);
    if (repaired === undefined) continue;
    const parsed = tryParse(repaired);
    if (parsed.ok) return parsed;
  }
  return { ok: false };
}

const SMART_DOUBLE = new Set(["\u201C", "\u201D", "\u201E", "\u201F", "\u2033", "\u00AB", "\u00BB"]);
const SMART_SINGLE = new Set(["\u2018", "\u2019", "\u201A", "\u201B"]);
const BARE_WORDS: Record<string, string> = {
  True: "true",
  False: "false",
  None: "null",
  true: "true",
  false: "false",
  null: "null",
  NaN: "null",
  undefined: "null",
};

type Quote = '"' | "'" | "smart-double" | "smart-single";

/**
 * Walks one bracketed value starting at `start`, rewriting it into strict JSON, and stops
 * where its brackets balance. Returns undefined when they never balance (truncated reply).
 * String contents are copied verbatim apart from escaping, so quotes used *inside* a
 * translation (e.g. Chinese “…”) survive.
 */
function repairFrom(text: string, start: number): string | undefined {
  const out: string[] = [];
  const stack: string[] = [];
  let quote: Quote | undefined;
  let i = start;

  while (i < text.length) {
    const ch = text[i] as string;

    if (quote !== undefined) {
      if (ch === "\\") {
        const next = text[i + 1];
        if (next === undefined) return undefined;
        // \' is legal in single-quoted Python/JS strings but not in JSON.
        out.push(next === "'" ? "'" : `\\${next}`);
        i += 2;
        continue;
      }
      if (closesString(quote, ch)) {
        out.push('"');
        quote = undefined;
      } else if (ch === '"') {
        out.push('\\"');
      } else if (ch === "\n") {
        out.push("\\n");
      } else if (ch === "\r") {
        out.push("\\r");
      } else if (ch === "\t") {
        out.push("\\t");
      } else if (ch < " ") {
        out.push(`\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);
      } else {
        out.push(ch);
      }
      i++;
      continue;
    }

    if (ch === '"' || ch === "'") {
      quote = ch;
      out.push('"');
      i++;
      continue;
    }
    if (SMART_DOUBLE.has(ch) || SMART_SINGLE.has(ch)) {
      quote = SMART_DOUBLE.has(ch) ? "smart-double" : "smart-single";
      out.push('"');
      i++;
      continue;
    }
    if (ch === "/" && (text[i + 1] === "/" || text[i + 1] === "*")) {
      i = skipComment(text, i);
      continue;
    }
    if (ch === "{" || ch === "[") {
      stack.push(ch === "{" ? "}" : "]");
      out.push(ch);
      i++;
      continue;
    }
    if (ch === "}" || ch === "]") {
      if (stack.pop() !== ch) return undefined;
      out.push(ch);
      i++;
      if (stack.length === 0) return out.join("");
      continue;
    }
    if (ch === ",") {
      const next = text[skipBlank(text, i + 1)];
      // Trailing comma before a closer, or a doubled comma: drop it.
      if (next !== "}" && next !== "]" && next !== ",") out.push(ch);
      i++;
      continue;
    }
    const word = /^[A-Za-z_$][\w$]*/.exec(text.slice(i, i + 64))?.[0];
    if (word !== undefined) {
      const literal = BARE_WORDS[word];
      const after = text[skipBlank(text, i + word.length)];
      // An unquoted key (`{index: 1}`) gets quoted; known literals are normalised.
      if (after === ":") out.push(JSON.stringify(word));
      else out.push(literal ?? word);
      i += word.length;
      continue;
    }
    out.push(ch);
    i++;
  }
  return undefined;
}

function closesString(quote: Quote, ch: string): boolean {
  switch (quote) {
    case '"':
    case "'":
      return ch === quote;
    case "smart-double":
      return SMART_DOUBLE.has(ch);
    case "smart-single":
      return SMART_SINGLE.has(ch);
  }
}

function skipComment(text: string, i: number): number {
  if (text[i + 1] === "/") {
    const end = text.indexOf("\n", i);
    return end === -1 ? text.length : end;
  }
  const end = text.indexOf("*/", i + 2);
  return end === -1 ? text.length : end + 2;
}

function skipBlank(text: string, i: number): number {
  let j = i;
  for (;;) {
    const ch = text[j];
    if (ch === undefined) return j;
    if (/\s/.test(ch)) {
      j++;
    } else if (ch === "/" && (text[j + 1] === "/" || text[j + 1] === "*")) {
      j = skipComment(text, j);
    } else {
      return j;
    }
  }
}
