/**
 * Errors the API answers with: one `AppError` carrying an UPPER_CASE code, and one map from
 * code to HTTP status and tRPC code, used by the tRPC procedures and the REST routes alike.
 * Anything else that is thrown is an internal fault: clients get a generic message and an
 * error id, the detail goes to the server log under the same id.
 */
import { randomBytes } from "node:crypto";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server";

type Mapping = readonly [status: number, trpc: TRPC_ERROR_CODE_KEY];

const ERRORS = {
  BAD_REQUEST: [400, "BAD_REQUEST"],
  INVALID_EVENT_ID: [400, "BAD_REQUEST"],
  BATCH_TOO_LARGE: [400, "BAD_REQUEST"],
  NOTHING_CHANGED: [400, "BAD_REQUEST"],
  UNSUPPORTED_LANGUAGE: [400, "BAD_REQUEST"],
  TOO_MANY_LANGUAGES: [400, "BAD_REQUEST"],
  BURN_ONE_LANGUAGE: [400, "BAD_REQUEST"],
  LANGUAGE_NOT_IN_TASK: [400, "BAD_REQUEST"],
  INVALID_GLOSSARY: [400, "BAD_REQUEST"],
  GLOSSARY_TOO_LARGE: [400, "BAD_REQUEST"],
  ADMIN_TOKEN_WRONG: [401, "UNAUTHORIZED"],
  NOT_OWNER: [403, "FORBIDDEN"],
  ORIGIN_NOT_ALLOWED: [403, "FORBIDDEN"],
  NOT_FOUND: [404, "NOT_FOUND"],
  NOT_OURS: [404, "NOT_FOUND"],
  TASK_NOT_FOUND: [404, "NOT_FOUND"],
  SENTENCE_NOT_FOUND: [404, "NOT_FOUND"],
  METHOD_NOT_ALLOWED: [405, "METHOD_NOT_SUPPORTED"],
  NOT_READY: [409, "CONFLICT"],
  TASK_NOT_ACTIVE: [409, "CONFLICT"],
  SEGMENT_NOT_PUBLISHED: [409, "CONFLICT"],
  REDUB_IN_PROGRESS: [409, "CONFLICT"],
  LANGUAGE_EXISTS: [409, "CONFLICT"],
  NOT_RETRYABLE: [409, "CONFLICT"],
  NOT_CANCELLABLE: [409, "CONFLICT"],
  NO_WORKERS: [409, "CONFLICT"],
  NO_WORKER_FOR_STAGE: [409, "CONFLICT"],
  NO_TRANSLATOR: [409, "CONFLICT"],
  NO_TTS_ENGINE: [409, "CONFLICT"],
  NO_ASR_ENGINE: [409, "CONFLICT"],
  ADMIN_DISABLED: [412, "PRECONDITION_FAILED"],
  BODY_TOO_LARGE: [413, "PAYLOAD_TOO_LARGE"],
  UPLOAD_TOO_LARGE: [413, "PAYLOAD_TOO_LARGE"],
  SUBTITLES_TOO_LARGE: [413, "PAYLOAD_TOO_LARGE"],
  RATE_LIMITED: [429, "TOO_MANY_REQUESTS"],
  QUOTA_EXCEEDED: [429, "TOO_MANY_REQUESTS"],
  SERVICE_QUOTA_EXCEEDED: [429, "TOO_MANY_REQUESTS"],
  TOO_MANY_FEEDS: [429, "TOO_MANY_REQUESTS"],
  TOO_MANY_CONNECTIONS: [429, "TOO_MANY_REQUESTS"],
  INTERNAL_ERROR: [500, "INTERNAL_SERVER_ERROR"],
} as const satisfies Record<string, Mapping>;

export type AppErrorCode = keyof typeof ERRORS;

/** Codes outside the map are the pipeline's bad-input codes (INVALID_MEDIA, …): a 400. */
export function errorMapping(code: string): { status: number; trpc: TRPC_ERROR_CODE_KEY } {
  const [status, trpc] = (ERRORS as Record<string, Mapping>)[code] ?? [400, "BAD_REQUEST"];
  return { status, trpc };
}

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: AppErrorCode | (string & {}),
    message: string,
    readonly opts: { cause?: unknown; headers?: Record<string, string> } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = "AppError";
    this.status = errorMapping(code).status;
  }

  get headers(): Record<string, string> {
    return this.opts.headers ?? {};
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;

const ids = new WeakMap<object, string>();

/**
 * A short id for one internal fault: the same object always gets the same id, so the
 * log line and the client's message can be written in either order.
 */
export function errorIdOf(err: unknown): string {
  if (typeof err !== "object" || err === null) return randomBytes(5).toString("hex");
  let id = ids.get(err);
  if (!id) {
    id = randomBytes(5).toString("hex");
    ids.set(err, id);
  }
  return id;
}

export const internalErrorMessage = (errorId: string) =>
  `Something went wrong on the server (error id ${errorId}). Try again; if it keeps happening, tell the operator this id.`;
