// Types only: importing this never opens a connection.
export type { TaskSummary, TaskSnapshot } from "./tasks";
export type { TaskStatus, SegmentStatus } from "./generated/prisma/enums";
export type { AdminTaskRow, StageTotal, StageError } from "./admin";
