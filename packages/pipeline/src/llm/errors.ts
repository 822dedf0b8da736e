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

/** What went wrong in a call to an OpenAI-compatible endpoint, whatever the call was for. */
export interface ApiFailure {
  kind:
    "timeout" | "unreachable" | "auth" | "not_found" | "rate_limited" | "quota" | "bad_request" | "server";
  /** HTTP status ("?" when the server gave none). */
  status: string;
  /** The server's words; for "unreachable", the network error underneath (ECONNREFUSED, …). */
  detail: string;
}

/**
 * Sorts an error thrown by the OpenAI SDK; null for anything else (our own errors, a
 * caller's abort), which the caller passes on unchanged.
 */
export function classifyApiError(err: unknown): ApiFailure | null {
  if (err instanceof APIUserAbortError || !(err instanceof APIError)) return null;
  const failure = (kind: ApiFailure["kind"], detail = err.message): ApiFailure => ({
    kind,
    status: String(err.status ?? "?"),
    detail,
  });
  if (err instanceof APIConnectionTimeoutError) return failure("timeout");
  if (err instanceof APIConnectionError) return failure("unreachable", describeCause(err));
  if (err instanceof AuthenticationError || err instanceof PermissionDeniedError) return failure("auth");
  if (err instanceof NotFoundError) return failure("not_found");
  if (err instanceof RateLimitError)
    return failure(err.code === "insufficient_quota" ? "quota" : "rate_limited");
  if (err instanceof BadRequestError || err instanceof UnprocessableEntityError)
    return failure("bad_request");
  return failure("server");
}

/**
 * Turns an error thrown by the OpenAI SDK into a PipelineError that says what to fix.
 * A caller's abort is rethrown as its own reason: cancellation is a signal, not a failure.
 */
export function toLlmError(
  err: unknown,
  ctx: { client: LlmClient; model: string; signal?: AbortSignal | undefined },
): unknown {
  if (ctx.signal?.aborted) return ctx.signal.reason ?? err;
  const f = classifyApiError(err);
  if (!f) return err;
  const base = ctx.client.baseURL;
  const where = `${base} (model ${ctx.model})`;
  const fail = (code: string, category: "user" | "third_party", message: string) =>
    new PipelineError({ code, category, message, cause: err });
  switch (f.kind) {
    case "timeout":
      return fail(
        "LLM_UNAVAILABLE",
        "third_party",
        `The LLM at ${where} did not answer in time; check that it is running and reachable, or raise LLM_TIMEOUT_MS.`,
      );
    case "unreachable":
      return fail(
        "LLM_UNAVAILABLE",
        "third_party",
        `Cannot reach the LLM at ${base}: ${f.detail}. Check LLM_BASE_URL and that the server is running.`,
      );
    case "auth":
      return fail(
        "LLM_AUTH",
        "user",
        `The LLM at ${base} rejected the API key (HTTP ${f.status}); check LLM_API_KEY.`,
      );
    case "not_found":
      return fail(
        "LLM_NOT_FOUND",
        "user",
        `The LLM at ${where} answered 404: check LLM_MODEL and that LLM_BASE_URL is the API root (usually ending in /v1). ${f.detail}`,
      );
    case "quota":
      return fail(
        "LLM_QUOTA",
        "user",
        `The LLM account at ${base} has no quota left; check billing for LLM_API_KEY.`,
      );
    case "rate_limited":
      return fail(
        "LLM_RATE_LIMITED",
        "third_party",
        `The LLM at ${where} is rate limiting requests; retry later or lower the concurrency.`,
      );
    case "bad_request":
      // This endpoint/model refuses the request shape (e.g. no JSON mode); asking again
      // cannot help, so the task fails with the server's own words.
      return fail(
        "LLM_BAD_REQUEST",
        "user",
        `The LLM at ${where} refused the request (HTTP ${f.status}): ${f.detail}. Check that LLM_MODEL is a chat model that supports JSON output.`,
      );
    case "server":
      return fail(
        "LLM_SERVER_ERROR",
        "third_party",
        `The LLM at ${where} failed with HTTP ${f.status}: ${f.detail}`,
      );
  }
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
