/**
 * `npm run bench`: measures the real stack (web + worker processes, Postgres, Redis,
 * ffmpeg, eSpeak-NG) with the translation endpoint replaced by the local OpenAI-protocol
 * server at a configurable latency. Prints a table and writes bench/results.json.
 *
 *   npm run bench                      # 60 s and 10 min inputs, 720p and 1080p
 *   npm run bench -- --quick           # 60 s inputs only
 *   npm run bench -- --llm-latency 800
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { makeSampleVideo, startFakeOpenAi } from "@vitranslator/testkit";
import type { SampleVideo } from "@vitranslator/testkit";
import { peakRssMb, ROOT, startBenchStack } from "./stack";
import type { BenchStack } from "./stack";
import { measureOverhead } from "./overhead";

const { values } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    "llm-latency": { type: "string", default: "300" },
    "skip-concurrency": { type: "boolean", default: false },
    out: { type: "string", default: "bench/results.json" },
  },
});
const LLM_LATENCY = Number(values["llm-latency"]);
const INPUT_DIR = path.join(ROOT, "bench", "out", "inputs");

interface InputSpec {
  name: string;
  width: number;
  height: number;
  durationMs: number;
}

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

async function input(spec: InputSpec): Promise<SampleVideo> {
  const meta = path.join(INPUT_DIR, `${spec.name}.json`);
  if (existsSync(meta)) return JSON.parse(await readFile(meta, "utf8")) as SampleVideo;
  process.stdout.write(`generating ${spec.name}… `);
  const v = await makeSampleVideo({
    dir: INPUT_DIR,
    name: spec.name,
    durationMs: spec.durationMs,
    width: spec.width,
    height: spec.height,
    fps: 30,
    music: true,
  });
  await writeFile(meta, JSON.stringify(v));
  console.log("done");
  return v;
}

const quantile = (xs: number[], q: number) => {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};

interface TaskRun {
  id: string;
  uploadMs: number;
  firstSegmentMs: number;
  totalMs: number;
}

/** Uploads through the REST API and times: upload finished → first segment in the playlist → completed. */
async function runTask(stack: BenchStack, video: SampleVideo, t0 = Date.now()): Promise<TaskRun> {
  const form = new FormData();
  form.set("targetLanguage", "fr");
  form.set("subtitles", new Blob([await readFile(video.srt)]), "subs.srt");
  form.set("video", new Blob([await readFile(video.video)]), path.basename(video.video));
  const res = await fetch(`${stack.baseUrl}/api/tasks`, { method: "POST", body: form });
  if (res.status !== 201) throw new Error(`upload failed: ${res.status} ${await res.text()}`);
  const { id, playlistUrl } = (await res.json()) as { id: string; playlistUrl: string };
  const uploaded = Date.now();
  let first = 0;
  for (;;) {
    if (!first) {
      const p = await fetch(stack.baseUrl + playlistUrl);
      if (p.ok && (await p.text()).includes("seg_0.ts")) first = Date.now();
    }
    const s = (await fetch(`${stack.baseUrl}/api/tasks/${id}`).then((r) => r.json())) as {
      status: string;
      error?: { message: string };
    };
    if (s.status === "failed") throw new Error(`task failed: ${s.error?.message}`);
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

/** The first segment's critical path: planning, then each stage of segment 0, in order. */
async function firstSegmentPath(stack: BenchStack, taskId: string) {
  const runs = await stack.db.db.stageRun.findMany({
    where: { taskId, segmentIndex: { in: [-1, 0] } },
    orderBy: { startedAt: "asc" },
  });
  return runs.map((r) => ({ stage: r.segmentIndex === -1 ? "plan" : r.stage, ms: r.durationMs ?? 0 }));
}

async function stageStats(stack: BenchStack, taskId: string) {
  const runs = await stack.db.db.stageRun.findMany({ where: { taskId } });
  const by = new Map<string, number[]>();
  for (const r of runs) by.set(r.stage, [...(by.get(r.stage) ?? []), r.durationMs ?? 0]);
  const total = runs.reduce((a, r) => a + (r.durationMs ?? 0), 0);
  return Object.fromEntries(
    [...by].map(([stage, xs]) => [
      stage,
      {
        p50: quantile(xs, 0.5),
        p95: quantile(xs, 0.95),
        sumMs: xs.reduce((a, b) => a + b, 0),
        share: total ? xs.reduce((a, b) => a + b, 0) / total : 0,
      },
    ]),
  );
}

const fmt = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function main() {
  await mkdir(INPUT_DIR, { recursive: true });
  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  console.log(`ViTranslator benchmark — ${os.cpus().length} cores (${cpu}), LLM latency ${LLM_LATENCY} ms\n`);
  const llm = await startFakeOpenAi({ latencyMs: LLM_LATENCY });
  const videos = new Map<string, SampleVideo>();
  for (const spec of INPUTS) videos.set(spec.name, await input(spec));

  const results: Record<string, unknown>[] = [];
  const stack = await startBenchStack({ llmUrl: llm.url, workers: 1 });
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
      console.log(
        `  first segment path: ${firstPath.map((p) => `${p.stage} ${(p.ms / 1000).toFixed(1)}`).join(" → ")} s`,
      );
      console.log(
        `${spec.name.padEnd(12)} first segment ${fmt(run.firstSegmentMs).padStart(7)}  total ${fmt(run.totalMs).padStart(8)}  RTF ${row.realTimeFactor.toFixed(2)}  overhead ${overhead.ratio.toFixed(2)}× floor (${fmt(overhead.pipelineMs)} vs ${fmt(overhead.floorMs)})`,
      );
    }
    const rss = { webMb: await peakRssMb(stack.web.pid), workerMb: await peakRssMb(stack.workers[0]?.pid) };
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
      const workerRss = await Promise.all(stack.workers.map((w) => peakRssMb(w.pid)));
      console.log(`peak RSS of the 4 workers: ${workerRss.join(", ")} MB`);
      Object.assign(rss, { workersUnderLoadMb: workerRss });
    }
    const out = {
      date: new Date().toISOString(),
      machine: { cores: os.cpus().length, cpu, memoryGb: Math.round(os.totalmem() / 2 ** 30) },
      ffmpeg: spawnSync("ffmpeg", ["-version"], { encoding: "utf8" }).stdout.split("\n")[0],
      llmLatencyMs: LLM_LATENCY,
      inputs: results,
      peakRss: rss,
      concurrency,
    };
    await writeFile(path.resolve(ROOT, values.out), JSON.stringify(out, null, 2) + "\n");
    console.log(`\nwrote ${values.out}`);
  } finally {
    await stack.stop();
    await llm.close();
  }
}

await main();
