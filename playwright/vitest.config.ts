import { packageTestConfig } from "../vitest.shared.ts";

export default packageTestConfig(import.meta.dirname, {
  include: ["test/**/*.test.ts"],
  testTimeout: 300_000,
});
