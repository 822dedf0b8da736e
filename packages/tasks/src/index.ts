/**
 * The task commands, one file each: create, add a language, edit a line, retry, cancel,
 * delete, fail and seek ahead. REST, tRPC, the workers, the benchmark and the tests call
 * these; routes only parse input, check who may act (owner.ts), and map errors (errors.ts)
 * to HTTP or tRPC.
 */
export type { TaskCommandDeps } from "./deps";
export { createTask } from "./create-task";
export type { NewTask } from "./create-task";
export { addLanguage } from "./add-language";
export type { AddLanguage } from "./add-language";
export { editLine } from "./edit-line";
export { cancelTask, deleteTask, failTask, retryTask } from "./lifecycle";
export { seekAhead } from "./seek-ahead";
export { isTaskOwner, requireTaskOwner } from "./owner";
export { languageTag, MAX_TASK_LANGUAGES, taskLanguages } from "./languages";
export { taskGlossary } from "./glossary";
export * from "./errors";
