/**
 * The task commands, one file each: create, edit a line, retry, cancel, delete, fail and
 * seek ahead. REST, tRPC, the workers, the benchmark and the tests call these; routes only
 * parse input, check who may act, and map errors (errors.ts) to HTTP or tRPC.
 */
export type { TaskCommandDeps } from "./deps";
export { createTask } from "./create-task";
export type { NewTask } from "./create-task";
export { editLine } from "./edit-line";
export { cancelTask, deleteTask, failTask, retryTask } from "./lifecycle";
export { seekAhead } from "./seek-ahead";
export * from "./errors";
