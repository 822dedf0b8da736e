import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "./launch";
import { cpuSeconds, peakRssMb, StackProcess } from "./process";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "vt-proc-"));
  // Burns a little CPU, says hello, then waits; exits 0 on SIGTERM, or with the code it is given.
  await writeFile(
    path.join(dir, "prog.ts"),
    `const code: number = Number(process.env.EXIT_CODE ?? "");
process.on("SIGTERM", () => { console.log("bye"); process.exit(0); });
const end = Date.now() + 300;
while (Date.now() < end) Math.sqrt(Math.random());
if (code) process.exit(code);
console.log("hello from " + process.pid);
setInterval(() => undefined, 1000);
`,
  );
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const until = async (check: () => boolean, ms = 20_000) => {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
  return check();
};

describe("StackProcess", () => {
  it("runs the program itself (its pid is ours to read), keeps its output, stops it gracefully", async () => {
    const logFile = path.join(dir, "prog.log");
    const p = new StackProcess({
      name: "prog",
      file: path.join(dir, "prog.ts"),
      cwd: REPO_ROOT,
      env: process.env,
      logFile,
    }).start();
    expect(await until(() => p.tail.includes("hello from"))).toBe(true);
    // The program's own pid, not a wrapper's: it printed the same one.
    expect(p.tail).toContain(`hello from ${p.pid}`);
    expect(await p.peakRssMb()).toBeGreaterThan(10);
    expect(await cpuSeconds(p.pid)).toBeGreaterThan(0.1);
    await p.stop();
    expect(p.alive).toBe(false);
    expect(p.proc?.exitCode).toBe(0);
    expect(p.tail).toContain("bye");
    await p.closeLog();
    expect(await readFile(logFile, "utf8")).toContain("bye");
  });

  it("restarts after a SIGKILL, and reports a crash but not a kill", async () => {
    const crashes: number[] = [];
    const p = new StackProcess({
      name: "prog",
      file: path.join(dir, "prog.ts"),
      cwd: REPO_ROOT,
      env: process.env,
      onCrash: (_p, code) => crashes.push(code),
    }).start();
    expect(await until(() => p.tail.includes("hello"))).toBe(true);
    const first = p.pid;
    await p.restart("SIGKILL");
    expect(p.restarts).toBe(1);
    expect(p.pid).not.toBe(first);
    expect(p.alive).toBe(true);
    expect(await peakRssMb(first)).toBeNull();
    await p.kill("SIGKILL");
    expect(crashes).toEqual([]);

    const crashing = new StackProcess({
      name: "crash",
      file: path.join(dir, "prog.ts"),
      cwd: REPO_ROOT,
      env: { ...process.env, EXIT_CODE: "3" },
      onCrash: (_p, code) => crashes.push(code),
    }).start();
    expect(await until(() => !crashing.alive)).toBe(true);
    expect(await until(() => crashes.length > 0)).toBe(true);
    expect(crashes).toEqual([3]);
  });
});

describe("cpuSeconds", () => {
  it("counts a process tree and answers null for a missing pid", async () => {
    const self = (await cpuSeconds(process.pid))!;
    const tree = (await cpuSeconds(process.pid, { tree: true }))!;
    expect(self).toBeGreaterThan(0);
    expect(tree).toBeGreaterThanOrEqual(self);
    expect(await cpuSeconds(2 ** 22 + 12345)).toBeNull();
  });
});
