/**
 * The readable form of a log record (LOG_FORMAT=pretty, the default in a terminal): one
 * line with the time, level, message and fields, then each error as an indented block —
 * its code and category, the command and args of a subprocess, the tail of its stderr,
 * the stack frames and the causes.
 */
import type { SerializedError } from "./logger";

const SHOWN_BY_HEAD = new Set(["name", "message", "code", "category", "stack", "cause", "errors"]);
const SUBPROCESS = new Set(["command", "args", "exitCode", "stderrTail"]);

function isSerializedError(v: unknown): v is SerializedError {
  if (typeof v !== "object" || v === null) return false;
  const e = v as Record<string, unknown>;
  return typeof e.name === "string" && typeof e.message === "string" && ("stack" in e || "code" in e);
}

const scalar = (v: unknown): string =>
  typeof v === "string" && v !== "" && !/\s|"/.test(v) ? v : JSON.stringify(v);

function errorBlock(e: SerializedError, indent: string): string[] {
  const tags = [e.code, e.category].filter((t): t is string => typeof t === "string");
  const lines = [`${e.name}${tags.length ? ` [${tags.join(" ")}]` : ""}: ${e.message}`];
  const more = `${indent}  `;
  if (typeof e.command === "string") {
    const args = Array.isArray(e.args) ? e.args.map((a) => scalar(String(a))).join(" ") : "";
    lines.push(`${more}$ ${e.command} ${args}`.trimEnd());
  }
  if (e.exitCode !== undefined) lines.push(`${more}exit code: ${scalar(e.exitCode)}`);
  const rest = Object.entries(e).filter(([k]) => !SHOWN_BY_HEAD.has(k) && !SUBPROCESS.has(k));
  if (rest.length) lines.push(`${more}${rest.map(([k, v]) => `${k}=${scalar(v)}`).join(" ")}`);
  if (typeof e.stderrTail === "string" && e.stderrTail.trim()) {
    lines.push(
      `${more}stderr (tail):`,
      ...e.stderrTail
        .trimEnd()
        .split("\n")
        .map((l) => `${more}| ${l}`),
    );
  }
  const frames = (e.stack ?? "").split("\n").filter((l) => /^\s+at /.test(l));
  lines.push(...frames.map((f) => `${more}${f.trim()}`));
  for (const inner of e.errors ?? []) lines.push(...causeLines("error", inner, more));
  if (e.cause !== undefined) lines.push(...causeLines("caused by", e.cause, indent));
  return lines;
}

function causeLines(label: string, v: unknown, indent: string): string[] {
  if (!isSerializedError(v)) return [`${indent}${label}: ${scalar(v)}`];
  const [head, ...rest] = errorBlock(v, indent);
  return [`${indent}${label}: ${head}`, ...rest];
}

export function prettyLine(record: Record<string, unknown>): string {
  const { time, level, msg, ...fields } = record;
  const clock = typeof time === "string" ? time.slice(11, 23) : "";
  const plain: string[] = [];
  const blocks: string[] = [];
  for (const [k, v] of Object.entries(fields)) {
    if (isSerializedError(v)) {
      const [head, ...rest] = errorBlock(v, "  ");
      blocks.push(`  ${k}: ${head}`, ...rest);
    } else plain.push(`${k}=${scalar(v)}`);
  }
  const text = typeof msg === "string" ? msg : msg === undefined ? "" : scalar(msg);
  const head = [clock, String(level).toUpperCase().padEnd(5), text, ...plain].filter(Boolean).join(" ");
  return [head, ...blocks].join("\n");
}
