import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client";

export type Db = PrismaClient;

/** Opens a Prisma client over the pg driver adapter (Prisma 7 has no built-in engine). */
export function createDb(opts: { url: string; max?: number }): Db {
  const adapter = new PrismaPg({ connectionString: opts.url, max: opts.max ?? 10 });
  return new PrismaClient({ adapter });
}
