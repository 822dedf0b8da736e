/** Request header with the server's verdict on a watch link: "found" or "missing" (server/watch-link.ts). */
export const WATCH_TASK_HEADER = "x-vitranslator-watch-task";
