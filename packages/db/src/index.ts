export { createDb } from "./client";
export type { Db } from "./client";
export * from "./ids";
export * from "./tasks";
export { createTaskStore } from "./task-store";
export { migrate, ensureDatabase, defaultMigrationsDir, MigrationError } from "./migrate";
export type { TaskStatus } from "./generated/prisma/enums";
