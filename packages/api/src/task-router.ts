import { tracked } from "@trpc/server";
import type { TRPCRouterRecord } from "@trpc/server";
import { getTaskSnapshot, getTaskStatus, TASK_ID_PATTERN } from "@vitranslator/db";
import { LANGUAGE_TAG } from "@vitranslator/pipeline/layout";
import { isEventId } from "@vitranslator/queue";
import type { TaskEvent } from "@vitranslator/queue";
import { z } from "zod";
import { AppError } from "./errors";
import { editProcedure, publicProcedure } from "./trpc";
import { languageLinks, taskLinks } from "./links";
import { publicTaskError, withPublicError } from "./public-errors";
import { addLanguage, editLine, isTaskOwner, requireTaskOwner, seekAhead } from "@vitranslator/tasks";

const taskId = z.string().regex(TASK_ID_PATTERN, "not a task id");
const eventId = z
  .string()
  .max(40)
  .refine(isEventId, "not an event id (use the lastEventId task.get returned)");

const language = z.string().max(20).regex(LANGUAGE_TAG, "not a language tag (e.g. fr, pt-br)");

/** A failed task's event carries the public message, like the snapshot. */
function publicEvent(id: string, e: TaskEvent): TaskEvent {
  if (e.type !== "task" || !e.errorCode) return e;
  return { ...e, errorMessage: publicTaskError(id, e.errorCode, e.errorMessage ?? null).message };
}

export const taskRouter = {
  /**
   * Everything the watch page shows, plus the event id to resume the live feed from. The
   * parts and sentences are of `language` (default, or one the task lacks: the first);
   * `task.language` says which.
   */
  get: publicProcedure
    .input(z.object({ id: taskId, language: language.optional() }))
    .query(async ({ ctx, input }) => {
      // Read the stream position first: events after it may repeat what the snapshot has,
      // which is harmless, but none can be missed.
      const lastEventId = await ctx.events.lastId(input.id);
      const task = await getTaskSnapshot(ctx.db, input.id, input.language);
      if (!task)
        throw new AppError(
          "TASK_NOT_FOUND",
          "No such task (the link may be wrong, or the task was deleted).",
        );
      const languages = Object.fromEntries(task.languages.map((l) => [l, languageLinks(input.id, l)]));
      return { task: withPublicError(task), lastEventId, links: { ...taskLinks(input.id), languages } };
    }),

  /**
   * The owner corrects one line of one language (default: the first); its segment alone is
   * re-dubbed in that language from the translate stage (new source text) or the modelin
   * stage (new translation) and republished in place.
   */
  editSentence: editProcedure
    .input(
      z
        .object({
          id: taskId,
          language: language.optional(),
          index: z.number().int().min(0),
          translation: z.string().max(2000).optional(),
          sourceText: z.string().max(2000).optional(),
        })
        .refine((v) => v.translation !== undefined || v.sourceText !== undefined, {
          message: "Give a new translation or source text.",
        }),
    )
    .mutation(async ({ ctx, input }) => {
      const { languages } = await requireTaskOwner(ctx.db, input.id, ctx.requestOwnerToken);
      return editLine(ctx, {
        taskId: input.id,
        language: input.language ?? languages[0] ?? "",
        index: input.index,
        ...(input.translation !== undefined ? { translation: input.translation } : {}),
        ...(input.sourceText !== undefined ? { sourceText: input.sourceText } : {}),
      });
    }),

  /**
   * The owner adds a dub language to the task, running or finished (add-language.ts): what
   * is done is reused, the new language's parts are dubbed and published as they come.
   */
  addLanguage: editProcedure
    .input(z.object({ id: taskId, language: z.string().max(40) }))
    .mutation(async ({ ctx, input }) => {
      await requireTaskOwner(ctx.db, input.id, ctx.requestOwnerToken);
      return addLanguage(ctx, {
        taskId: input.id,
        language: input.language,
        ...(ctx.checkEngines ? { checkEngines: ctx.checkEngines } : {}),
      });
    }),

  /** The viewer jumped to `positionMs`, past what is dubbed: that part goes next (seek-ahead.ts). */
  seekAhead: publicProcedure
    .input(
      z.object({
        id: taskId,
        positionMs: z
          .number()
          .int()
          .min(0)
          .max(24 * 3600 * 1000),
      }),
    )
    .mutation(({ ctx, input }) => seekAhead(ctx, input.id, input.positionMs)),

  /**
   * Whether the `x-owner-token` header is this task's owner token (the watch page shows
   * edit controls only then). The token is a header, never an input: inputs of queries
   * travel in the URL, which proxies and browsers log.
   */
  isOwner: publicProcedure
    .input(z.object({ id: taskId }))
    .query(async ({ ctx, input }) => ({ owner: await isTaskOwner(ctx.db, input.id, ctx.requestOwnerToken) })),

  /**
   * Live progress; `lastEventId` makes a reconnecting client resume where it stopped. Only
   * known tasks can be followed, through the process's shared stream reader, within the
   * per-connection cap (checked before anything is read).
   */
  events: publicProcedure
    .input(z.object({ id: taskId, lastEventId: eventId.nullish() }))
    .subscription(async ({ ctx, input, signal }) => {
      if ((await getTaskStatus(ctx.db, input.id)) === null)
        throw new AppError(
          "TASK_NOT_FOUND",
          "No such task (the link may be wrong, or the task was deleted).",
        );
      const feed = ctx.followTask({
        taskId: input.id,
        afterId: input.lastEventId ?? "0",
        signal: signal ?? new AbortController().signal,
      });
      return (async function* () {
        for await (const e of feed) yield tracked(e.id, publicEvent(input.id, e.event));
      })();
    }),
} satisfies TRPCRouterRecord;
