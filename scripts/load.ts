/**
 * `npm run load` (not a test): N viewers of one running dub and M concurrent uploads
 * against one web process, on a private stack of this machine (the shared launcher:
 * private Redis, database, storage; loopback only). Each viewer does what the watch page
 * does: task.get over HTTP, a task.events subscription over the tRPC WebSocket, then the
 * HLS playlist and its chunks at playback speed from position 0. Viewers come from 50
 * loopback addresses (127.0.0.2–51), so the per-IP caps stay at their defaults.
 *
 * Prints viewers held, chunk fetch p50/p99, errors, the Redis connections of the web
 * process (and of everything) from CLIENT LIST, and the web's RSS. Bounded: it stops by
 * itself after --seconds of load (and gives up after a hard deadline).
 *   npm run load -- [--viewers 500] [--uploads 4] [--ramp 20] [--seconds 60]
 */
import { readdir, readFile, readlink } from "node:fs/promises";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { parseArgs } from "node:util";
import type { TestDatabase } from "@vitranslator/db/testing";
import { makeSampleVideo } from "@vitranslator/testkit";
import { cpuSeconds, startStack, taskStatus, uploadTask } from "@vitranslator/testkit/stack";
import { Redis } from "ioredis";
import WebSocket from "ws";

const { values } = parseArgs({
  options: {
    viewers: { type: "string", default: "500" },
    uploads: { type: "string", default: "4" },
    seconds: { type: "string", default: "60" },
    ramp: { type: "string", default: "20" },
  },
});
const VIEWERS = Math.min(2000, Number(values.viewers));
const UPLOADS = Math.min(20, Number(values.uploads));
const HOLD_MS = Math.min(300, Number(values.seconds)) * 1000;
/** Viewers arrive evenly over this long; figures are given for the ramp and for after it. */
const RAMP_MS = Math.min(120, Number(values.ramp)) * 1000;
const ADDRESSES = 50;
const HARD_DEADLINE = setTimeout(
  () => {
    console.error("load: hard deadline passed, giving up");
    process.exit(2);
  },
  RAMP_MS + HOLD_MS + 6 * 60_000,
);
HARD_DEADLINE.unref();

const started = Date.now();
const say = (m: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(1)}s] ${m}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const errors = new Map<string, number>();
const fail = (kind: string) => errors.set(kind, (errors.get(kind) ?? 0) + 1);
/** Fetch times during the ramp and after it (steady state: every viewer is watching). */
const chunkMs = { ramp: [] as number[], steady: [] as number[] };
const playlistMs = { ramp: [] as number[], steady: [] as number[] };
let steady = false;
const phase = () => (steady ? "steady" : "ramp");

/**
 * One GET from a given local address; resolves with status, body and time to the last byte.
 * A request that fails on a reused keep-alive socket (the server closed it while idle) is
 * sent again once, as browsers do.
 */
function get(
  url: string,
  localAddress: string,
  agent: http.Agent,
  retried = false,
  t0 = performance.now(),
): Promise<{ status: number; body: Buffer; ms: number }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { localAddress, agent, timeout: 30_000 }, (res) => {
      const parts: Buffer[] = [];
      res.on("data", (d: Buffer) => parts.push(d));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts), ms: performance.now() - t0 }),
      );
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", (err) => {
      if (req.reusedSocket && !retried) get(url, localAddress, agent, true, t0).then(resolve, reject);
      else reject(err);
    });
  });
}

interface Viewer {
  held: boolean;
  events: number;
  stop(): void;
}

/** A watch page: snapshot, live feed, then the playlist and chunks at playback speed. */
function startViewer(base: string, taskId: string, i: number, until: number): Viewer {
  const localAddress = `127.0.0.${2 + (i % ADDRESSES)}`;
  // Idle sockets are dropped after 4 s, before the server's keep-alive timeout (5 s) can
  // close one under a request (browsers retry that case; a load script should not measure it).
  const agent = new http.Agent({ keepAlive: true, maxSockets: 2, localAddress, timeout: 4000 });
  const viewer: Viewer = { held: false, events: 0, stop: () => undefined };
  let ws: WebSocket | null = null;
  let stopped = false;
  viewer.stop = () => {
    stopped = true;
    ws?.close();
    agent.destroy();
  };
  void (async () => {
    try {
      const input = encodeURIComponent(JSON.stringify({ id: taskId }));
      const snap = await get(`${base}/api/trpc/task.get?input=${input}`, localAddress, agent);
      if (snap.status !== 200) return fail(`task.get ${snap.status}`);
      const lastEventId = (JSON.parse(snap.body.toString()) as { result: { data: { lastEventId: string } } })
        .result.data.lastEventId;
      ws = new WebSocket(`${base.replace("http", "ws")}/api/trpc-ws`, { localAddress });
      ws.on("unexpected-response", (_req, res) => fail(`ws upgrade ${res.statusCode}`));
      ws.on("error", () => undefined);
      ws.on("open", () =>
        ws!.send(
          JSON.stringify({
            id: 1,
            method: "subscription",
            params: { path: "task.events", input: { id: taskId, lastEventId } },
          }),
        ),
      );
      ws.on("message", (raw: Buffer) => {
        const text = raw.toString();
        if (text === "PING") return ws!.send("PONG");
        const msg = JSON.parse(text) as { result?: { type: string }; error?: { message: string } };
        if (msg.error) fail(`subscription: ${msg.error.message.slice(0, 60)}`);
        else if (msg.result?.type === "started") viewer.held = true;
        else if (msg.result?.type === "data") viewer.events += 1;
      });
      ws.on("close", () => {
        if (!stopped) fail("ws closed by the server");
        viewer.held = false;
      });
      // Playback from 0: a 3-chunk start buffer, then one chunk per chunk duration.
      const playlistUrl = `${base}/media/${taskId}/hls/index.m3u8`;
      let next = 0;
      let playedUntil = performance.now();
      while (!stopped && Date.now() < until) {
        const pl = await get(playlistUrl, localAddress, agent);
        playlistMs[phase()].push(pl.ms);
        if (pl.status !== 200) fail(`playlist ${pl.status}`);
        const lines = pl.body.toString().split("\n");
        const chunks: { uri: string; sec: number }[] = [];
        for (let k = 0; k < lines.length; k++) {
          const m = /^#EXTINF:([\d.]+)/.exec(lines[k]!);
          if (m && lines[k + 1]) chunks.push({ sec: Number(m[1]), uri: lines[k + 1]!.trim() });
        }
        while (next < chunks.length && !stopped && Date.now() < until) {
          const c = chunks[next]!;
          const res = await get(`${base}/media/${taskId}/hls/${c.uri}`, localAddress, agent);
          chunkMs[phase()].push(res.ms);
          if (res.status !== 200 || res.body.length === 0) fail(`chunk ${res.status}`);
          next += 1;
          playedUntil += c.sec * 1000;
          // Buffer ahead at most 3 chunks' worth, like a player.
          const ahead = playedUntil - performance.now();
          if (next > 3 && ahead > 0) await sleep(Math.max(0, ahead - 2 * c.sec * 1000));
        }
        const target = Number(/#EXT-X-TARGETDURATION:(\d+)/.exec(pl.body.toString())?.[1] ?? 6);
        await sleep(target * 1000);
      }
    } catch (e) {
      if (!stopped) fail(`viewer: ${(e as Error).message.slice(0, 60)}`);
    }
  })();
  return viewer;
}

/** The web process's sockets to Redis, from CLIENT LIST matched against its open sockets. */
async function redisConnections(
  redis: Redis,
  webPid: number | undefined,
): Promise<{ web: number; all: number }> {
  const list = String(await redis.call("CLIENT", "LIST"))
    .trim()
    .split("\n");
  const all = list.length - 1; // without this connection
  if (!webPid) return { web: -1, all };
  const inodes = new Set<string>();
  for (const fd of await readdir(`/proc/${webPid}/fd`).catch(() => [] as string[])) {
    const link = await readlink(`/proc/${webPid}/fd/${fd}`).catch(() => "");
    const m = /^socket:\[(\d+)\]$/.exec(link);
    if (m) inodes.add(m[1]!);
  }
  const ports = new Set<number>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    const rows = (await readFile(table, "utf8").catch(() => "")).split("\n").slice(1);
    for (const row of rows) {
      const cols = row.trim().split(/\s+/);
      if (cols[9] && inodes.has(cols[9])) ports.add(parseInt(cols[1]!.split(":")[1]!, 16));
    }
  }
  const web = list.filter((l) => ports.has(Number(/addr=[^ ]*:(\d+) /.exec(l)?.[1]))).length;
  return { web, all };
}

async function rssMb(pid: number | undefined): Promise<{ now: number; peak: number }> {
  const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => "");
  const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
  return { now: Math.round(kb("VmRSS") / 1024), peak: Math.round(kb("VmHWM") / 1024) };
}

const pct = (xs: number[], p: number) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

say(
  `load: ${VIEWERS} viewers arriving over ${RAMP_MS / 1000} s, then ${HOLD_MS / 1000} s of load; ${UPLOADS} concurrent uploads`,
);
const stack = await startStack<TestDatabase>({
  name: "load",
  privateRedis: true,
  workers: 1,
  // Next's dev mode needs no production build; the load uses the API, the WebSocket and HLS only.
  web: "development",
  async database() {
    const { createTestDatabase } = await import("@vitranslator/db/testing");
    return createTestDatabase();
  },
});
// The dub is batch work, the viewers are not: the worker (and the ffmpeg it starts) runs at
// a lower CPU priority, as a deployment sharing one machine would run it.
for (const w of stack.workers) {
  for (const task of await readdir(`/proc/${w.pid}/task`).catch(() => [] as string[]))
    try {
      os.setPriority(Number(task), 10);
    } catch {
      // not ours to change: keep the default
    }
}
const monitor = new Redis(stack.redis!.url);
const viewers: Viewer[] = [];
try {
  say(`stack up at ${stack.baseUrl}`);
  const inputs = path.join(stack.dir, "inputs");
  const long = await makeSampleVideo({ dir: inputs, durationMs: 240_000, name: "watched" });
  const short = await makeSampleVideo({ dir: inputs, durationMs: 20_000, name: "upload" });
  const task = await uploadTask(stack.baseUrl, { video: long.video, subtitles: long.srt });
  say(`dubbing ${task.id} (240 s); waiting for its first chunk`);
  for (;;) {
    const s = await taskStatus(stack.baseUrl, task.id);
    if (s.segments.published > 0) break;
    if (s.status === "failed") throw new Error(`the watched task failed: ${s.error?.code}`);
    await sleep(500);
  }
  const idle = { redis: await redisConnections(monitor, stack.web!.pid), rss: await rssMb(stack.web!.pid) };
  say(
    `first chunk published; idle: web→Redis ${idle.redis.web} connections (all ${idle.redis.all}), web RSS ${idle.rss.now} MB`,
  );

  const until = Date.now() + RAMP_MS + HOLD_MS;
  // Where the time goes: the load script's own event loop and CPU, the web's and the worker's CPU.
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  const cpu0 = {
    self: process.cpuUsage(),
    web: (await cpuSeconds(stack.web!.pid)) ?? 0,
    worker: (await cpuSeconds(stack.workers[0]?.pid, { tree: true })) ?? 0,
  };
  const wall0 = performance.now();
  for (let i = 0; i < VIEWERS; i++) {
    viewers.push(startViewer(stack.baseUrl, task.id, i, until));
    await sleep(RAMP_MS / VIEWERS);
  }
  steady = true;
  say(`${VIEWERS} viewers started over ${RAMP_MS / 1000} s`);
  const uploads = Array.from({ length: UPLOADS }, async () => {
    const t0 = performance.now();
    try {
      await uploadTask(stack.baseUrl, { video: short.video, subtitles: short.srt });
      return performance.now() - t0;
    } catch (e) {
      fail(`upload: ${(e as Error).message.slice(0, 60)}`);
      return null;
    }
  });
  let peakRedis = idle.redis;
  let minHeld = Infinity;
  const rampEnd = Date.now() + 5_000;
  while (Date.now() < until) {
    await sleep(3000);
    const held = viewers.filter((v) => v.held).length;
    const r = await redisConnections(monitor, stack.web!.pid);
    if (r.web > peakRedis.web || r.all > peakRedis.all)
      peakRedis = { web: Math.max(r.web, peakRedis.web), all: Math.max(r.all, peakRedis.all) };
    if (Date.now() > rampEnd) minHeld = Math.min(minHeld, held);
    say(
      `held ${held}/${VIEWERS}, chunks ${chunkMs.steady.length} (p99 ${pct(chunkMs.steady, 99).toFixed(0)} ms), web→Redis ${r.web}, errors ${[...errors.values()].reduce((a, b) => a + b, 0)}`,
    );
  }
  const uploadMs = (await Promise.all(uploads)).filter((x): x is number => x !== null);
  lag.disable();
  const wallS = (performance.now() - wall0) / 1000;
  const selfCpu = process.cpuUsage(cpu0.self);
  const share = (s: number) => `${((100 * s) / wallS).toFixed(0)} %`;
  const cpu = {
    self: share((selfCpu.user + selfCpu.system) / 1e6),
    web: share(((await cpuSeconds(stack.web!.pid)) ?? 0) - cpu0.web),
    worker: share(((await cpuSeconds(stack.workers[0]?.pid, { tree: true })) ?? 0) - cpu0.worker),
  };
  const held = viewers.filter((v) => v.held).length;
  const end = { redis: await redisConnections(monitor, stack.web!.pid), rss: await rssMb(stack.web!.pid) };
  const status = await taskStatus(stack.baseUrl, task.id);
  const errorCount = [...errors.values()].reduce((a, b) => a + b, 0);
  console.log("\n--- load figures ---");
  console.log(
    `viewers held at the end: ${held}/${VIEWERS} (fewest after the ramp: ${minHeld === Infinity ? held : minHeld})`,
  );
  console.log(
    `live events per viewer: min ${Math.min(...viewers.map((v) => v.events))}, max ${Math.max(...viewers.map((v) => v.events))}`,
  );
  const fetches = (name: string, xs: { ramp: number[]; steady: number[] }) =>
    console.log(
      `${name} fetches, all ${VIEWERS} watching: ${xs.steady.length}, p50 ${pct(xs.steady, 50).toFixed(1)} ms, p99 ${pct(xs.steady, 99).toFixed(1)} ms, max ${Math.max(0, ...xs.steady).toFixed(0)} ms (during the ramp: ${xs.ramp.length}, p99 ${pct(xs.ramp, 99).toFixed(1)} ms)`,
    );
  fetches("chunk", chunkMs);
  fetches("playlist", playlistMs);
  console.log(
    `uploads: ${uploadMs.length}/${UPLOADS} accepted, ${uploadMs.map((m) => `${(m / 1000).toFixed(1)} s`).join(", ")}`,
  );
  console.log(
    `errors: ${errorCount}${errorCount ? ` (${[...errors].map(([k, n]) => `${k}: ${n}`).join("; ")})` : ""}`,
  );
  console.log(
    `Redis connections of the web process: ${idle.redis.web} idle, ${peakRedis.web} peak, ${end.redis.web} with ${held} viewers (all clients: ${idle.redis.all} → ${peakRedis.all} peak)`,
  );
  console.log(`web RSS: ${idle.rss.now} MB idle, ${end.rss.now} MB at the end, ${end.rss.peak} MB peak`);
  console.log(
    `CPU during the load (100 % = one core): web ${cpu.web}, worker + ffmpeg ${cpu.worker}, this script ${cpu.self}; this script's event-loop delay p99 ${(lag.percentile(99) / 1e6).toFixed(0)} ms`,
  );
  console.log(
    `machine: ${os.cpus().length} cores, load average ${os.loadavg()[1]!.toFixed(1)} over the last 5 min (other work included)`,
  );
  console.log(
    `watched task: ${status.status}, ${status.segments.published}/${status.segments.total} parts published`,
  );
  const ok =
    held === VIEWERS && pct(chunkMs.steady, 99) <= 250 && errorCount === 0 && peakRedis.web <= idle.redis.web;
  console.log(
    ok ? "\nload: target met" : "\nload: target missed (500 held, p99 ≤ 250 ms, no error, Redis flat)",
  );
} finally {
  for (const v of viewers) v.stop();
  monitor.disconnect();
  await stack.stop();
}
process.exit(0);
