import { taskRouter } from "./task-router";
import { router } from "./trpc";

export const appRouter = router({ task: taskRouter });
export type AppRouter = typeof appRouter;
export type { ApiContext } from "./trpc";
export { taskLinks } from "./links";
