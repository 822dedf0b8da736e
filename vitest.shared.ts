import path from "node:path";
import { defineConfig } from "vitest/config";

/**
 * Every package's vitest config: real services, generous timeouts (the machine is
 * shared), and a JSON report per package that `.ci/run` adds up.
 */
export function packageTestConfig(dir: string, extra: { include?: string[]; testTimeout?: number } = {}) {
  const name = path.basename(dir);
  return defineConfig({
    test: {
      include: extra.include ?? ["src/**/*.test.ts", "test/**/*.test.ts"],
      testTimeout: extra.testTimeout ?? 60_000,
      hookTimeout: 120_000,
      reporters: [
        "default",
        ["json", { outputFile: path.resolve(import.meta.dirname, "test-results", `vitest-${name}.json`) }],
      ],
    },
  });
}
