import { createHash, timingSafeEqual } from "node:crypto";
import { initTRPC, TRPCError } from "@trpc/server";
import type { Db } from "@vitranslator/db";
import type { Storage } from "@vitranslator/pipeline";
import type { EventBus, StageQueues } from "@vitranslator/queue";

export interface ApiContext {
  db: Db;
  /** Shared bus for short commands (XADD, XREVRANGE). */
  events: EventBus;
  /** A bus on a connection of its own, for one blocking subscription; closed after use. */
  openEventReader(): { bus: EventBus; close(): void };
  /** Stage queues: a re-dub and the admin's retry enqueue jobs, cancel removes them. */
  queues: StageQueues;
  storage: Storage;
  /** ADMIN_TOKEN from the server's env; null disables the admin procedures. */
  adminToken: string | null;
  /** The `x-admin-token` header of this request, if any. */
  requestAdminToken: string | null;
}

const t = initTRPC.context<ApiContext>().create();

export const router = t.router;
export const publicProcedure = t.procedure;
export { TRPCError };

/** Constant-time compare of equal-length digests, so the token's length leaks nothing either. */
export function adminTokenMatches(given: string | null, expected: string | null): boolean {
  if (!given || !expected) return false;
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

export const adminProcedure = t.procedure.use(({ ctx, next }) => {
  if (!ctx.adminToken)
    throw new TRPCError({
      code: "PRECONDITION_FAILED",
      message: "The admin page is disabled: set ADMIN_TOKEN in the web server's environment.",
    });
  if (!adminTokenMatches(ctx.requestAdminToken, ctx.adminToken))
    throw new TRPCError({ code: "UNAUTHORIZED", message: "Wrong admin token." });
  return next();
});
