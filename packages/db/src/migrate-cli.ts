import { migrate } from "./migrate";

const url = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/vitranslator";
const result = await migrate({ url });
for (const name of result.applied) console.log(`applied ${name}`);
console.log(
  `database is up to date (${result.applied.length} applied, ${result.alreadyApplied.length} already there)`,
);
