import { adminRouter } from "./admin-router";
import { taskRouter } from "./task-router";
import { router } from "./trpc";

export const appRouter = router({ task: taskRouter, admin: adminRouter });
export type AppRouter = typeof appRouter;
export type { ApiContext, RateBucket } from "./trpc";
export { adminTokenMatches } from "./trpc";
export { languageLinks, taskLinks } from "./links";
export { AppError, errorIdOf, errorMapping, internalErrorMessage, isAppError } from "./errors";
export type { AppErrorCode } from "./errors";
export { publicTaskError, withPublicError } from "./public-errors";
export type { PublicTaskError } from "./public-errors";
