import { defineConfig } from "prisma/config";

// Migrations are plain SQL under prisma/migrations. `prisma migrate deploy` applies them
// where the schema engine can be downloaded; `npm run migrate` applies the same folders
// without it (see packages/db/src/migrate.ts).
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/vitranslator" },
});
