/** The database's env fragment, composed by each app's env.ts. */
import { z } from "zod";

export const DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/vitranslator";

export const dbEnv = {
  DATABASE_URL: z.string().url().default(DEFAULT_DATABASE_URL),
};
