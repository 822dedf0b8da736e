import { packageTestConfig } from "../../vitest.shared.ts";

export default packageTestConfig(import.meta.dirname, { include: ["test/**/*.test.ts", "src/**/*.test.ts"] });
