/**
 * Private Redis and Postgres servers for runs that restart them (chaos): each on its own
 * port with its files in a temp folder, so a restart never touches the shared 6379/5432
 * instances. Redis keeps an AOF with fsync always, so a restart loses nothing.
 */
import { spawn, spawnSync } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { chmodSync, mkdirSync, readdirSync } from "node:fs";
import path from "node:path";
import { portOpen, waitUntil } from "../net";

export class ThrowawayRedis {
  private proc: ChildProcess | null = null;
  constructor(
    readonly port: number,
    private readonly dir: string,
  ) {}
  get url() {
    return `redis://127.0.0.1:${this.port}`;
  }
  async start() {
    mkdirSync(this.dir, { recursive: true });
    this.proc = spawn(
      "redis-server",
      [
        "--port",
        String(this.port),
        "--bind",
        "127.0.0.1",
        "--dir",
        this.dir,
        "--appendonly",
        "yes",
        "--appendfsync",
        "always",
        "--save",
        "",
      ],
      { stdio: ["ignore", "ignore", "ignore"] },
    );
    await waitUntil(() => portOpen(this.port), 10_000, "redis");
  }
  /** SIGTERM (Redis flushes the AOF and exits), then start again on the same files. */
  async restart(downMs: number) {
    await this.stop();
    await new Promise((r) => setTimeout(r, downMs));
    await this.start();
  }
  async stop() {
    const p = this.proc;
    if (!p || p.exitCode !== null) return;
    const exited = new Promise((r) => p.once("exit", r));
    p.kill("SIGTERM");
    await exited;
  }
}

export class ThrowawayPostgres {
  private readonly bin: string;
  private readonly asPostgres: string[];
  constructor(
    readonly port: number,
    private readonly dir: string,
  ) {
    const version = readdirSync("/usr/lib/postgresql").sort().at(-1);
    if (!version) throw new Error("no PostgreSQL server binaries under /usr/lib/postgresql");
    this.bin = `/usr/lib/postgresql/${version}/bin`;
    // initdb and postgres refuse to run as root.
    this.asPostgres = process.getuid?.() === 0 ? ["runuser", "-u", "postgres", "--"] : [];
  }
  get adminUrl() {
    return `postgresql://postgres@127.0.0.1:${this.port}/postgres`;
  }
  private run(args: string[]) {
    const [cmd, ...rest] = [...this.asPostgres, ...args];
    const r = spawnSync(cmd!, rest, { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`${args[0]} failed: ${r.stderr || r.stdout}`);
  }
  async init() {
    mkdirSync(this.dir, { recursive: true });
    // The cluster runs as postgres: it must own its folder and reach it through the parent.
    chmodSync(path.dirname(this.dir), 0o755);
    if (this.asPostgres.length > 0) spawnSync("chown", ["-R", "postgres:postgres", this.dir]);
    this.run([`${this.bin}/initdb`, "-D", path.join(this.dir, "data"), "-A", "trust", "-U", "postgres"]);
    await this.start();
  }
  async start() {
    this.run([
      `${this.bin}/pg_ctl`,
      "-D",
      path.join(this.dir, "data"),
      "-l",
      path.join(this.dir, "pg.log"),
      "-o",
      `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
      "-w",
      "start",
    ]);
    await waitUntil(() => portOpen(this.port), 20_000, "postgres");
  }
  async restart(downMs: number) {
    this.stop();
    await new Promise((r) => setTimeout(r, downMs));
    await this.start();
  }
  stop() {
    this.run([`${this.bin}/pg_ctl`, "-D", path.join(this.dir, "data"), "-m", "fast", "-w", "stop"]);
  }
  /** Stops the cluster unless it is already down (clean-up after a failed restart). */
  stopIfRunning() {
    try {
      this.stop();
    } catch {
      // not running
    }
  }
}
