import type { TRPCRouterRecord } from "@trpc/server";
import { searchTasks, TASK_ID_PATTERN } from "@vitranslator/db";
import { STAGE_NAMES } from "@vitranslator/queue";
import { cancelTask, deleteTask, retryTask } from "@vitranslator/tasks";
import { z } from "zod";
import { adminProcedure, publicProcedure } from "./trpc";

const taskId = z.string().regex(TASK_ID_PATTERN, "not a task id");
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}/, "a date like 2026-01-31");

export const adminRouter = {
  /** Public: lets the page say how to enable itself without leaking anything. */
  enabled: publicProcedure.query(({ ctx }) => ({ enabled: ctx.adminToken !== null })),

  /** Checks a token (the page asks once, then keeps it for the session). */
  login: adminProcedure.query(() => ({ ok: true })),

  tasks: adminProcedure
    .input(
      z.object({
        query: z.string().max(200).optional(),
        status: z.enum(["queued", "processing", "completed", "failed", "cancelled"]).optional(),
        language: z.string().max(20).optional(),
        from: isoDate.optional(),
        to: isoDate.optional(),
        limit: z.number().int().min(1).max(500).optional(),
      }),
    )
    .query(({ ctx, input }) => searchTasks(ctx.db, input)),

  /** Jobs per stage queue and the worker connections BullMQ sees on each. */
  queues: adminProcedure.query(async ({ ctx }) =>
    Promise.all(
      STAGE_NAMES.map(async (stage) => {
        const q = ctx.queues[stage];
        const [counts, workers] = await Promise.all([
          q.getJobCounts("waiting", "prioritized", "active", "delayed", "failed", "completed"),
          q.getWorkers(),
        ]);
        return {
          stage,
          counts,
          workers: workers.map((w) => ({ name: w.name ?? "", addr: w.addr ?? "", age: Number(w.age ?? 0) })),
        };
      }),
    ),
  ),

  /** A failed task resumes from where each part stopped (its failed stage). */
  retry: adminProcedure
    .input(z.object({ id: taskId }))
    .mutation(({ ctx, input }) => retryTask(ctx, input.id)),

  cancel: adminProcedure
    .input(z.object({ id: taskId }))
    .mutation(({ ctx, input }) => cancelTask(ctx, input.id)),

  /** Rows (cascade), media folder and event stream. */
  delete: adminProcedure
    .input(z.object({ id: taskId }))
    .mutation(({ ctx, input }) => deleteTask(ctx, input.id)),
} satisfies TRPCRouterRecord;
