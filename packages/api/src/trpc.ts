import { initTRPC, TRPCError } from "@trpc/server";
import type { Db } from "@vitranslator/db";
import type { EventBus } from "@vitranslator/queue";

export interface ApiContext {
  db: Db;
  /** Shared bus for short commands (XADD, XREVRANGE). */
  events: EventBus;
  /** A bus on a connection of its own, for one blocking subscription; closed after use. */
  openEventReader(): { bus: EventBus; close(): void };
}

const t = initTRPC.context<ApiContext>().create();

export const router = t.router;
export const publicProcedure = t.procedure;
export { TRPCError };
