/**
 * `npm run bench`: measures the real stack (web + worker processes, Postgres, Redis,
 * ffmpeg, eSpeak-NG) with the translation endpoint replaced by the local OpenAI-protocol
 * server at a configurable latency. Prints a table and writes bench/results.json.
 *
 *   npm run bench                      # 60 s and 10 min inputs, 720p and 1080p
 *   npm run bench -- --quick           # 60 s inputs only
 *   npm run bench -- --llm-latency 800
 *   npm run bench -- --watch           # also the viewer benchmark in Chromium (bench/watch.ts)
 *   npm run bench -- --watch-only --watch-inputs 30s,3min
 *   npm run bench -- --watch-only --watch-inputs 10min --watch-runs alone
 *   npm run bench -- --watch-only --watch-inputs 1080p-30s --watch-runs alone
 *   npm run bench -- --skip-build      # use the web app's existing production build
 *
 * results.json is merged: a run replaces the keys it measured and keeps the others.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import type { SampleVideo } from "@vitranslator/testkit";
import { taskStatus, uploadTask } from "@vitranslator/testkit/stack";
import { benchInput } from "./inputs";
import type { InputSpec } from "./inputs";
import { measureOverhead } from "./overhead";
import { buildWeb, ROOT, startBenchStack } from "./stack";
import type { BenchStack } from "./stack";
import { firstSegmentPath, formatPath, stageStats } from "./stages";
import { runWatchBench, WATCH_INPUTS } from "./watch";

const { values } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    "llm-latency": { type: "string", default: "300" },
    "skip-concurrency": { type: "boolean", default: false },
    "skip-build": { type: "boolean", default: false },
    watch: { type: "boolean", default: false },
    "watch-only": { type: "boolean", default: false },
    "watch-inputs": { type: "string" },
    /** Which viewer runs: `alone`, `together` (3 tasks submitted together), or both. */
    "watch-runs": { type: "string", default: "alone,together" },
    out: { type: "string", default: "bench/results.json" },
  },
});
const LLM_LATENCY = Number(values["llm-latency"]);
const WATCH = values.watch || values["watch-only"];
const WATCH_NAMES = (
  values["watch-inputs"] ?? (values.quick ? "30s,3min" : Object.keys(WATCH_INPUTS).join(","))
)
  .split(",")
  .map((x) => x.trim())
  .filter(Boolean);

const WATCH_COUNTS = values["watch-runs"]
  .split(",")
  .map((x) => x.trim())
  .filter(Boolean)
  .map((x) => {
    if (x === "alone") return 1;
    if (x === "together") return 3;
    throw new Error(`unknown --watch-runs ${x} (alone, together)`);
  });

const INPUTS: InputSpec[] = [
  { name: "720p-60s", width: 1280, height: 720, durationMs: 60_000 },
  { name: "1080p-60s", width: 1920, height: 1080, durationMs: 60_000 },
  ...(values.quick
    ? []
    : [
        { name: "720p-10min", width: 1280, height: 720, durationMs: 600_000 },
        { name: "1080p-10min", width: 1920, height: 1080, durationMs: 600_000 },
      ]),
];

interface TaskRun {
  id: string;
  uploadMs: number;
  firstSegmentMs: number;
  totalMs: number;
}

/** Uploads through the REST API and times: upload finished → first segment in the playlist → completed. */
async function runTask(stack: BenchStack, video: SampleVideo, t0 = Date.now()): Promise<TaskRun> {
  const {
    id,
    playlistUrl,
    uploadedAt: uploaded,
  } = await uploadTask(stack.baseUrl, {
    video: video.video,
    subtitles: video.srt,
  });
  let first = 0;
  for (;;) {
    if (!first) {
      const p = await fetch(stack.baseUrl + playlistUrl);
      // The first media chunk listed (any URI line), whatever the chunks are named.
      if (p.ok && /^[^#\s]/m.test(await p.text())) first = Date.now();
    }
    const s = await taskStatus(stack.baseUrl, id);
    if (s.status === "failed" || s.status === "cancelled")
      throw new Error(`task ${s.status}: ${s.error?.message}`);
    if (s.status === "completed") {
      if (!first) first = Date.now();
      return {
        id,
        uploadMs: uploaded - t0,
        firstSegmentMs: first - uploaded,
        totalMs: Date.now() - uploaded,
      };
    }
    await new Promise((r) => setTimeout(r, first ? 250 : 50));
  }
}

const fmt = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Time to first segment, real-time factor, stages, overhead, RSS and concurrency (the pipeline's figures). */
async function pipelineBench(): Promise<Record<string, unknown>> {
  const videos = new Map<string, SampleVideo>();
  for (const spec of INPUTS) videos.set(spec.name, await benchInput(spec));
  const results: Record<string, unknown>[] = [];
  const stack = await startBenchStack({ llmLatencyMs: LLM_LATENCY, workers: 1 });
  try {
    for (const spec of INPUTS) {
      const video = videos.get(spec.name)!;
      const run = await runTask(stack, video);
      const stages = await stageStats(stack, run.id);
      const firstPath = await firstSegmentPath(stack, run.id);
      const overhead = await measureOverhead({ stack, video });
      const row = {
        input: spec.name,
        mediaS: video.durationMs / 1000,
        uploadS: run.uploadMs / 1000,
        timeToFirstSegmentS: run.firstSegmentMs / 1000,
        totalS: run.totalMs / 1000,
        realTimeFactor: run.totalMs / video.durationMs,
        stages,
        firstSegmentPath: firstPath,
        overhead,
      };
      results.push(row);
      console.log(`  first segment path: ${formatPath(firstPath)}`);
      console.log(
        `${spec.name.padEnd(12)} first segment ${fmt(run.firstSegmentMs).padStart(7)}  total ${fmt(run.totalMs).padStart(8)}  RTF ${row.realTimeFactor.toFixed(2)}  overhead ${overhead.ratio.toFixed(2)}× floor (${fmt(overhead.pipelineMs)} vs ${fmt(overhead.floorMs)})`,
      );
    }
    const rss = { webMb: await stack.web!.peakRssMb(), workerMb: await stack.workers[0]!.peakRssMb() };
    console.log(`\npeak RSS: web+ws ${rss.webMb} MB, worker ${rss.workerMb} MB`);

    const concurrency: Record<string, unknown>[] = [];
    if (!values["skip-concurrency"]) {
      const video = videos.get("720p-60s")!;
      for (const workers of [1, 2, 4]) {
        await stack.setWorkers(workers);
        const t0 = Date.now();
        const runs = await Promise.all(Array.from({ length: 5 }, () => runTask(stack, video, t0)));
        const wall = Date.now() - t0;
        const ttfs = runs.map((r) => r.firstSegmentMs / 1000);
        concurrency.push({
          workers,
          tasks: 5,
          wallS: wall / 1000,
          throughputMediaSPerS: (5 * video.durationMs) / wall,
          timeToFirstSegmentS: ttfs,
        });
        console.log(
          `5 tasks, ${workers} worker process(es): wall ${fmt(wall)}, throughput ${((5 * video.durationMs) / wall).toFixed(2)}× real time, first segments ${ttfs.map((s) => s.toFixed(1)).join(" / ")} s`,
        );
      }
      const workerRss = await Promise.all(stack.workers.map((w) => w.peakRssMb()));
      console.log(`peak RSS of the 4 workers: ${workerRss.join(", ")} MB`);
      Object.assign(rss, { workersUnderLoadMb: workerRss });
    }
    return {
      date: new Date().toISOString(),
      llmLatencyMs: LLM_LATENCY,
      inputs: results,
      peakRss: rss,
      concurrency,
    };
  } finally {
    await stack.stop();
  }
}

/** The viewer benchmark on its own stack (one worker process, as `npm start` runs it). */
async function watchBench(): Promise<Record<string, unknown>> {
  const stack = await startBenchStack({ llmLatencyMs: LLM_LATENCY, workers: 1 });
  try {
    return {
      llmLatencyMs: LLM_LATENCY,
      workers: 1,
      ...(await runWatchBench({ stack, inputs: WATCH_NAMES, counts: WATCH_COUNTS })),
    };
  } finally {
    await stack.stop();
  }
}

/**
 * The viewer results of this run, keeping the earlier runs of the inputs and runs it did not
 * measure (each run carries the date it was measured), so inputs can be run one at a time.
 */
function mergeWatchRuns(before: unknown, now: Record<string, unknown>): Record<string, unknown> {
  type Run = { input: string; run: string; date?: string };
  const old = before as { date?: string; runs?: Run[] } | undefined;
  const runs = (now.runs as Run[]).map((r) => ({ ...r, date: now.date as string }));
  const measured = new Set(runs.map((r) => `${r.input}/${r.run}`));
  const kept = (old?.runs ?? [])
    .filter((r) => !measured.has(`${r.input}/${r.run}`))
    .map((r) => ({ ...r, date: r.date ?? old?.date }));
  return { ...now, runs: [...kept, ...runs] };
}

async function main() {
  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  console.log(`ViTranslator benchmark — ${os.cpus().length} cores (${cpu}), LLM latency ${LLM_LATENCY} ms\n`);
  if (!values["skip-build"]) buildWeb();
  const file = path.resolve(ROOT, values.out);
  const out: Record<string, unknown> = existsSync(file)
    ? (JSON.parse(await readFile(file, "utf8")) as Record<string, unknown>)
    : {};
  Object.assign(out, {
    machine: { cores: os.cpus().length, cpu, memoryGb: Math.round(os.totalmem() / 2 ** 30) },
    ffmpeg: spawnSync("ffmpeg", ["-version"], { encoding: "utf8" }).stdout.split("\n")[0],
  });
  if (!values["watch-only"]) Object.assign(out, await pipelineBench());
  if (WATCH) out.watch = mergeWatchRuns(out.watch, await watchBench());
  await writeFile(file, JSON.stringify(out, null, 2) + "\n");
  console.log(`\nwrote ${values.out}`);
}

await main();
// Exit even if a library left a handle open (the overhead run's in-process workers can leave
// Redis connections behind): a finished benchmark must not sit there.
process.exit(0);
