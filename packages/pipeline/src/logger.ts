/** Structured logs: one JSON line per event (or a readable line in a terminal). */
import type { Logger } from "./ports";

type Level = "debug" | "info" | "warn" | "error";
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface AppLogger extends Logger {
  child(bindings: object): AppLogger;
}

export function createLogger(opts: {
  level: Level;
  format: "json" | "pretty";
  bindings?: object;
}): AppLogger {
  const write = (level: Level, obj: object, msg?: string) => {
    if (ORDER[level] < ORDER[opts.level]) return;
    const record = { time: new Date().toISOString(), level, ...opts.bindings, ...obj, msg };
    const line =
      opts.format === "json"
        ? JSON.stringify(record, (_k, v: unknown) =>
            v instanceof Error ? { name: v.name, message: v.message } : v,
          )
        : `${record.time.slice(11, 19)} ${level.padEnd(5)} ${msg ?? ""} ${JSON.stringify({ ...opts.bindings, ...obj }, (_k, v: unknown) => (v instanceof Error ? v.message : v))}`;
    (level === "error" || level === "warn" ? process.stderr : process.stdout).write(line + "\n");
  };
  return {
    info: (o, m) => write("info", o, m),
    warn: (o, m) => write("warn", o, m),
    error: (o, m) => write("error", o, m),
    child: (bindings) => createLogger({ ...opts, bindings: { ...opts.bindings, ...bindings } }),
  };
}
