/**
 * Test databases: migrations run once into a template database (named after a hash of
 * the migrations, so a schema change makes a new one), and every test suite gets its own
 * copy with CREATE DATABASE ... TEMPLATE.
 */
import { createHash, randomBytes } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { createDb } from "../src/client";
import type { Db } from "../src/client";
import { defaultMigrationsDir, migrate } from "../src/migrate";

const ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const TEMPLATE_LOCK = 72707370;

async function migrationsHash(dir: string): Promise<string> {
  const hash = createHash("sha256");
  for (const name of (await readdir(dir)).sort()) {
    if (name.endsWith(".toml")) continue;
    hash.update(name).update(await readFile(path.join(dir, name, "migration.sql")));
  }
  return hash.digest("hex").slice(0, 12);
}

const withDb = (name: string) => {
  const u = new URL(ADMIN_URL);
  u.pathname = `/${name}`;
  return u.toString();
};

export interface TestDatabase {
  url: string;
  db: Db;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const template = `vt_template_${await migrationsHash(defaultMigrationsDir())}`;
  const name = `vt_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    await admin.query("SELECT pg_advisory_lock($1)", [TEMPLATE_LOCK]);
    const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [template]);
    if (exists.rowCount === 0) await migrate({ url: withDb(template) });
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  } finally {
    await admin.query("SELECT pg_advisory_unlock($1)", [TEMPLATE_LOCK]).catch(() => undefined);
    await admin.end();
  }
  const url = withDb(name);
  const db = createDb({ url, max: 5 });
  return {
    url,
    db,
    async drop() {
      await db.$disconnect();
      const c = new pg.Client({ connectionString: ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}
export { createTestTask, TEST_OWNER_TOKEN } from "./task";
