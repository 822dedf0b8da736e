/**
 * The structured logger of every process (the pipeline sees it through its Logger port):
 * one JSON line per event in production, a readable line in a terminal. An error keeps
 * what an operator needs — name, message, code, category, stack, a subprocess's command,
 * args, exit code and stderr tail, and its cause chain — with every part bounded, so a
 * huge or circular value can neither flood the log nor make logging throw.
 */
import type { Logger } from "@vitranslator/pipeline/ports";
import { prettyLine } from "./pretty";

export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const LOG_FORMATS = ["json", "pretty"] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface AppLogger extends Logger {
  debug(obj: object, msg?: string): void;
  child(bindings: object): AppLogger;
}

export interface LoggerOptions {
  level: LogLevel;
  format: LogFormat;
  /** Fields on every line (service, pid; a child adds task, stage, job). */
  bindings?: object;
  /** Where lines go; default: warn and error to stderr, the rest to stdout. */
  sink?: (line: string, level: LogLevel) => void;
}

/** Bounds on what one value may add to a line. */
const MAX_CAUSES = 8;
const MAX_DEPTH = 6;
const MAX_STRING = 8000;
const MAX_ITEMS = 100;

/** An error as plain data: name, message, its own fields (code, args, stderrTail, …), stack, cause. */
export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  cause?: unknown;
  errors?: unknown[];
  [field: string]: unknown;
}

export function serializeError(err: Error, causes = 0, seen = new WeakSet<object>()): SerializedError {
  seen.add(err);
  const out: SerializedError = { name: err.name, message: bounded(err.message) };
  for (const [k, v] of Object.entries(err)) {
    if (k !== "cause" && k !== "name" && k !== "message" && k !== "stack") out[k] = toLogValue(v, 1, seen);
  }
  if (err.stack) out.stack = bounded(err.stack);
  if (err instanceof AggregateError) {
    out.errors = (err.errors as unknown[]).slice(0, 10).map((e) => causeValue(e, causes, seen));
  }
  if (err.cause !== undefined) out.cause = causeValue(err.cause, causes, seen);
  return out;
}

function causeValue(cause: unknown, causes: number, seen: WeakSet<object>): unknown {
  if (!(cause instanceof Error)) return toLogValue(cause, 1, seen);
  if (seen.has(cause)) return "[Circular]";
  if (causes + 1 >= MAX_CAUSES)
    return `[cause chain cut after ${MAX_CAUSES}: ${cause.name}: ${cause.message}]`;
  return serializeError(cause, causes + 1, seen);
}

function bounded(s: string): string {
  return s.length > MAX_STRING ? `${s.slice(0, MAX_STRING)}…[+${s.length - MAX_STRING} chars]` : s;
}

/** A JSON-safe copy of any value: errors serialised, long strings and arrays cut, cycles marked. */
export function toLogValue(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === "string") return bounded(value);
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "function" || typeof value === "symbol") return undefined;
  if (value === null || typeof value !== "object") return value;
  if (value instanceof Error) return seen.has(value) ? "[Circular]" : serializeError(value, 0, seen);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "Invalid Date" : value.toISOString();
  if (ArrayBuffer.isView(value)) return `[${value.byteLength} bytes]`;
  if (seen.has(value)) return "[Circular]";
  if (depth >= MAX_DEPTH) return Array.isArray(value) ? "[Array]" : "[Object]";
  seen.add(value);
  try {
    if (Array.isArray(value)) {
      const items = value.slice(0, MAX_ITEMS).map((v: unknown) => toLogValue(v, depth + 1, seen));
      return value.length > MAX_ITEMS ? [...items, `…[+${value.length - MAX_ITEMS} items]`] : items;
    }
    if (value instanceof Map) return toLogValue(Object.fromEntries(value), depth, seen);
    if (value instanceof Set) return toLogValue([...value], depth, seen);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const safe = toLogValue(v, depth + 1, seen);
      if (safe !== undefined) out[k] = safe;
    }
    return out;
  } finally {
    seen.delete(value);
  }
}

/** One event as written: time, level and message first; reserved names win over fields. */
export function logRecord(
  level: LogLevel,
  fields: object,
  msg: string | undefined,
  now = new Date(),
): Record<string, unknown> {
  const record: Record<string, unknown> = { time: now.toISOString(), level };
  if (msg !== undefined) record.msg = msg;
  const safe = toLogValue(fields) as Record<string, unknown>;
  for (const [k, v] of Object.entries(safe)) if (!(k in record)) record[k] = v;
  return record;
}

const defaultSink = (line: string, level: LogLevel) =>
  (level === "error" || level === "warn" ? process.stderr : process.stdout).write(line + "\n");

export function createLogger(opts: LoggerOptions): AppLogger {
  const sink = opts.sink ?? defaultSink;
  const write = (level: LogLevel, obj: object, msg?: string) => {
    if (ORDER[level] < ORDER[opts.level]) return;
    const record = logRecord(level, { ...opts.bindings, ...obj }, msg);
    sink(opts.format === "json" ? JSON.stringify(record) : prettyLine(record), level);
  };
  return {
    debug: (o, m) => write("debug", o, m),
    info: (o, m) => write("info", o, m),
    warn: (o, m) => write("warn", o, m),
    error: (o, m) => write("error", o, m),
    child: (bindings) => createLogger({ ...opts, bindings: { ...opts.bindings, ...bindings } }),
  };
}
