/**
 * The benchmark's stack: the shared launcher (packages/testkit/src/stack) with a private
 * database, queue prefix and storage folder, the production web server and worker
 * processes, and the stand-in translation endpoint at the benchmark's latency.
 */
import { spawnSync } from "node:child_process";
import { createTestDatabase } from "@vitranslator/db/testing";
import type { TestDatabase } from "@vitranslator/db/testing";
import { REPO_ROOT, startStack } from "@vitranslator/testkit/stack";
import type { Stack } from "@vitranslator/testkit/stack";

export const ROOT = REPO_ROOT;
export type BenchStack = Stack<TestDatabase>;

/** Builds the web app's production bundle (turbo skips it when nothing changed), as `npm start` does. */
export function buildWeb(): void {
  const r = spawnSync(
    "npx",
    ["turbo", "run", "build", "--filter=@vitranslator/web", "--output-logs=errors-only"],
    { cwd: ROOT, stdio: "inherit", env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1" } },
  );
  if (r.status !== 0) throw new Error(`the web build failed (exit ${r.status ?? r.signal})`);
}

export function startBenchStack(opts: { llmLatencyMs: number; workers: number }): Promise<BenchStack> {
  return startStack({
    name: "bench",
    database: () => createTestDatabase(),
    llm: { latencyMs: opts.llmLatencyMs },
    workers: opts.workers,
    // One address uploads every task and polls each one every 50 ms (five at once in the
    // concurrency runs): the per-address caps meant for the public would refuse the benchmark.
    env: { RATE_LIMIT_PER_MINUTE: "0", API_RATE_LIMIT_PER_MINUTE: "0" },
  });
}
