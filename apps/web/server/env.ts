/** The web server's configuration: read and validated here only. */
import { z } from "zod";

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  DATABASE_URL: z.string().url().default("postgresql://postgres@127.0.0.1:5432/vitranslator"),
  REDIS_URL: z.string().url().default("redis://127.0.0.1:6379"),
  STORAGE_DIR: z.string().min(1).default("./storage"),
  MAX_UPLOAD_MB: z.coerce.number().positive().default(2048),
  MAX_DURATION_MIN: z.coerce.number().positive().default(180),
  /** New tasks per client IP per minute (0: no limit). */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(10),
  /** Take the client IP from X-Forwarded-For (only behind a proxy that sets it). */
  TRUST_PROXY: z
    .enum(["true", "false", "1", "0"])
    .default("false")
    .transform((v) => v === "true" || v === "1"),
  /** Enables the /admin page; no default, so it is off unless set (16+ characters). */
  ADMIN_TOKEN: z.string().min(16, "use at least 16 characters").optional(),
  NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[a-z0-9-]+$/)
    .default("vt"),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  LOG_FORMAT: z.enum(["json", "pretty"]).default(process.stdout.isTTY ? "pretty" : "json"),
});

export type WebEnv = z.infer<typeof schema>;

export function loadEnv(source: NodeJS.ProcessEnv = process.env): WebEnv {
  const parsed = schema.safeParse(Object.fromEntries(Object.entries(source).filter(([, v]) => v !== "")));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid web configuration:\n${lines.join("\n")}`);
  }
  return parsed.data;
}
