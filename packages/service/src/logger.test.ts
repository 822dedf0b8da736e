import { describe, expect, it } from "vitest";
import { PipelineError } from "@vitranslator/pipeline/errors";
import { ProcessError, runProcess } from "@vitranslator/pipeline/media/process";
import { createLogger } from "./logger";
import type { LoggerOptions, LogLevel } from "./logger";

function capture(opts: Partial<LoggerOptions> = {}) {
  const lines: { line: string; level: LogLevel }[] = [];
  const log = createLogger({
    level: "info",
    format: "json",
    ...opts,
    sink: (line, level) => lines.push({ line, level }),
  });
  const json = () => lines.map((l) => JSON.parse(l.line) as Record<string, unknown>);
  return { log, lines, json };
}

/**
 * A stage failure caused by a real ffmpeg failure (a missing input), so the stderr tail is
 * what ffmpeg prints.
 */
async function mixFailure(message: string): Promise<{ err: PipelineError; processError: ProcessError }> {
  const processError = await runProcess({
    command: "ffmpeg",
    args: ["-hide_banner", "-nostdin", "-i", "/nonexistent/input.wav", "-f", "null", "-"],
  }).catch((e: unknown) => e);
  expect(processError).toBeInstanceOf(ProcessError);
  const err = new PipelineError({ code: "MIX_FAILED", category: "system", message, cause: processError });
  return { err, processError: processError as ProcessError };
}

type Json = Record<string, unknown>;

describe("the JSON logger", () => {
  it("keeps an error's code, category, stack and cause chain, and a subprocess's args and stderr tail", async () => {
    const { err, processError } = await mixFailure("could not mix part 3");
    const { log, json, lines } = capture({ bindings: { service: "workers" } });
    log.child({ taskId: "t1", stage: "mix" }).error({ err }, "stage failed");

    expect(lines).toHaveLength(1);
    expect(lines[0]!.line).not.toContain("\n");
    expect(lines[0]!.level).toBe("error");
    const [rec] = json() as [Json];
    expect(rec).toMatchObject({
      level: "error",
      msg: "stage failed",
      service: "workers",
      taskId: "t1",
      stage: "mix",
    });
    const e = rec.err as Json;
    expect(e).toMatchObject({
      name: "PipelineError",
      message: "could not mix part 3",
      code: "MIX_FAILED",
      category: "system",
    });
    expect(e.stack).toMatch(/logger\.test\.ts/);
    const cause = e.cause as Json;
    expect(cause).toMatchObject({ name: "ProcessError", code: "PROCESS_FAILED", command: "ffmpeg" });
    expect(cause.args).toEqual([...processError.args]);
    expect(cause.args).toContain("/nonexistent/input.wav");
    expect(cause.exitCode).not.toBe(0);
    expect(cause.stderrTail).toMatch(/No such file or directory/);
    expect(cause.stack).toEqual(expect.any(String));
  });

  it("follows a cause chain to a bound and marks a cycle", () => {
    let deep: Error = new Error("root");
    for (let i = 0; i < 20; i++) deep = new Error(`level ${i}`, { cause: deep });
    const a = new Error("a");
    const b = new Error("b", { cause: a });
    Object.defineProperty(a, "cause", { value: b });
    const { log, json } = capture();
    log.warn({ deep, loop: a }, "bounded");

    const [rec] = json() as [Json];
    let depth = 0;
    let node = rec.deep as Json | string;
    while (typeof node === "object") {
      depth++;
      node = node.cause as Json | string;
    }
    expect(depth).toBe(8);
    expect(node).toMatch(/^\[cause chain cut after 8: Error: level \d+\]$/);
    expect(((rec.loop as Json).cause as Json).cause).toBe("[Circular]");
  });

  it("never throws on circular fields and bounds huge strings and arrays", () => {
    const circular: Record<string, unknown> = { name: "x" };
    circular.self = circular;
    const { log, json } = capture();
    log.info({ circular, big: "y".repeat(20_000), many: Array.from({ length: 500 }, (_, i) => i) }, "safe");
    const [rec] = json() as [Json];
    expect((rec.circular as Json).self).toBe("[Circular]");
    expect((rec.big as string).length).toBeLessThan(8100);
    expect(rec.many as unknown[]).toHaveLength(101);
  });

  it("has a debug level below info (LOG_LEVEL=debug shows it, the default info does not)", () => {
    const quiet = capture({ level: "info" });
    quiet.log.debug({ step: 1 }, "details");
    quiet.log.info({}, "shown");
    expect(quiet.json().map((r) => r.msg)).toEqual(["shown"]);

    const verbose = capture({ level: "debug" });
    verbose.log.debug({ step: 1 }, "details");
    expect(verbose.json()).toEqual([expect.objectContaining({ level: "debug", msg: "details", step: 1 })]);

    const errorsOnly = capture({ level: "error" });
    errorsOnly.log.warn({}, "hidden");
    errorsOnly.log.error({}, "kept");
    expect(errorsOnly.json().map((r) => r.msg)).toEqual(["kept"]);
  });
});

describe("the pretty logger", () => {
  it("prints the message, then the error with its code, the command line, stderr tail, frames and causes", async () => {
    const { err } = await mixFailure("mix");
    const { log, lines } = capture({ format: "pretty" });
    log.error({ err, taskId: "t1" }, "stage failed");

    const text = lines[0]!.line;
    const [head] = text.split("\n");
    expect(head).toMatch(/^\d\d:\d\d:\d\d\.\d{3} ERROR stage failed taskId=t1$/);
    expect(text).toContain("err: PipelineError [MIX_FAILED system]: mix");
    expect(text).toContain("caused by: ProcessError [PROCESS_FAILED system]");
    expect(text).toContain("$ ffmpeg -hide_banner -nostdin -i /nonexistent/input.wav -f null -");
    expect(text).toMatch(/\| .*No such file or directory/);
    expect(text).toMatch(/\n {4}at .*logger\.test\.ts/);
  });
});
