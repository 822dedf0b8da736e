/** Optional HTTP health endpoint of a worker process: queues served, Redis and Postgres reachability. */
import http from "node:http";
import type { Db } from "@vitranslator/db";
import type { StageName } from "@vitranslator/queue";
import type { Redis } from "ioredis";

export interface HealthReport {
  ok: boolean;
  service: "workers";
  pid: number;
  stages: StageName[];
  redis: boolean;
  db: boolean;
}

const within = <T>(p: Promise<T>, ms: number) =>
  Promise.race([
    p,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error("timeout")), ms).unref()),
  ]);

export async function checkHealth(deps: {
  db: Db;
  redis: Redis;
  stages: StageName[];
}): Promise<HealthReport> {
  const [redis, db] = await Promise.all([
    within(deps.redis.ping(), 2000).then(
      () => true,
      () => false,
    ),
    within(deps.db.$queryRaw`SELECT 1`, 2000).then(
      () => true,
      () => false,
    ),
  ]);
  return { ok: redis && db, service: "workers", pid: process.pid, stages: deps.stages, redis, db };
}

export function startHealthServer(opts: {
  port: number;
  host?: string;
  check: () => Promise<HealthReport>;
}): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    if (req.url !== "/healthz" && req.url !== "/readyz") {
      res.writeHead(404).end();
      return;
    }
    void opts.check().then((report) => {
      const body = JSON.stringify(report);
      res.writeHead(report.ok ? 200 : 503, { "content-type": "application/json" });
      res.end(body);
    });
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host ?? "0.0.0.0", () => resolve(server));
  });
}
