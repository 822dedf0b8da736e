import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  AuthenticationError,
  BadRequestError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  UnprocessableEntityError,
} from "openai";
import { PipelineError } from "../errors";
import type { LlmClient } from "./client";

/** Structured logger the engines accept; pino and the pipeline's stage logger both fit. */
export interface LlmLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/**
 * Codes for a reply that arrived but is unusable (bad JSON, wrong indices, truncated).
 * Only these are worth asking again in smaller pieces; transport, auth and server errors
 * would fail the same way for every piece.
 */
const ANSWER_ERROR_CODES = new Set(["LLM_BAD_JSON", "LLM_BAD_ANSWER"]);

export const isAnswerError = (e: unknown): e is PipelineError =>
  e instanceof PipelineError && ANSWER_ERROR_CODES.has(e.code);

export const badAnswer = (message: string, cause?: unknown): PipelineError =>
  new PipelineError({ code: "LLM_BAD_ANSWER", category: "third_party", message, cause });

/**
 * Turns an error thrown by the OpenAI SDK into a PipelineError that says what to fix.
 * A caller's abort is rethrown as its own reason: cancellation is a signal, not a failure.
 */
export function toLlmError(
  err: unknown,
  ctx: { client: LlmClient; model: string; signal?: AbortSignal | undefined },
): unknown {
  if (ctx.signal?.aborted) return ctx.signal.reason ?? err;
  if (err instanceof PipelineError) return err;
  const where = `${ctx.client.baseURL} (model ${ctx.model})`;
  if (err instanceof APIUserAbortError) return err;
  if (err instanceof APIConnectionTimeoutError) {
    return new PipelineError({
      code: "LLM_UNAVAILABLE",
      category: "third_party",
      message: `The LLM at ${where} did not answer in time; check that it is running and reachable, or raise LLM_TIMEOUT_MS.`,
      cause: err,
    });
  }
  if (err instanceof APIConnectionError) {
    return new PipelineError({
      code: "LLM_UNAVAILABLE",
      category: "third_party",
      message: `Cannot reach the LLM at ${ctx.client.baseURL}: ${describeCause(err)}. Check LLM_BASE_URL and that the server is running.`,
      cause: err,
    });
  }
  if (err instanceof AuthenticationError || err instanceof PermissionDeniedError) {
    return new PipelineError({
      code: "LLM_AUTH",
      category: "user",
      message: `The LLM at ${ctx.client.baseURL} rejected the API key (HTTP ${err.status}); check LLM_API_KEY.`,
      cause: err,
    });
  }
  if (err instanceof NotFoundError) {
    return new PipelineError({
      code: "LLM_NOT_FOUND",
      category: "user",
      message: `The LLM at ${where} answered 404: check LLM_MODEL and that LLM_BASE_URL is the API root (usually ending in /v1). ${err.message}`,
      cause: err,
    });
  }
  if (err instanceof RateLimitError) {
    const quota = err.code === "insufficient_quota";
    return new PipelineError({
      code: quota ? "LLM_QUOTA" : "LLM_RATE_LIMITED",
      category: quota ? "user" : "third_party",
      message: quota
        ? `The LLM account at ${ctx.client.baseURL} has no quota left; check billing for LLM_API_KEY.`
        : `The LLM at ${where} is rate limiting requests; retry later or lower the concurrency.`,
      cause: err,
    });
  }
  if (err instanceof BadRequestError || err instanceof UnprocessableEntityError) {
    // A 400 means this endpoint/model refuses the request shape (e.g. no JSON mode); asking
    // again cannot help, so the task fails with the server's own words.
    return new PipelineError({
      code: "LLM_BAD_REQUEST",
      category: "user",
      message: `The LLM at ${where} refused the request (HTTP ${err.status}): ${err.message}. Check that LLM_MODEL is a chat model that supports JSON output.`,
      cause: err,
    });
  }
  if (err instanceof APIError) {
    return new PipelineError({
      code: "LLM_SERVER_ERROR",
      category: "third_party",
      message: `The LLM at ${where} failed with HTTP ${String(err.status ?? "?")}: ${err.message}`,
      cause: err,
    });
  }
  return err;
}

function describeCause(err: Error): string {
  // The SDK's message is a generic "Connection error."; the useful part (ECONNREFUSED, ENOTFOUND) is deeper.
  let cur: unknown = err.cause;
  for (let depth = 0; depth < 4 && cur instanceof Error; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === "string") return `${code} (${cur.message})`;
    cur = cur.cause;
  }
  return err.cause instanceof Error ? err.cause.message : err.message;
}
