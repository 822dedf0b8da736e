import { dbEnv } from "./env";
import { migrate } from "./migrate";

const url = dbEnv.DATABASE_URL.parse(process.env.DATABASE_URL || undefined);
const result = await migrate({ url });
for (const name of result.applied) console.log(`applied ${name}`);
console.log(
  `database is up to date (${result.applied.length} applied, ${result.alreadyApplied.length} already there)`,
);
