import { tracked } from "@trpc/server";
import type { TRPCRouterRecord } from "@trpc/server";
import {
  EditRefusedError,
  editSentence,
  getOwnerTokenHash,
  getTaskSnapshot,
  TASK_ID_PATTERN,
  tokenMatches,
} from "@vitranslator/db";
import type { EditRefusal } from "@vitranslator/db";
import { enqueue } from "@vitranslator/queue";
import { z } from "zod";
import { publicProcedure, TRPCError } from "./trpc";
import { taskLinks } from "./links";

const taskId = z.string().regex(TASK_ID_PATTERN, "not a task id");

const REFUSAL_CODE: Record<EditRefusal, "NOT_FOUND" | "CONFLICT" | "BAD_REQUEST"> = {
  TASK_NOT_FOUND: "NOT_FOUND",
  SENTENCE_NOT_FOUND: "NOT_FOUND",
  TASK_NOT_ACTIVE: "CONFLICT",
  SEGMENT_NOT_PUBLISHED: "CONFLICT",
  REDUB_IN_PROGRESS: "CONFLICT",
  NOTHING_CHANGED: "BAD_REQUEST",
};

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

  /**
   * The owner corrects one line; its segment alone is re-dubbed from the translate stage
   * (new source text) or the modelin stage (new translation) and republished in place.
   */
  editSentence: publicProcedure
    .input(
      z
        .object({
          id: taskId,
          index: z.number().int().min(0),
          translation: z.string().max(2000).optional(),
          sourceText: z.string().max(2000).optional(),
          ownerToken: z.string().min(1).max(200),
        })
        .refine((v) => v.translation !== undefined || v.sourceText !== undefined, {
          message: "Give a new translation or source text.",
        }),
    )
    .mutation(async ({ ctx, input }) => {
      if (!tokenMatches(input.ownerToken, await getOwnerTokenHash(ctx.db, input.id)))
        throw new TRPCError({
          code: "FORBIDDEN",
          message: "Only the person who uploaded this video can edit it.",
        });
      let outcome;
      try {
        outcome = await editSentence(ctx.db, {
          taskId: input.id,
          index: input.index,
          ...(input.translation !== undefined ? { translation: input.translation } : {}),
          ...(input.sourceText !== undefined ? { sourceText: input.sourceText } : {}),
        });
      } catch (err) {
        if (err instanceof EditRefusedError)
          throw new TRPCError({ code: REFUSAL_CODE[err.code], message: err.message, cause: err });
        throw err;
      }
      const { segmentIndex, revision, fromStage, sentences } = outcome;
      await ctx.events.emit(input.id, { type: "sentences", segmentIndex, sentences });
      await ctx.events.emit(input.id, {
        type: "redub",
        segmentIndex,
        sentenceIndex: input.index,
        revision,
        status: "queued",
      });
      await enqueue(ctx.queues, fromStage, { taskId: input.id, segmentIndex, revision });
      return { segmentIndex, revision, fromStage };
    }),

  /** Whether a token is this task's owner token (the watch page shows edit controls only then). */
  isOwner: publicProcedure
    .input(z.object({ id: taskId, ownerToken: z.string().max(200) }))
    .query(async ({ ctx, input }) => ({
      owner: tokenMatches(input.ownerToken, await getOwnerTokenHash(ctx.db, input.id)),
    })),

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
