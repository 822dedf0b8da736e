/**
 * Errors raised by the pipeline. `category` tells the worker what to do:
 * `user` (bad input) fails the task at once, `system` and `third_party` are retried.
 */
export type ErrorCategory = "user" | "system" | "third_party";

export class PipelineError extends Error {
  readonly code: string;
  readonly category: ErrorCategory;

  constructor(opts: { code: string; message: string; category: ErrorCategory; cause?: unknown }) {
    super(opts.message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = "PipelineError";
    this.code = opts.code;
    this.category = opts.category;
  }
}

export const isPipelineError = (e: unknown): e is PipelineError => e instanceof PipelineError;
