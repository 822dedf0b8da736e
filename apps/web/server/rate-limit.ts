/**
 * Fixed-window rate limits per client IP, kept in Redis so every web process shares the
 * count. One INCR per request; the window's key expires on its own. Buckets: new tasks
 * (uploads), edits (each re-dubs a part) and the other expensive API calls (task
 * snapshots, live feeds, status, downloads).
 */
import type { IncomingMessage } from "node:http";
import type { RateBucket } from "@vitranslator/api";
import type { Redis } from "ioredis";
import { AppError } from "./http-util";

const WINDOW_S = 60;

export type Bucket = "tasks" | RateBucket;

export interface RateLimiter {
  /** Throws a 429 RateLimitedError (with `retryAfterS`) when the client is over its limit. */
  check(req: IncomingMessage, bucket?: Bucket): Promise<void>;
}

/**
 * The client's address. X-Forwarded-For is read only for the `trustedHops` proxies the
 * operator runs (TRUST_PROXY): each appends the address it saw, so the client is the entry
 * that many places from the right. Entries further left are whatever the client sent.
 */
export function clientIp(req: IncomingMessage, trustedHops: number): string {
  const peer = req.socket.remoteAddress ?? "unknown";
  if (trustedHops <= 0) return peer;
  const header = req.headers["x-forwarded-for"];
  const hops = (Array.isArray(header) ? header.join(",") : (header ?? ""))
    .split(",")
    .map((h) => h.trim())
    .filter(Boolean);
  const chain = [...hops, peer];
  return chain[Math.max(0, chain.length - 1 - trustedHops)] ?? peer;
}

const WHAT: Record<Bucket, string> = {
  tasks: "new tasks",
  edits: "edits",
  api: "requests",
};

export function createRateLimiter(opts: {
  redis: Redis;
  prefix: string;
  /** New tasks per minute (RATE_LIMIT_PER_MINUTE). */
  perMinute: number;
  /** The other buckets per minute; a bucket left out (or 0) is not limited. */
  limits?: Partial<Record<RateBucket, number>>;
  trustProxyHops?: number;
}): RateLimiter {
  const perMinute: Partial<Record<Bucket, number>> = { tasks: opts.perMinute, ...opts.limits };
  return {
    async check(req, bucket = "tasks") {
      const limit = perMinute[bucket];
      if (!limit) return;
      const window = Math.floor(Date.now() / 1000 / WINDOW_S);
      const key = `${opts.prefix}:ratelimit:${bucket}:${clientIp(req, opts.trustProxyHops ?? 0)}:${window}`;
      const [[, count]] = (await opts.redis
        .multi()
        .incr(key)
        .expire(key, WINDOW_S * 2)
        .exec()) as [[Error | null, number], [Error | null, number]];
      if (count > limit) {
        const retryAfterS = (window + 1) * WINDOW_S - Math.floor(Date.now() / 1000);
        throw new RateLimitedError(retryAfterS, limit, WHAT[bucket]);
      }
    },
  };
}

export class RateLimitedError extends AppError {
  constructor(
    readonly retryAfterS: number,
    perMinute: number,
    what = WHAT.tasks,
  ) {
    super(
      "RATE_LIMITED",
      `Too many ${what} from your address (limit ${perMinute} per minute). Try again in ${retryAfterS} s.`,
      { headers: { "retry-after": String(retryAfterS) } },
    );
  }
}
