/**
 * What every app's env.ts shares: the service settings both the web server and the
 * workers need, and one way to validate an environment with a readable error.
 */
import { z } from "zod";

export const sharedEnvShape = {
  DATABASE_URL: z.string().url().default("postgresql://postgres@127.0.0.1:5432/vitranslator"),
  REDIS_URL: z.string().url().default("redis://127.0.0.1:6379"),
  STORAGE_DIR: z.string().min(1).default("./storage"),
  /** Redis key prefix, so several installations (or test runs) can share one Redis. */
  QUEUE_PREFIX: z
    .string()
    .regex(/^[a-z0-9-]+$/)
    .default("vt"),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  LOG_FORMAT: z.enum(["json", "pretty"]).default(process.stdout.isTTY ? "pretty" : "json"),
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
