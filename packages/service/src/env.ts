/**
 * What every process of ours (web server, workers) reads the same way: one validation of
 * the environment with a readable error, and the settings no single package owns — the
 * storage root and the logs. Each package owns the rest of its fragment (`dbEnv`,
 * `queueEnv`); an app's env.ts composes them.
 */
import { z } from "zod";
import { LOG_FORMATS, LOG_LEVELS } from "./logger";

export const storageEnv = {
  /** Media of every task lives under this folder. */
  STORAGE_DIR: z.string().min(1).default("./storage"),
};

export const logEnv = {
  LOG_LEVEL: z.enum(LOG_LEVELS).default("info"),
  /** json: one line per event (production); pretty: readable lines (default in a terminal). */
  LOG_FORMAT: z.enum(LOG_FORMATS).default(process.stdout.isTTY ? "pretty" : "json"),
};

/** Empty variables count as unset; a bad value fails with every problem listed. */
export function parseEnv<S extends z.ZodType>(
  schema: S,
  source: NodeJS.ProcessEnv,
  label: string,
): z.infer<S> {
  const parsed = schema.safeParse(Object.fromEntries(Object.entries(source).filter(([, v]) => v !== "")));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid ${label} configuration:\n${lines.join("\n")}`);
  }
  return parsed.data;
}
