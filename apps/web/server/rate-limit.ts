/**
 * Fixed-window rate limit on task creation, per client IP, kept in Redis so every web
 * process shares the count. One INCR per request; the window's key expires on its own.
 */
import type { IncomingMessage } from "node:http";
import type { Redis } from "ioredis";
import { HttpError } from "./http-util";

const WINDOW_S = 60;

export interface RateLimiter {
  /** Throws a 429 HttpError (with `retryAfterS`) when the client is over its limit. */
  check(req: IncomingMessage): Promise<void>;
}

/** The socket's peer address; X-Forwarded-For is trusted only when the operator says so. */
export function clientIp(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = String(req.headers["x-forwarded-for"] ?? "")
      .split(",")[0]
      ?.trim();
    if (forwarded) return forwarded;
  }
  return req.socket.remoteAddress ?? "unknown";
}

export function createRateLimiter(opts: {
  redis: Redis;
  prefix: string;
  perMinute: number;
  trustProxy?: boolean;
}): RateLimiter {
  return {
    async check(req) {
      const window = Math.floor(Date.now() / 1000 / WINDOW_S);
      const key = `${opts.prefix}:ratelimit:tasks:${clientIp(req, opts.trustProxy ?? false)}:${window}`;
      const [[, count]] = (await opts.redis
        .multi()
        .incr(key)
        .expire(key, WINDOW_S * 2)
        .exec()) as [[Error | null, number], [Error | null, number]];
      if (count > opts.perMinute) {
        const retryAfterS = (window + 1) * WINDOW_S - Math.floor(Date.now() / 1000);
        throw new RateLimitedError(retryAfterS, opts.perMinute);
      }
    },
  };
}

export class RateLimitedError extends HttpError {
  constructor(
    readonly retryAfterS: number,
    perMinute: number,
  ) {
    super(
      429,
      "RATE_LIMITED",
      `Too many new tasks from your address (limit ${perMinute} per minute). Try again in ${retryAfterS} s.`,
      { "retry-after": String(retryAfterS) },
    );
  }
}
