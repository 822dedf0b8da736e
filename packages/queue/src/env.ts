/** Redis and the queues' env fragment, composed by each app's env.ts. */
import { z } from "zod";
import { QUEUE_PREFIX } from "./queues";

export const queueEnv = {
  REDIS_URL: z.string().url().default("redis://127.0.0.1:6379"),
  /** Redis key prefix, so several installations (or test runs) can share one Redis. */
  QUEUE_PREFIX: z
    .string()
    .regex(/^[a-z0-9-]+$/)
    .default(QUEUE_PREFIX),
};
