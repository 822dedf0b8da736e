/**
 * The real stack for browser tests (the shared launcher from testkit): a private Postgres
 * database, queue prefix and storage folder, the web server and a worker process, and the
 * local OpenAI-protocol stand-in for translation.
 */
import { createTestDatabase } from "@vitranslator/db/testing";
import type { TestDatabase } from "@vitranslator/db/testing";
import { REPO_ROOT, startStack as startSharedStack } from "@vitranslator/testkit/stack";
import type { Stack as SharedStack } from "@vitranslator/testkit/stack";

export const ROOT = REPO_ROOT;
export type Stack = SharedStack<TestDatabase>;

export function startStack(
  opts: { llmLatencyMs?: number; env?: Record<string, string> } = {},
): Promise<Stack> {
  return startSharedStack({
    name: "e2e",
    database: () => createTestDatabase(),
    llm: { latencyMs: opts.llmLatencyMs ?? 0 },
    ...(opts.env ? { env: opts.env } : {}),
  });
}
