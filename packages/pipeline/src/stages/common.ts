import { mkdir } from "node:fs/promises";
import path from "node:path";
import { PipelineError } from "../errors";
import { parseGlossary } from "../glossary";
import type { GlossaryEntry } from "../glossary";
import type { SegmentRecord, StageContext, StageInput, TaskRecord } from "../ports";

export async function requireTask(ctx: StageContext, taskId: string): Promise<TaskRecord> {
  const task = await ctx.store.getTask(taskId);
  if (!task)
    throw new PipelineError({
      code: "TASK_NOT_FOUND",
      category: "user",
      message: `Task ${taskId} does not exist (deleted?).`,
    });
  return task;
}

/** The dub language of a per-language stage's job. */
export function requireLanguage(input: StageInput): string {
  if (!input.language)
    throw new PipelineError({ code: "BAD_JOB", category: "system", message: "language missing" });
  return input.language;
}

/** A part's row (in `language`, else the first language's: start and duration are shared). */
export async function requireSegment(
  ctx: StageContext,
  taskId: string,
  index: number | undefined,
  language?: string,
): Promise<SegmentRecord> {
  if (index === undefined)
    throw new PipelineError({ code: "BAD_JOB", category: "system", message: "segmentIndex missing" });
  const seg = await ctx.store.getSegment(taskId, index, language);
  if (!seg)
    throw new PipelineError({
      code: "SEGMENT_NOT_FOUND",
      category: "system",
      message: `Segment ${index} of task ${taskId} is not planned.`,
    });
  return seg;
}

export async function ensureParent(file: string): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true });
  return file;
}

/** Runs `fn` over items with at most `limit` in flight, keeping result order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, i: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

export const CONTINUE = { continue: true } as const;
export const STOP = { continue: false } as const;

/** The task's glossary entries (checked at the door; parsed again here, it is small). */
export const taskGlossary = (task: TaskRecord): GlossaryEntry[] =>
  task.glossary ? parseGlossary(task.glossary) : [];

/** Tells viewers a part's sentences in one language as they are now. */
export async function emitSentences(
  ctx: StageContext,
  taskId: string,
  language: string,
  segmentIndex: number,
): Promise<void> {
  await ctx.events.emit(taskId, {
    type: "sentences",
    segmentIndex,
    language,
    sentences: await ctx.store.listSentences(taskId, language, segmentIndex),
  });
}
