// Types only, for the browser bundle.
export type { AppRouter } from "./index";
export type { TaskEvent, SentenceView, TaskStatus, StageName } from "@vitranslator/pipeline/events";
export type { TaskSnapshot, TaskSummary } from "@vitranslator/db/types";
export type { AdminTaskRow, StageTotal } from "@vitranslator/db/types";
