import { createHash, timingSafeEqual } from "node:crypto";
import { initTRPC, TRPCError } from "@trpc/server";
import type { Db } from "@vitranslator/db";
import type { Storage } from "@vitranslator/pipeline";
import type { EventBus, StageQueues, StoredEvent } from "@vitranslator/queue";
import { AppError, errorIdOf, errorMapping, internalErrorMessage, isAppError } from "./errors";

/** What a caller may be limited on (see the web server's rate limiter). */
export type RateBucket = "api" | "edits";

export interface ApiContext {
  db: Db;
  /** Shared bus for short commands (XADD, XREVRANGE). */
  events: EventBus;
  /**
   * A task's events after `afterId`, then live ones, from the process's shared stream
   * reader. Throws an AppError (TOO_MANY_FEEDS) when this client follows too many already.
   */
  followTask(opts: { taskId: string; afterId: string; signal: AbortSignal }): AsyncIterable<StoredEvent>;
  /** Stage queues: a re-dub and the admin's retry enqueue jobs, cancel removes them. */
  queues: StageQueues;
  storage: Storage;
  /** ADMIN_TOKEN from the server's env; null disables the admin procedures. */
  adminToken: string | null;
  /** The `x-admin-token` header of this request, if any. */
  requestAdminToken: string | null;
  /** The `x-owner-token` header of this request, if any (never a URL parameter). */
  requestOwnerToken: string | null;
  /**
   * Refuses a dub language the workers cannot speak with this voice (UNSUPPORTED_LANGUAGE,
   * UNKNOWN_VOICE), from the server's view of the engines. Absent: only the tag is checked.
   */
  checkEngines?: (language: string, voice: string | null) => Promise<AppError | null>;
  /** Counts one call against the client's limit; throws RATE_LIMITED past it. Absent: no limit. */
  rateLimit?: (bucket: RateBucket) => Promise<void>;
}

/** The tRPC error for an AppError; anything else passes through (tRPC makes it internal). */
function toTrpcError(err: unknown): unknown {
  if (!isAppError(err)) return err;
  return new TRPCError({ code: errorMapping(err.code).trpc, message: err.message, cause: err });
}

const t = initTRPC.context<ApiContext>().create({
  // Stack traces never reach clients, whatever NODE_ENV says; the server log has them.
  isDev: false,
  // The browser follows tasks over the WebSocket only (caps live there); no SSE over HTTP.
  sse: { enabled: false },
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    const appCode = isAppError(cause) ? cause.code : undefined;
    if (error.code === "INTERNAL_SERVER_ERROR") {
      const errorId = errorIdOf(error);
      return {
        ...shape,
        message: internalErrorMessage(errorId),
        data: {
          code: shape.data.code,
          httpStatus: shape.data.httpStatus,
          appCode: "INTERNAL_ERROR",
          errorId,
        },
      };
    }
    return {
      ...shape,
      data: { code: shape.data.code, httpStatus: shape.data.httpStatus, path: shape.data.path, appCode },
    };
  },
});

export const router = t.router;
export { TRPCError };

const appErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && isAppError(result.error.cause)) {
    const mapped = toTrpcError(result.error.cause) as TRPCError;
    return { ...result, error: mapped };
  }
  return result;
});

const limited = (bucket: RateBucket) =>
  t.middleware(async ({ ctx, next }) => {
    await ctx.rateLimit?.(bucket);
    return next();
  });

export const publicProcedure = t.procedure.use(appErrors).use(limited("api"));
export const editProcedure = publicProcedure.use(limited("edits"));

/** Constant-time compare of equal-length digests, so the token's length leaks nothing either. */
export function adminTokenMatches(given: string | null, expected: string | null): boolean {
  if (!given || !expected) return false;
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

export const adminProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.adminToken)
    throw new AppError(
      "ADMIN_DISABLED",
      "The admin page is disabled: set ADMIN_TOKEN in the web server's environment.",
    );
  if (!adminTokenMatches(ctx.requestAdminToken, ctx.adminToken))
    throw new AppError("ADMIN_TOKEN_WRONG", "Wrong admin token.");
  return next();
});
