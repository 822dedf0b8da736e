import type { TRPCRouterRecord } from "@trpc/server";
import {
  cancelTask,
  deleteTaskRows,
  getTaskStatus,
  reopenFailedTask,
  searchTasks,
  TASK_ID_PATTERN,
} from "@vitranslator/db";
import type { StageName } from "@vitranslator/queue";
import { nextStage } from "@vitranslator/pipeline/graph";
import { enqueue, STAGE_NAMES } from "@vitranslator/queue";
import { z } from "zod";
import type { ApiContext } from "./trpc";
import { AppError } from "./errors";
import { adminProcedure, publicProcedure } from "./trpc";

const taskId = z.string().regex(TASK_ID_PATTERN, "not a task id");
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}/, "a date like 2026-01-31");

/** Removes the task's jobs that have not started yet; running ones see the status and stop. */
async function removeWaitingJobs(ctx: ApiContext, id: string): Promise<number> {
  let removed = 0;
  for (const stage of STAGE_NAMES) {
    const jobs = await ctx.queues[stage].getJobs(["waiting", "prioritized", "delayed", "paused"]);
    for (const job of jobs) {
      if (job.data.taskId !== id) continue;
      await job.remove().catch(() => undefined);
      removed += 1;
    }
  }
  return removed;
}

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

  /** A failed task resumes from where each segment stopped (its failed stage). */
  retry: adminProcedure.input(z.object({ id: taskId })).mutation(async ({ ctx, input }) => {
    const points = await reopenFailedTask(ctx.db, input.id);
    if (!points) throw new AppError("NOT_RETRYABLE", "Only a failed task can be retried.");
    for (const p of points) {
      const stage: StageName | null =
        p.segmentIndex === undefined
          ? "segment"
          : p.lastStage === null
            ? "segment"
            : nextStage(p.lastStage as StageName);
      if (!stage) continue;
      await enqueue(ctx.queues, stage, {
        taskId: input.id,
        ...(p.segmentIndex !== undefined ? { segmentIndex: p.segmentIndex } : {}),
        revision: p.revision,
      });
    }
    await ctx.events.emit(input.id, {
      type: "task",
      status: "processing",
      errorCode: null,
      errorMessage: null,
    });
    return { resumed: points.length };
  }),

  cancel: adminProcedure.input(z.object({ id: taskId })).mutation(async ({ ctx, input }) => {
    if (!(await cancelTask(ctx.db, input.id)))
      throw new AppError("NOT_CANCELLABLE", "Only a queued or running task can be cancelled.");
    const removedJobs = await removeWaitingJobs(ctx, input.id);
    await ctx.events.emit(input.id, { type: "task", status: "cancelled" });
    return { removedJobs };
  }),

  /** Rows (cascade), media folder and event stream. */
  delete: adminProcedure.input(z.object({ id: taskId })).mutation(async ({ ctx, input }) => {
    if ((await getTaskStatus(ctx.db, input.id)) === null)
      throw new AppError("TASK_NOT_FOUND", "No such task.");
    await cancelTask(ctx.db, input.id);
    await removeWaitingJobs(ctx, input.id);
    await deleteTaskRows(ctx.db, input.id);
    await ctx.storage.removeTask(input.id);
    await ctx.events.deleteStream(input.id);
    return { deleted: true };
  }),
} satisfies TRPCRouterRecord;
