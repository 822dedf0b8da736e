/**
 * The routers' context over real services: a database of the suite's own, the shared Redis
 * under a prefix of its own, the stage queues and a storage folder. `useApiStack` sets them
 * up before the suite and takes them down after it.
 */
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { createTestDatabase } from "@vitranslator/db/testing";
import type { TestDatabase } from "@vitranslator/db/testing";
import { createLocalStorage } from "@vitranslator/pipeline";
import { closeQueues, createQueues, createRedis, EventBus, SharedEventReader } from "@vitranslator/queue";
import type { StageQueues } from "@vitranslator/queue";
import type { ApiContext } from "../src/index";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

export interface ApiStack {
  t: TestDatabase;
  redis: ReturnType<typeof createRedis>;
  prefix: string;
  queues: StageQueues;
  events: EventBus;
  storageDir: string;
  /** A request without tokens; `followTask` reads through a shared reader only if the suite asked for one. */
  ctx: ApiContext;
}

export function useApiStack(opts: { follow?: boolean } = {}): ApiStack {
  const prefix = `test-${randomUUID()}`;
  const redis = createRedis(REDIS_URL);
  const queues = createQueues(redis, prefix);
  const events = new EventBus(redis, prefix);
  const blocking = opts.follow ? createRedis(REDIS_URL) : null;
  const reader = blocking && new SharedEventReader({ blocking, commands: redis, prefix });
  const stack = { prefix, redis, queues, events } as ApiStack;

  beforeAll(async () => {
    stack.t = await createTestDatabase();
    stack.storageDir = await mkdtemp(path.join(os.tmpdir(), "vt-api-"));
    stack.ctx = {
      db: stack.t.db,
      events,
      followTask: (o) => {
        if (!reader) throw new Error("not followed in these tests");
        return reader.follow(o);
      },
      queues,
      storage: createLocalStorage(stack.storageDir),
      adminToken: null,
      requestAdminToken: null,
      requestOwnerToken: null,
    };
  });

  afterAll(async () => {
    await reader?.close();
    blocking?.disconnect();
    for (const q of Object.values(queues)) await q.obliterate({ force: true }).catch(() => undefined);
    await closeQueues(queues);
    await redis.del(...(await redis.keys(`${prefix}:*`)), "__none__");
    redis.disconnect();
    await stack.t?.drop();
    if (stack.storageDir) await rm(stack.storageDir, { recursive: true, force: true });
  });

  return stack;
}
