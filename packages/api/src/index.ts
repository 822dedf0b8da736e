import { adminRouter } from "./admin-router";
import { taskRouter } from "./task-router";
import { router } from "./trpc";

export const appRouter = router({ task: taskRouter, admin: adminRouter });
export type AppRouter = typeof appRouter;
export type { ApiContext } from "./trpc";
export { adminTokenMatches } from "./trpc";
export { taskLinks } from "./links";
