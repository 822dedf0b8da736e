import { createHash, randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { defaultMigrationsDir, migrate } from "../src/migrate";

const name = `vt_migrate_${randomBytes(4).toString("hex")}`;
const url = `postgresql://postgres@127.0.0.1:5432/${name}`;

afterAll(async () => {
  const c = new pg.Client({ connectionString: "postgresql://postgres@127.0.0.1:5432/postgres" });
  await c.connect();
  await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await c.end();
});

describe("migrate (prisma migrate deploy compatible)", () => {
  it("creates the database, applies every migration once and records it like Prisma", async () => {
    const first = await migrate({ url });
    expect(first.applied).toContain("20261128070000_init");
    const second = await migrate({ url });
    expect(second.applied).toEqual([]);
    expect(second.alreadyApplied).toEqual(first.applied);

    const c = new pg.Client({ connectionString: url });
    await c.connect();
    const rows = await c.query(
      `SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations"`,
    );
    const sql = await readFile(path.join(defaultMigrationsDir(), "20261128070000_init", "migration.sql"));
    expect(rows.rows[0]).toMatchObject({
      migration_name: "20261128070000_init",
      checksum: createHash("sha256").update(sql).digest("hex"),
      applied_steps_count: 1,
    });
    expect((rows.rows[0] as { finished_at: unknown }).finished_at).toBeInstanceOf(Date);
    const tables = await c.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`);
    expect(tables.rows.map((r: { tablename: string }) => r.tablename)).toEqual([
      "Segment",
      "Sentence",
      "StageRun",
      "Task",
      "_prisma_migrations",
    ]);
    await c.end();
  });

  it("refuses to continue when an applied migration was edited", async () => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query(`UPDATE "_prisma_migrations" SET checksum = 'x'`);
    await c.end();
    await expect(migrate({ url })).rejects.toThrow(/changed after it was applied/);
  });
});
