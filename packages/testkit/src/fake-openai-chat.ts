/**
 * Chat side of the fake OpenAI server: recognises the pipeline's JSON task payloads
 * (documented in packages/pipeline/src/llm/translate.ts) and answers them with visible
 * stand-in translations, plus the knobs that simulate a misbehaving model.
 */

export interface FakeTranslateTask {
  task: "translate";
  targetLanguage: string;
  sourceLanguage?: string | null;
  sentences: { index: number; text: string }[];
}

export interface FakeShortenTask {
  task: "shorten";
  targetLanguage: string;
  text: string;
  maxChars: number;
  count: number;
}

export type FakeTask = FakeTranslateTask | FakeShortenTask;

export type ChatMessage = { role?: unknown; content?: unknown };

/** Text of the last user message; content may be a string or an array of text parts. */
export function lastUserText(messages: ChatMessage[]): string | undefined {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m?.role !== "user") continue;
    if (typeof m.content === "string") return m.content;
    if (Array.isArray(m.content)) {
      return m.content
        .map((p: unknown) => {
          const part = p as { type?: unknown; text?: unknown } | null;
          return part?.type === "text" && typeof part.text === "string" ? part.text : "";
        })
        .join("");
    }
    return undefined;
  }
  return undefined;
}

/** Parses the pipeline's task payload out of a user message; undefined for anything else. */
export function parseTask(text: string | undefined): FakeTask | undefined {
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const targetLanguage = typeof v.targetLanguage === "string" ? v.targetLanguage : "xx";
  if (v.task === "translate" && Array.isArray(v.sentences)) {
    const sentences = v.sentences.flatMap((s: unknown) => {
      const item = s as { index?: unknown; text?: unknown } | null;
      return typeof item?.index === "number" && typeof item.text === "string"
        ? [{ index: item.index, text: item.text }]
        : [];
    });
    const sourceLanguage = typeof v.sourceLanguage === "string" ? v.sourceLanguage : null;
    return { task: "translate", targetLanguage, sourceLanguage, sentences };
  }
  if (v.task === "shorten" && typeof v.text === "string") {
    const maxChars = typeof v.maxChars === "number" && v.maxChars >= 1 ? Math.floor(v.maxChars) : 20;
    const count = typeof v.count === "number" && v.count >= 1 ? Math.floor(v.count) : 3;
    return { task: "shorten", targetLanguage, text: v.text, maxChars, count };
  }
  return undefined;
}

export const standInTranslation = (text: string, targetLanguage: string): string =>
  `[${targetLanguage}] ${text}`;

export function answerTranslate(
  task: FakeTranslateTask,
  opts: { dropLines: number; translate: (text: string, targetLanguage: string) => string },
): { translations: { index: number; text: string }[] } {
  let translations = task.sentences.map((s) => ({
    index: s.index,
    text: opts.translate(s.text, task.targetLanguage),
  }));
  // A lone sentence is always answered in full, so a client that splits batches converges.
  if (opts.dropLines > 0 && translations.length > 1) {
    translations = translations.slice(0, Math.max(1, translations.length - opts.dropLines));
  }
  return { translations };
}

/**
 * Shorter variants made by dropping words from the end (characters for text without
 * spaces, e.g. Chinese), each within maxChars and progressively shorter.
 */
export function answerShorten(task: FakeShortenTask): { variants: string[] } {
  const text = task.text.trim();
  const spaced = /\s/.test(text);
  const units = spaced ? text.split(/\s+/) : [...text];
  const joiner = spaced ? " " : "";
  const step = Math.max(1, Math.floor(task.maxChars / (task.count + 1)));
  const variants: string[] = [];
  for (let k = 0; k < task.count; k++) {
    const limit = Math.max(1, task.maxChars - k * step);
    let out = "";
    for (const unit of units) {
      const next = out === "" ? unit : `${out}${joiner}${unit}`;
      if ([...next].length > limit) break;
      out = next;
    }
    if (out === "") out = [...(units[0] ?? "")].slice(0, limit).join("");
    if (out !== "" && out !== text && !variants.includes(out)) variants.push(out);
  }
  return { variants };
}

export type BrokenJsonStyle = "truncated" | "fenced";

/**
 * "truncated" cannot be repaired (the reply stops mid-object, as with finish_reason=length);
 * "fenced" is what chatty models do (prose, markdown fence, trailing comma) and is repairable.
 */
export function breakJson(json: string, style: BrokenJsonStyle): string {
  switch (style) {
    case "truncated":
      return json.slice(0, Math.max(1, Math.floor(json.length / 2)));
    case "fenced":
      return `Sure! Here is the JSON you asked for:\n\`\`\`json\n${json.replace(/\}$/, ",}")}\n\`\`\`\nAnything else?`;
  }
}

export const estimateTokens = (text: string): number => Math.max(1, Math.ceil(text.length / 4));

let idCounter = 0;
export const fakeId = (prefix: string): string =>
  `${prefix}-fake${Date.now().toString(36)}${(idCounter++).toString(36).padStart(4, "0")}`;

export function chatCompletion(opts: { model: string; content: string; promptTokens: number }): object {
  const completionTokens = estimateTokens(opts.content);
  return {
    id: fakeId("chatcmpl"),
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model: opts.model,
    system_fingerprint: "fp_fake",
    choices: [
      {
        index: 0,
        message: { role: "assistant", content: opts.content, refusal: null, annotations: [] },
        logprobs: null,
        finish_reason: "stop",
      },
    ],
    usage: {
      prompt_tokens: opts.promptTokens,
      completion_tokens: completionTokens,
      total_tokens: opts.promptTokens + completionTokens,
    },
  };
}

/** Server-sent events as `stream: true` returns them, ending with `data: [DONE]`. */
export function chatCompletionChunks(opts: {
  model: string;
  content: string;
  promptTokens: number;
  includeUsage: boolean;
}): string[] {
  const id = fakeId("chatcmpl");
  const created = Math.floor(Date.now() / 1000);
  const chunk = (choices: object[], extra: object = {}) =>
    `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model: opts.model, system_fingerprint: "fp_fake", choices, ...extra })}\n\n`;
  const pieces = opts.content.match(/[\s\S]{1,16}/g) ?? [];
  const completionTokens = estimateTokens(opts.content);
  return [
    chunk([
      {
        index: 0,
        delta: { role: "assistant", content: "", refusal: null },
        logprobs: null,
        finish_reason: null,
      },
    ]),
    ...pieces.map((p) => chunk([{ index: 0, delta: { content: p }, logprobs: null, finish_reason: null }])),
    chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: "stop" }]),
    ...(opts.includeUsage
      ? [
          chunk([], {
            usage: {
              prompt_tokens: opts.promptTokens,
              completion_tokens: completionTokens,
              total_tokens: opts.promptTokens + completionTokens,
            },
          }),
        ]
      : []),
    "data: [DONE]\n\n",
  ];
}
