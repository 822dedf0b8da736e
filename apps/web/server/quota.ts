/**
 * Quotas on minutes dubbed, per client IP per day and for the whole service per day, kept
 * in Redis so every web process shares them. Charged at upload with the video's real
 * duration (its packets', see pipeline media/duration.ts), atomically (one Lua script
 * checks both counters and adds to both), counted in seconds, reset at 00:00 UTC.
 */
import type { IncomingMessage } from "node:http";
import type { Redis } from "ioredis";
import { AppError } from "./http-util";

export interface MinutesQuota {
  /**
   * Charges `durationMs` to the client and to the day; throws a 429 AppError when either
   * would go over its limit. Returns a refund for a task refused after the charge.
   */
  charge(req: IncomingMessage, durationMs: number): Promise<() => Promise<void>>;
}

/** KEYS: client counter, day counter. ARGV: cost s, client limit s, day limit s (0: none), expiry (unix s). */
const CHARGE = `
local client = tonumber(redis.call('GET', KEYS[1]) or '0')
local day = tonumber(redis.call('GET', KEYS[2]) or '0')
local cost = tonumber(ARGV[1])
if tonumber(ARGV[2]) > 0 and client + cost > tonumber(ARGV[2]) then return {1, client} end
if tonumber(ARGV[3]) > 0 and day + cost > tonumber(ARGV[3]) then return {2, day} end
redis.call('INCRBY', KEYS[1], cost)
redis.call('EXPIREAT', KEYS[1], ARGV[4])
redis.call('INCRBY', KEYS[2], cost)
redis.call('EXPIREAT', KEYS[2], ARGV[4])
return {0, client + cost}
`;

const DAY_MS = 86_400_000;

export class QuotaExceededError extends AppError {
  constructor(
    code: "QUOTA_EXCEEDED" | "SERVICE_QUOTA_EXCEEDED",
    message: string,
    readonly resetsAt: Date,
    now: number,
  ) {
    const retryAfterS = Math.max(1, Math.ceil((resetsAt.getTime() - now) / 1000));
    super(code, `${message} It resets at ${resetsAt.toISOString()} (in ${formatWait(retryAfterS)}).`, {
      headers: { "retry-after": String(retryAfterS) },
    });
  }
}

function formatWait(s: number): string {
  const h = Math.floor(s / 3600);
  const m = Math.ceil((s % 3600) / 60);
  return h > 0 ? `${h} h ${m} min` : `${m} min`;
}

const minutes = (s: number) => Math.floor(s / 60);

export function createMinutesQuota(opts: {
  redis: Redis;
  prefix: string;
  /** Minutes one client IP may dub per UTC day (0: no limit). */
  perIpPerDay: number;
  /** Minutes all clients together may dub per UTC day (0: no limit). */
  perDay: number;
  clientIp: (req: IncomingMessage) => string;
  now?: () => number;
}): MinutesQuota {
  const now = opts.now ?? Date.now;
  return {
    async charge(req, durationMs) {
      const t = now();
      const day = new Date(t).toISOString().slice(0, 10);
      const resetsAt = new Date(Math.floor(t / DAY_MS) * DAY_MS + DAY_MS);
      const clientKey = `${opts.prefix}:quota:minutes:ip:${opts.clientIp(req)}:${day}`;
      const dayKey = `${opts.prefix}:quota:minutes:all:${day}`;
      const cost = Math.max(1, Math.ceil(durationMs / 1000));
      // Expire a day after the reset, so a clock a little off never resets a counter early.
      const expireAt = Math.floor(resetsAt.getTime() / 1000) + 86_400;
      const [verdict, used] = (await opts.redis.eval(
        CHARGE,
        2,
        clientKey,
        dayKey,
        cost,
        opts.perIpPerDay * 60,
        opts.perDay * 60,
        expireAt,
      )) as [number, number];
      if (verdict === 1) {
        throw new QuotaExceededError(
          "QUOTA_EXCEEDED",
          `This video (${Math.ceil(cost / 60)} min) would take your address over its ${opts.perIpPerDay} minutes a day; ${minutes(Math.max(0, opts.perIpPerDay * 60 - used))} min are left today.`,
          resetsAt,
          t,
        );
      }
      if (verdict === 2) {
        throw new QuotaExceededError(
          "SERVICE_QUOTA_EXCEEDED",
          `The service has dubbed its ${opts.perDay} minutes for today; this video (${Math.ceil(cost / 60)} min) does not fit.`,
          resetsAt,
          t,
        );
      }
      return async () => {
        await opts.redis.multi().decrby(clientKey, cost).decrby(dayKey, cost).exec();
      };
    },
  };
}
