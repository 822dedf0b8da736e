/** Adds up the vitest JSON reports of every package into one closing line for CI. */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

const dir = path.resolve(import.meta.dirname, "..", "test-results");
let passed = 0;
let failed = 0;
let skipped = 0;
for (const name of (await readdir(dir).catch(() => [])).filter(
  (n) => n.startsWith("vitest-") && n.endsWith(".json"),
)) {
  const r = JSON.parse(await readFile(path.join(dir, name), "utf8")) as {
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
  };
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += r.numPendingTests + r.numTodoTests;
  console.log(`${name.slice(7, -5)}: ${r.numPassedTests} passed, ${r.numFailedTests} failed`);
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
