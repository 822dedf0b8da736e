/**
 * `npm run chaos`: dubs a few generated videos on a private stack (own Redis and Postgres
 * on other ports, own queue prefix and storage) while it SIGKILLs worker processes 20
 * times, restarts Redis, Postgres and the web server (with a client watching the tRPC
 * subscription), then checks that nothing was lost or doubled. Exits non-zero on any loss.
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { createTRPCClient, createWSClient, wsLink } from "@trpc/client";
import type { AppRouter } from "@vitranslator/api";
import type { TestDatabase } from "@vitranslator/db/testing";
import { hls, layout } from "@vitranslator/pipeline/layout";
import { makeSampleVideo, probeDurationMs } from "@vitranslator/testkit";
import type { SampleVideo } from "@vitranslator/testkit";
import { startStack, uploadTask, waitUntil } from "@vitranslator/testkit/stack";
import { Redis } from "ioredis";
import WebSocket from "ws";

const WORKER_KILLS = 20;
/** Faults stop being injected after DEADLINE_MS; the tasks then get until FINISH_MS to complete. */
const DEADLINE_MS = 8 * 60_000;
const FINISH_MS = 11 * 60_000;
const started = Date.now();
const elapsed = () => ((Date.now() - started) / 1000).toFixed(1);
const say = (msg: string) => console.log(`[${elapsed()}s] ${msg}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const rand = (lo: number, hi: number) => lo + Math.random() * (hi - lo);

const stack = await startStack<TestDatabase>({
  name: "chaos",
  privateRedis: true,
  privatePostgres: true,
  workers: 2,
  // Next's dev mode needs no production build (another checkout may be rebuilding it);
  // the chaos run only uses the REST API and the tRPC WebSocket, never the pages.
  web: "development",
  logFiles: true,
  env: { RATE_LIMIT_PER_MINUTE: "1000" },
  async database({ adminUrl }) {
    // db/testing reads its admin URL when it is first imported.
    process.env.TEST_DATABASE_ADMIN_URL = adminUrl!;
    const { createTestDatabase } = await import("@vitranslator/db/testing");
    return createTestDatabase();
  },
});
const redis = stack.redis!;
const pg = stack.postgres!;
const web = stack.web!;
const { workers } = stack;
const t = stack.db;
const tmp = stack.dir;
say(`redis :${redis.port}, postgres :${pg.port}, files in ${tmp}`);
const webUp = () => stack.waitForWeb();

interface FaultRow {
  fault: string;
  at: string;
  recoveryS: number | null;
}
const faults: FaultRow[] = [];
const progressQuery = () =>
  t.db.stageRun.count({ where: { finishedAt: { not: null }, errorCode: null } }).catch(() => null);

/** Seconds from `since` until stage work finishes again (a stage run completes). */
async function recovery(since: number, timeoutMs = 120_000): Promise<number | null> {
  let before: number | null = null;
  while (before === null) before = await progressQuery();
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const now = await progressQuery();
    if (now !== null && now > before) return (Date.now() - since) / 1000;
    if (await allDone()) return (Date.now() - since) / 1000;
    await sleep(200);
  }
  return null;
}

interface Submitted {
  id: string;
  sample: SampleVideo;
}
const submitted: Submitted[] = [];
const samples: SampleVideo[] = [];
for (const [i, ms] of [30_000, 24_000, 36_000].entries()) {
  samples.push(await makeSampleVideo({ dir: path.join(tmp, "inputs"), durationMs: ms, name: `clip-${i}` }));
}

async function submit(sample: SampleVideo): Promise<void> {
  for (;;) {
    const task = await uploadTask(stack.baseUrl, { video: sample.video, subtitles: sample.srt }).catch(
      () => null,
    );
    if (task) {
      submitted.push({ id: task.id, sample });
      say(`submitted ${task.id} (${sample.durationMs / 1000} s)`);
      return;
    }
    await sleep(500);
  }
}

async function statuses(): Promise<Map<string, string>> {
  const rows = await t.db.task
    .findMany({ where: { id: { in: submitted.map((s) => s.id) } }, select: { id: true, status: true } })
    .catch(() => []);
  return new Map(rows.map((r) => [r.id, r.status]));
}
async function allDone(): Promise<boolean> {
  const s = await statuses();
  return (
    submitted.length > 0 &&
    [...s.values()].length === submitted.length &&
    [...s.values()].every((v) => v !== "queued" && v !== "processing")
  );
}

// --- the watched subscription --------------------------------------------------------
const watched: { ids: string[]; completed: boolean; reconnectedAt: number | null } = {
  ids: [],
  completed: false,
  reconnectedAt: null,
};
let lastEventAt = 0;
function watch(taskId: string) {
  const wsClient = createWSClient({
    url: `ws://127.0.0.1:${stack.port}/api/trpc-ws`,
    WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
    retryDelayMs: () => 300,
  });
  const client = createTRPCClient<AppRouter>({ links: [wsLink({ client: wsClient })] });
  const sub = client.task.events.subscribe(
    { id: taskId, lastEventId: null },
    {
      onData(d) {
        watched.ids.push(d.id);
        lastEventAt = Date.now();
        if (d.data.type === "task" && (d.data.status === "completed" || d.data.status === "failed"))
          watched.completed = true;
      },
      onError(err) {
        say(`subscription error: ${err.message}`);
      },
    },
  );
  return () => {
    sub.unsubscribe();
    void wsClient.close();
  };
}

/** Ends everything at once (SIGKILL) and keeps the logs for a post-mortem. */
const cleanup = () => stack.stop({ kill: true, keepFiles: true });
process.on("uncaughtException", (err) => {
  console.error(err);
  void cleanup().finally(() => process.exit(2));
});
process.on("unhandledRejection", (err) => {
  console.error(err);
  void cleanup().finally(() => process.exit(2));
});

// --- run -----------------------------------------------------------------------------
say("stack up");
await submit(samples[0]!);
const stopWatching = watch(submitted[0]!.id);
await submit(samples[1]!);

let kills = 0;
let extra = 0;
const special: Record<number, () => Promise<string>> = {
  5: async () => {
    await redis.restart(1500);
    return "redis restart";
  },
  10: async () => {
    await web.restart("SIGKILL");
    await webUp();
    return "web/ws restart";
  },
  15: async () => {
    await pg.restart(1500);
    return "postgres restart";
  },
};
while (kills < WORKER_KILLS && Date.now() - started < DEADLINE_MS) {
  await sleep(rand(2500, 6000));
  // Keep work in flight until every fault is injected.
  const s = await statuses();
  const active = [...s.values()].filter((v) => v === "queued" || v === "processing").length;
  if (active < 2 && extra < 6) await submit(samples[extra++ % samples.length]!);
  const w = workers[kills % workers.length]!;
  const at = Date.now();
  await w.restart("SIGKILL");
  kills++;
  const row: FaultRow = { fault: `SIGKILL ${w.name} (#${kills})`, at: elapsed(), recoveryS: null };
  faults.push(row);
  row.recoveryS = await recovery(at);
  const extraFault = special[kills];
  if (extraFault) {
    const at2 = Date.now();
    const eventsBefore = lastEventAt;
    const name = await extraFault();
    const row2: FaultRow = { fault: name, at: elapsed(), recoveryS: null };
    faults.push(row2);
    if (name.startsWith("web")) {
      await waitUntil(
        () => Promise.resolve(lastEventAt > eventsBefore || watched.completed),
        120_000,
        "subscription",
      ).catch(() => undefined);
      row2.recoveryS = lastEventAt > eventsBefore ? (lastEventAt - at2) / 1000 : null;
    } else row2.recoveryS = await recovery(at2);
  }
}
say(`faults injected; waiting for ${submitted.length} tasks`);
await waitUntil(allDone, Math.max(120_000, FINISH_MS - (Date.now() - started)), "all tasks").catch(
  (e: Error) => say(e.message),
);
await waitUntil(() => Promise.resolve(watched.completed), 30_000, "watched task's last event").catch(
  () => undefined,
);
stopWatching();

// --- verify --------------------------------------------------------------------------
let completed = 0;
let lost = 0;
let duplicates = 0;
const problems: string[] = [];
for (const s of submitted) {
  const task = await t.db.task.findUnique({
    where: { id: s.id },
    include: { segments: true, sentences: true },
  });
  if (task?.status !== "completed") {
    problems.push(
      `${s.id}: ${task?.status ?? "missing"} ${task?.errorCode ?? ""} ${task?.errorMessage ?? ""}`,
    );
    lost += task?.segmentCount ?? 1;
    continue;
  }
  completed++;
  const dir = path.join(stack.storageDir, "tasks", s.id);
  // The dub's audio rendition (every task has one; the video rendition shares its chunk cuts).
  const language = task.targetLanguage;
  const playlist = await readFile(layout.hlsFile(dir, hls.audioPlaylist(language)), "utf8");
  const uris = playlist.split("\n").filter((l) => l.endsWith(".ts"));
  // Each part publishes its chunks (durations in Segment.chunkMs) in order, parts in order.
  const parts = task.segments.filter((p) => p.language === language).sort((a, b) => a.index - b.index);
  const expected = parts.flatMap((p) => p.chunkMs.map((_, j) => hls.audioChunk(language, p.index, j)));
  const unpublished = (task.segmentCount ?? 0) - parts.filter((p) => p.chunkMs.length > 0).length;
  const seen = new Set(uris);
  duplicates += uris.length - seen.size;
  lost += unpublished + expected.filter((u) => !seen.has(u)).length;
  if (unpublished > 0) problems.push(`${s.id}: ${unpublished} parts without chunks`);
  if (uris.join() !== expected.join()) problems.push(`${s.id}: playlist ${uris.join(" ")}`);
  if (!playlist.trim().endsWith("#EXT-X-ENDLIST")) problems.push(`${s.id}: no ENDLIST`);
  const drift = Math.abs((await probeDurationMs(layout.finalMp4(dir, language))) - s.sample.durationMs);
  if (!(drift < 500)) problems.push(`${s.id}: final MP4 off by ${drift.toFixed(0)} ms`);
  const untranslated = task.sentences.filter(
    (x) => x.language === language && (!x.translation || x.speed === null),
  ).length;
  if (untranslated > 0) problems.push(`${s.id}: ${untranslated} sentences not dubbed`);
}
// The watched client saw the stream exactly: same ids, in order, none twice.
const r = new Redis(redis.url);
const stream = (await r.xrange(`${stack.queuePrefix}:events:${submitted[0]!.id}`, "-", "+")).map(
  ([id]) => id,
);
r.disconnect();
const wsDup = watched.ids.length - new Set(watched.ids).size;
const wsGap = stream.filter((id) => !watched.ids.includes(id)).length;
duplicates += wsDup;
lost += wsGap;
if (watched.ids.join() !== stream.join()) problems.push(`subscription: ${wsGap} missing, ${wsDup} doubled`);

console.log("\n| fault | at (s) | recovery (s) |\n| --- | --- | --- |");
for (const f of faults) console.log(`| ${f.fault} | ${f.at} | ${f.recoveryS?.toFixed(1) ?? "none"} |`);
const summary = {
  faultsInjected: faults.length,
  workerKills: kills,
  tasks: submitted.length,
  tasksCompleted: completed,
  segmentsLost: lost,
  duplicates,
  subscriptionEvents: watched.ids.length,
  maxRecoveryS: Math.max(...faults.map((f) => f.recoveryS ?? Infinity)),
  durationS: Number(elapsed()),
};
console.log("\n| metric | value |\n| --- | --- |");
for (const [k, v] of Object.entries(summary)) console.log(`| ${k} | ${v} |`);
for (const p of problems) console.log(`PROBLEM ${p}`);

const ok = problems.length === 0 && lost === 0 && duplicates === 0 && completed === submitted.length;
await writeFile(path.join(tmp, "summary.json"), JSON.stringify({ summary, faults, problems }, null, 2));
await stack.stop({ kill: true, keepFiles: !ok });
if (!ok) say(`logs kept in ${tmp}`);
console.log(ok ? "\nchaos: OK" : "\nchaos: FAILED");
process.exit(ok ? 0 : 1);
