/** The web server's configuration: read and validated here only. */
import { dbEnv } from "@vitranslator/db/env";
import { queueEnv } from "@vitranslator/queue/env";
import { logEnv, parseEnv, storageEnv } from "@vitranslator/service/env";
import { z } from "zod";

const schema = z.object({
  ...dbEnv,
  ...queueEnv,
  ...storageEnv,
  ...logEnv,
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  MAX_UPLOAD_MB: z.coerce.number().positive().default(2048),
  MAX_DURATION_MIN: z.coerce.number().positive().default(180),
  /** Uploads: width × height of the picture (default 4096×2304: 4K UHD and DCI 4K). */
  MAX_VIDEO_PIXELS: z.coerce.number().int().positive().default(4096 * 2304),
  MAX_VIDEO_FPS: z.coerce.number().positive().default(120),
  /** Uploads: streams of any kind (video, audio, subtitles, attachments). */
  MAX_STREAMS: z.coerce.number().int().positive().default(32),
  /** Minutes of video one client IP may upload per UTC day (0: no limit). */
  QUOTA_MINUTES_PER_IP_PER_DAY: z.coerce.number().int().min(0).default(240),
  /** Minutes of video all clients together may upload per UTC day (0: no limit). */
  QUOTA_MINUTES_PER_DAY: z.coerce.number().int().min(0).default(2880),
  /** New tasks per client IP per minute (0: no limit). */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(10),
  /** Take the client IP from X-Forwarded-For (only behind a proxy that sets it). */
  TRUST_PROXY: z
    .enum(["true", "false", "1", "0"])
    .default("false")
    .transform((v) => v === "true" || v === "1"),
  /** Origins whose pages may call the REST API, the original endpoints and the media (comma list, or *). */
  CORS_ORIGINS: z
    .string()
    .default("")
    .transform((v) =>
      v
        .split(",")
        .map((s) => s.trim().replace(/\/+$/, ""))
        .filter(Boolean),
    ),
  /** Enables the /admin page; no default, so it is off unless set (16+ characters). */
  ADMIN_TOKEN: z.string().min(16, "use at least 16 characters").optional(),
  NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
});

export type WebEnv = z.infer<typeof schema>;

export function loadEnv(source: NodeJS.ProcessEnv = process.env): WebEnv {
  return parseEnv(schema, source, "web");
}
