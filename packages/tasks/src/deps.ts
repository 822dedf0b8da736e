/** What a task command needs: the database, the stage queues, the event bus, the media storage. */
import type { Db } from "@vitranslator/db";
import type { EventSink, Storage } from "@vitranslator/pipeline";
import type { StageQueues } from "@vitranslator/queue";

export interface TaskCommandDeps {
  db: Db;
  queues: StageQueues;
  events: EventSink & { deleteStream?(taskId: string): Promise<unknown> };
  storage?: Pick<Storage, "removeTask">;
}
