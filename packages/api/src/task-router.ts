import { tracked } from "@trpc/server";
import type { TRPCRouterRecord } from "@trpc/server";
import { getTaskSnapshot, TASK_ID_PATTERN } from "@vitranslator/db";
import { z } from "zod";
import { publicProcedure, TRPCError } from "./trpc";
import { taskLinks } from "./links";

const taskId = z.string().regex(TASK_ID_PATTERN, "not a task id");

export const taskRouter = {
  /** Everything the watch page shows, plus the event id to resume the live feed from. */
  get: publicProcedure.input(z.object({ id: taskId })).query(async ({ ctx, input }) => {
    // Read the stream position first: events after it may repeat what the snapshot has,
    // which is harmless, but none can be missed.
    const lastEventId = await ctx.events.lastId(input.id);
    const task = await getTaskSnapshot(ctx.db, input.id);
    if (!task)
      throw new TRPCError({
        code: "NOT_FOUND",
        message: "No such task (the link may be wrong, or the task was deleted).",
      });
    return { task, lastEventId, links: taskLinks(input.id) };
  }),

  /** Live progress; `lastEventId` makes a reconnecting client resume where it stopped. */
  events: publicProcedure
    .input(z.object({ id: taskId, lastEventId: z.string().nullish() }))
    .subscription(async function* ({ ctx, input, signal }) {
      const reader = ctx.openEventReader();
      const abort = signal ?? new AbortController().signal;
      try {
        for await (const e of reader.bus.tail({
          taskId: input.id,
          afterId: input.lastEventId ?? "0",
          signal: abort,
        })) {
          yield tracked(e.id, e.event);
        }
      } finally {
        reader.close();
      }
    }),
} satisfies TRPCRouterRecord;
