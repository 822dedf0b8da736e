/**
 * A viewer jumped past what is dubbed: the part under the playhead is dubbed next within
 * its task (a `seek` job, ranked behind every task's first part and ahead of the rest).
 * Parts already released keep their place; this one does not wait for the release chain.
 */
import { PIPELINE } from "@vitranslator/pipeline/graph";
import { enqueue } from "@vitranslator/queue";
import type { TaskCommandDeps } from "./deps";

export async function seekAhead(
  ctx: Pick<TaskCommandDeps, "db" | "queues">,
  taskId: string,
  positionMs: number,
): Promise<{ part: number | null }> {
  const task = await ctx.db.task.findUnique({
    where: { id: taskId },
    select: { status: true, publishedCount: true, targetLanguage: true },
  });
  if (!task || task.status !== "processing") return { part: null };
  const seg = await ctx.db.segment.findFirst({
    where: { taskId, language: task?.targetLanguage ?? "", startMs: { lte: positionMs } },
    orderBy: { startMs: "desc" },
    select: { index: true, status: true },
  });
  if (!seg || seg.index < task.publishedCount || seg.status !== "pending")
    return { part: seg?.index ?? null };
  await enqueue(ctx.queues, PIPELINE.entry, { taskId, segmentIndex: seg.index, seek: true });
  return { part: seg.index };
}
