/** The web server's configuration: read and validated here only. */
import { dbEnv } from "@vitranslator/db/env";
import { queueEnv } from "@vitranslator/queue/env";
import { logEnv, parseEnv, storageEnv } from "@vitranslator/service/env";
import { z } from "zod";

/** A comma list of origins ("*": any), each without a trailing slash; empty by default. */
const originList = z
  .string()
  .default("")
  .transform((v) =>
    v
      .split(",")
      .map((s) => s.trim().replace(/\/+$/, ""))
      .filter(Boolean),
  );

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
  MAX_VIDEO_PIXELS: z.coerce
    .number()
    .int()
    .positive()
    .default(4096 * 2304),
  MAX_VIDEO_FPS: z.coerce.number().positive().default(120),
  /** Uploads: streams of any kind (video, audio, subtitles, attachments). */
  MAX_STREAMS: z.coerce.number().int().positive().default(32),
  /** Minutes of video one client IP may upload per UTC day (0: no limit). */
  QUOTA_MINUTES_PER_IP_PER_DAY: z.coerce.number().int().min(0).default(240),
  /** Minutes of video all clients together may upload per UTC day (0: no limit). */
  QUOTA_MINUTES_PER_DAY: z.coerce.number().int().min(0).default(2880),
  /** New tasks per client IP per minute (0: no limit). */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(10),
  /** Owner edits (each re-dubs a part) per client IP per minute (0: no limit). */
  EDIT_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(30),
  /** Other API calls (snapshots, live feeds, status, downloads) per client IP per minute. */
  API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(600),
  /**
   * How many proxies in front of the server append to X-Forwarded-For (0: none, the
   * socket's address is the client). "true" means 1, "false" 0.
   */
  TRUST_PROXY: z
    .string()
    .regex(/^(true|false|\d{1,2})$/, "a number of proxy hops (0, 1, 2, …), true (1) or false (0)")
    .default("0")
    .transform((v) => (v === "true" ? 1 : v === "false" ? 0 : Number(v))),
  /** Origins, besides the server's own, whose pages may open the WebSocket (comma list, or *). */
  WS_ALLOWED_ORIGINS: originList,
  /** Origins whose pages may call the REST API, the original endpoints and the media (comma list, or *). */
  CORS_ORIGINS: originList,
  WS_MAX_CONNECTIONS_PER_IP: z.coerce.number().int().positive().default(50),
  WS_MAX_FEEDS_PER_CONNECTION: z.coerce.number().int().positive().default(8),
  /** An upload may take as long as it needs while bytes keep coming; this much silence ends it. */
  UPLOAD_IDLE_TIMEOUT_S: z.coerce.number().positive().default(60),
  /** Every other request must be received whole within this time. */
  REQUEST_TIMEOUT_S: z.coerce.number().positive().default(30),
  /** Enables the /admin page; no default, so it is off unless set (16+ characters). */
  ADMIN_TOKEN: z.string().min(16, "use at least 16 characters").optional(),
  NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
});

export type WebEnv = z.infer<typeof schema>;

/**
 * Libraries (React, Next, tRPC) pick development behaviour — verbose errors, stack traces —
 * from NODE_ENV, which `npm start` never sets; pin it to what the server runs as.
 */
export function pinNodeEnv(env: WebEnv): void {
  Object.assign(process.env, { NODE_ENV: env.NODE_ENV });
}

export function loadEnv(source: NodeJS.ProcessEnv = process.env): WebEnv {
  return parseEnv(schema, source, "web");
}
