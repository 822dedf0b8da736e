import { describe, expect, it } from "vitest";
import { z } from "zod";
import { logEnv, parseEnv, storageEnv } from "./env";

const schema = z.object({ ...storageEnv, ...logEnv, PORT: z.coerce.number().int().default(3000) });

describe("parseEnv", () => {
  it("gives the defaults for unset and empty variables", () => {
    const env = parseEnv(schema, { STORAGE_DIR: "", LOG_LEVEL: "", LOG_FORMAT: "json" }, "test");
    expect(env).toEqual({ STORAGE_DIR: "./storage", LOG_LEVEL: "info", LOG_FORMAT: "json", PORT: 3000 });
  });

  it("takes debug as a log level", () => {
    expect(parseEnv(schema, { LOG_LEVEL: "debug" }, "test").LOG_LEVEL).toBe("debug");
  });

  it("lists every bad variable under the app's label", () => {
    expect(() => parseEnv(schema, { LOG_LEVEL: "loud", LOG_FORMAT: "xml", PORT: "x" }, "worker")).toThrow(
      /^Invalid worker configuration:\n {2}LOG_LEVEL: .*\n {2}LOG_FORMAT: .*\n {2}PORT: /,
    );
  });
});
