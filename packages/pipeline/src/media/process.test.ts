import { mkdtemp, readdir, rm as rmDir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ffmpeg, isProcessError, runProcess } from "./process";

describe("runProcess", () => {
  it("returns stdout and stderr", async () => {
    const r = await runProcess({ command: "sh", args: ["-c", "echo out; echo err >&2"] });
    expect(r).toEqual({ stdout: "out\n", stderr: "err\n" });
  });

  it("passes arguments verbatim, without a shell", async () => {
    const r = await runProcess({ command: "printf", args: ["%s|", "a b", "$HOME", "-x", "'q'"] });
    expect(r.stdout).toBe("a b|$HOME|-x|'q'|");
  });

  it("feeds stdin and honours cwd and env", async () => {
    const r = await runProcess({
      command: "sh",
      args: ["-c", "cat; pwd; echo $FOO"],
      stdin: "in\n",
      cwd: "/tmp",
      env: { FOO: "bar", PATH: process.env.PATH },
    });
    expect(r.stdout).toBe("in\n/tmp\nbar\n");
  });

  it("throws PROCESS_FAILED with exit code, args and the stderr tail", async () => {
    const err = await runProcess({
      command: "sh",
      args: ["-c", "head -c 5000 /dev/zero | tr '\\0' x >&2; echo LAST >&2; exit 3"],
    }).catch((e: unknown) => e);
    expect(isProcessError(err)).toBe(true);
    if (!isProcessError(err)) return;
    expect(err.code).toBe("PROCESS_FAILED");
    expect(err.category).toBe("system");
    expect(err.exitCode).toBe(3);
    expect(err.command).toBe("sh");
    expect(err.args[0]).toBe("-c");
    expect(err.stderrTail.length).toBeLessThanOrEqual(2000);
    expect(err.stderrTail.trim().endsWith("LAST")).toBe(true);
    expect(err.message).toContain("LAST");
  });

  it("kills the process on timeout", async () => {
    const started = Date.now();
    const err = await runProcess({ command: "sleep", args: ["10"], timeoutMs: 100 }).catch((e: unknown) => e);
    expect(isProcessError(err) && err.code).toBe("PROCESS_TIMEOUT");
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it("kills the process on abort and rejects with the signal's reason", async () => {
    const ac = new AbortController();
    const p = runProcess({ command: "sleep", args: ["10"], signal: ac.signal });
    const reason = new Error("cancelled by user");
    setTimeout(() => ac.abort(reason), 50);
    await expect(p).rejects.toBe(reason);
  });

  it("rejects at once for an already aborted signal", async () => {
    const err = await runProcess({ command: "sleep", args: ["10"], signal: AbortSignal.abort() }).catch(
      (e: unknown) => e,
    );
    expect((err as Error).name).toBe("AbortError");
  });

  it("names the program and its package when it is missing", async () => {
    const err = await runProcess({ command: "definitely-not-a-program-xyz", args: [] }).catch(
      (e: unknown) => e,
    );
    expect(isProcessError(err) && err.code).toBe("PROGRAM_MISSING");
    expect((err as Error).message).toContain("definitely-not-a-program-xyz");
    expect((err as Error).message).toContain("apt-get install");
  });
});

describe("ffmpeg", () => {
  it("runs ffmpeg with the fixed leading options", async () => {
    const err = await ffmpeg(["-i", "/nonexistent/file.mp4", "-f", "null", "-"]).catch((e: unknown) => e);
    expect(isProcessError(err)).toBe(true);
    if (!isProcessError(err)) return;
    expect(err.args.slice(0, 3)).toEqual(["-hide_banner", "-nostdin", "-y"]);
    expect(err.stderrTail).toContain("No such file or directory");
  });
});

describe("ffmpeg output", () => {
  it("appears whole under its name, and a failed run leaves no file behind", async () => {
    const dir = await mkdtemp(join(tmpdir(), "vt-atomic-"));
    try {
      const out = join(dir, "tone.wav");
      await ffmpeg(["-f", "lavfi", "-i", "sine=d=0.2", out]);
      expect(await readdir(dir)).toEqual(["tone.wav"]);
      await expect(ffmpeg(["-i", join(dir, "missing.wav"), join(dir, "bad.wav")])).rejects.toThrow();
      expect(await readdir(dir)).toEqual(["tone.wav"]);
    } finally {
      await rmDir(dir, { recursive: true, force: true });
    }
  });
});
