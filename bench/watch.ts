/**
 * The viewer benchmark (`npm run bench -- --watch`): what someone watching the dub sees, in
 * real Chromium. Each input is uploaded through the REST API; a page opens `/watch/<id>`
 * right after the POST answers and records from the `<video>` element the time to the first
 * frame playing, every stall, planned waits, and whether playback reaches `ended`. Each
 * input runs once alone and once as 3 tasks submitted together (three pages watching).
 */
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { probeDurationMs } from "@vitranslator/testkit";
import type { SampleVideo } from "@vitranslator/testkit";
import { cpuSeconds, downloadMp4, taskStatus, uploadTask, waitForTask } from "@vitranslator/testkit/stack";
import type { TaskStatus, UploadedTask } from "@vitranslator/testkit/stack";
import { launchChromium } from "../playwright/src/browser";
import { installWatchRecorder, watchUntilEnded } from "../playwright/src/watch-recorder";
import type { WatchRecord } from "../playwright/src/watch-recorder";
import { benchInput } from "./inputs";
import type { BenchStack } from "./stack";
import { firstSegmentPath, formatPath, videoParts } from "./stages";

export const WATCH_INPUTS: Record<string, number> = { "30s": 30_000, "3min": 180_000, "10min": 600_000 };

/** A viewer input by name: "30s", "3min", "10min" (720p), or any of them as "1080p-30s". */
export function watchInputSpec(name: string) {
  const m = /^(?:(1080p)-)?(.+)$/.exec(name);
  const durationMs = WATCH_INPUTS[m?.[2] ?? ""];
  if (!m || !durationMs)
    throw new Error(
      `unknown watch input ${name} (known: ${Object.keys(WATCH_INPUTS).join(", ")}, each also as 1080p-<name>)`,
    );
  const [width, height] = m[1] ? [1920, 1080] : [1280, 720];
  return { name: `${m[1] ?? "720p"}-${m[2]}`, width, height, durationMs };
}
/** A page still playing after the task completed gives up when its position has not moved for this long. */
const STUCK_MS = 60_000;
/** Several pages watch at once: none may be throttled as a background tab. */
const CHROMIUM_ARGS = [
  "--disable-background-timer-throttling",
  "--disable-renderer-backgrounding",
  "--disable-backgrounding-occluded-windows",
];

const s3 = (ms: number) => Math.round(ms) / 1000;

/** The browser process this benchmark launched: our child whose command name is Chromium's. */
async function chromiumPid(): Promise<number | undefined> {
  for (const d of await readdir("/proc")) {
    const stat = await readFile(`/proc/${d}/stat`, "utf8").catch(() => "");
    const m = /^(\d+) \((.*)\) \S+ (\d+)/.exec(stat);
    if (m && Number(m[3]) === process.pid && /chrom/i.test(m[2]!)) return Number(m[1]);
  }
  return undefined;
}

export interface WatchRun {
  input: string;
  run: "alone" | "3 together";
  taskId: string;
  mediaS: number;
  uploadS: number;
  /** Upload end (the POST's response) → the first frame playing. */
  firstFrameS: number | null;
  firstFramePositionS: number | null;
  stallCount: number;
  stallTotalS: number;
  stalls: { atS: number; durationS: number; cause: string; open: boolean }[];
  /** Waits the player announced ("planned-wait"; "dubbing-seek" is listed, not summed). */
  plannedWaitCount: number;
  plannedWaitS: number;
  plannedWaits: {
    state: string;
    atS: number;
    afterUploadS: number;
    durationS: number;
    message: string | null;
  }[];
  stateS: Record<string, number>;
  ended: boolean;
  /** Upload end → `ended`. */
  endedS: number | null;
  /** currentTime and video.duration when playback ended (or when watching stopped). */
  positionS: number | null;
  durationS: number | null;
  /** Media seconds played continuously (seeks excluded). */
  playedS: number;
  finalMp4S: number | null;
  /** Upload end → task completed. */
  dubbedS: number | null;
  seeks: number;
  droppedFrames: number | null;
  totalFrames: number | null;
  stoppedBecause: string | null;
  errors: string[];
  firstPartPath: { stage: string; ms: number }[];
  /** Parts that copied the source video vs re-encoded it, and the segment stage's cost each way. */
  videoParts: Awaited<ReturnType<typeof videoParts>>;
}

interface Viewer {
  page: Page;
  close(): Promise<void>;
}

async function openViewer(browser: Browser): Promise<Viewer> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await installWatchRecorder(page);
  return { page, close: () => context.close() };
}

function summarise(o: {
  input: string;
  run: WatchRun["run"];
  video: SampleVideo;
  task: UploadedTask;
  record: WatchRecord | null;
  stoppedBecause: string | null;
  completedAt: number | null;
  finalMp4Ms: number | null;
  firstPartPath: WatchRun["firstPartPath"];
  videoParts: WatchRun["videoParts"];
  errors: string[];
}): WatchRun {
  const r = o.record;
  const since = (t: number | null | undefined) => (t == null ? null : s3(t - o.task.uploadedAt));
  const stalls = (r?.stalls ?? []).map((s) => ({
    atS: s3(s.positionS * 1000),
    durationS: s3(s.durationMs),
    cause: s.cause,
    open: s.open,
  }));
  const waits = (r?.plannedWaits ?? []).map((w) => ({
    state: w.state,
    atS: s3(w.positionS * 1000),
    afterUploadS: since(w.startedAtMs)!,
    durationS: s3(w.durationMs),
    message: w.message,
  }));
  const planned = waits.filter((w) => w.state === "planned-wait");
  return {
    input: o.input,
    run: o.run,
    taskId: o.task.id,
    mediaS: s3(o.video.durationMs),
    uploadS: s3(o.task.uploadMs),
    firstFrameS: since(r?.firstFrameAtMs),
    firstFramePositionS: r?.firstFramePositionS ?? null,
    stallCount: stalls.length,
    stallTotalS: s3(stalls.reduce((a, s) => a + s.durationS * 1000, 0)),
    stalls,
    plannedWaitCount: planned.length,
    plannedWaitS: s3(planned.reduce((a, w) => a + w.durationS * 1000, 0)),
    plannedWaits: waits,
    stateS: Object.fromEntries(Object.entries(r?.stateMs ?? {}).map(([k, v]) => [k, s3(v)])),
    ended: r?.ended ?? false,
    endedS: since(r?.endedAtMs),
    positionS: r?.positionS ?? null,
    durationS: r?.durationS ?? null,
    playedS: s3((r?.playedS ?? 0) * 1000),
    finalMp4S: o.finalMp4Ms === null ? null : s3(o.finalMp4Ms),
    dubbedS: since(o.completedAt),
    seeks: r?.seeks.length ?? 0,
    droppedFrames: r?.droppedFrames ?? null,
    totalFrames: r?.totalFrames ?? null,
    stoppedBecause: o.stoppedBecause,
    errors: [...o.errors, ...(r?.errors ?? [])],
    firstPartPath: o.firstPartPath,
    videoParts: o.videoParts,
  };
}

/** One viewer: upload, open the watch page at once, record until `ended` or a bounded deadline. */
async function watchTask(o: {
  stack: BenchStack;
  viewer: Viewer;
  video: SampleVideo;
  input: string;
  run: WatchRun["run"];
}): Promise<WatchRun> {
  const { stack, viewer, video } = o;
  const errors: string[] = [];
  viewer.page.on("pageerror", (e) => errors.push(`page error: ${e.message}`));
  const task = await uploadTask(stack.baseUrl, { video: video.video, subtitles: video.srt });
  await viewer.page
    .goto(stack.baseUrl + task.watchUrl, { waitUntil: "domcontentloaded", timeout: 60_000 })
    .catch((e: Error) => errors.push(`navigation: ${e.message}`));
  let status: TaskStatus | null = null;
  let completedAt: number | null = null;
  let lastPosition: number | null = null;
  let movedAt = Date.now();
  const { record, stoppedBecause } = await watchUntilEnded(viewer.page, {
    // Generous: twice the media plus two minutes, so a slow dub is measured, never hangs.
    deadline: task.uploadedAt + 2 * video.durationMs + 120_000,
    async giveUp(rec) {
      status = await taskStatus(stack.baseUrl, task.id).catch(() => status);
      if (status?.status === "completed") completedAt ??= Date.now();
      if (status?.status === "failed" || status?.status === "cancelled")
        return `task ${status.status}${status.error ? `: ${status.error.code}` : ""}`;
      const position = rec?.positionS ?? null;
      if (position !== lastPosition) {
        lastPosition = position;
        movedAt = Date.now();
      }
      if (completedAt && Date.now() - Math.max(movedAt, completedAt) > STUCK_MS)
        return `no progress for ${STUCK_MS / 1000} s after the task completed`;
      return null;
    },
  });
  let finalMp4Ms: number | null = null;
  if (!completedAt) {
    const end = await waitForTask(stack.baseUrl, task.id, { timeoutMs: 60_000 }).catch(() => null);
    if (end?.status === "completed") completedAt = Date.now();
  }
  if (completedAt) {
    const dir = await mkdtemp(path.join(os.tmpdir(), "vt-watch-"));
    try {
      await downloadMp4(stack.baseUrl, task.id, path.join(dir, "dubbed.mp4"));
      finalMp4Ms = await probeDurationMs(path.join(dir, "dubbed.mp4"));
    } catch (e) {
      errors.push((e as Error).message);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  return summarise({
    input: o.input,
    run: o.run,
    video,
    task,
    record,
    stoppedBecause,
    completedAt,
    finalMp4Ms,
    firstPartPath: await firstSegmentPath(stack, task.id),
    videoParts: await videoParts(stack, task.id),
    errors,
  });
}

/** `count` viewers at once: their uploads start together, each page opens its own task. */
async function watchTogether(o: {
  stack: BenchStack;
  browser: Browser;
  video: SampleVideo;
  input: string;
  count: number;
}): Promise<WatchRun[]> {
  const viewers = await Promise.all(Array.from({ length: o.count }, () => openViewer(o.browser)));
  const run = o.count === 1 ? "alone" : "3 together";
  try {
    return await Promise.all(viewers.map((viewer) => watchTask({ ...o, viewer, run })));
  } finally {
    await Promise.all(viewers.map((v) => v.close()));
  }
}

const sec = (s: number | null) => (s === null ? "—" : `${s.toFixed(1)} s`);
const clock = (s: number) => `${Math.floor(s / 60)}:${(s % 60).toFixed(1).padStart(4, "0")}`;

export function printWatchRun(r: WatchRun): void {
  const played = r.durationS ?? r.positionS;
  console.log(
    [
      r.input.padEnd(6),
      r.run.padEnd(10),
      `first frame ${sec(r.firstFrameS).padStart(7)}`,
      `stalls ${String(r.stallCount).padStart(2)} (${sec(r.stallTotalS)})`,
      `planned ${r.plannedWaitCount} (${sec(r.plannedWaitS)})`,
      r.ended
        ? `ended at ${sec(r.endedS)}`
        : `NOT ended (at ${sec(r.positionS)}: ${r.stoppedBecause ?? "?"})`,
      `played ${sec(played)} / mp4 ${sec(r.finalMp4S)}`,
      `dubbed in ${sec(r.dubbedS)}`,
    ].join("  "),
  );
  for (const s of r.stalls) console.log(`    stall at ${clock(s.atS)} for ${sec(s.durationS)} (${s.cause})`);
  for (const w of r.plannedWaits)
    console.log(`    ${w.state} at ${clock(w.atS)} for ${sec(w.durationS)}: ${w.message ?? "(no message)"}`);
  for (const e of r.errors) console.log(`    ${e}`);
  console.log(`    first part: ${formatPath(r.firstPartPath)}`);
  const v = r.videoParts;
  const p50 = (ms: number | null) => (ms === null ? "–" : `${(ms / 1000).toFixed(1)} s`);
  console.log(
    `    video: ${v.copied}/${v.parts} parts copied; segment stage p50 copied ${p50(v.segmentP50MsCopied)}, re-encoded ${p50(v.segmentP50MsReencoded)}`,
  );
}

/** The summary table (markdown, ready for the README). */
export function printWatchTable(runs: WatchRun[]): void {
  console.log(
    "\n| input | run | first frame | stalls | stalled | planned waits | ended | played / final MP4 | dubbed in |",
  );
  console.log("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
  for (const r of runs) {
    const ended = r.ended ? "yes" : `no (at ${sec(r.positionS)})`;
    const cells = [
      r.input,
      r.run,
      sec(r.firstFrameS),
      String(r.stallCount),
      sec(r.stallTotalS),
      `${r.plannedWaitCount} (${sec(r.plannedWaitS)})`,
      ended,
      `${sec(r.durationS ?? r.positionS)} / ${sec(r.finalMp4S)}`,
      sec(r.dubbedS),
    ];
    console.log(`| ${cells.join(" | ")} |`);
  }
}

export interface WatchResults {
  date: string;
  inputs: string[];
  runs: WatchRun[];
  /** CPU seconds used during all runs: the dubbing (web + workers, their ffmpeg included) and Chromium. */
  cpuS: { stack: number | null; chromium: number | null; wallS: number };
  /** The machine's 1-minute load average before and after: other work on a shared box shows here. */
  loadAvg: { start: number; end: number };
  peakRss: { webMb: number | null; workerMb: (number | null)[] };
}

export async function runWatchBench(opts: {
  stack: BenchStack;
  inputs: string[];
  /** Tasks submitted together in each run: 1 (alone), 3, or both (the default). */
  counts?: readonly number[];
}): Promise<WatchResults> {
  const counts = opts.counts ?? [1, 3];
  const { stack } = opts;
  const videos = new Map<string, SampleVideo>();
  for (const name of opts.inputs) {
    videos.set(name, await benchInput(watchInputSpec(name)));
  }
  const browser = await launchChromium({ extraArgs: CHROMIUM_ARGS });
  const stackCpu = async () => {
    const xs = await Promise.all([stack.web, ...stack.workers].map((p) => cpuSeconds(p?.pid)));
    return xs.some((x) => x === null) ? null : xs.reduce((a, b) => a! + b!, 0)!;
  };
  const browserPid = await chromiumPid();
  const t0 = Date.now();
  const load0 = os.loadavg()[0]!;
  const [stack0, chromium0] = [await stackCpu(), await cpuSeconds(browserPid, { tree: true })];
  const runs: WatchRun[] = [];
  try {
    const runsSaid = counts.map((c) => (c === 1 ? "alone" : `${c} together`)).join(" and ");
    console.log(
      `\nviewer benchmark (Chromium; 720p unless named 1080p): ${opts.inputs.join(", ")}, ${runsSaid}`,
    );
    for (const count of counts)
      for (const input of opts.inputs) {
        const got = await watchTogether({ stack, browser, video: videos.get(input)!, input, count });
        for (const r of got) printWatchRun(r);
        runs.push(...got);
      }
    printWatchTable(runs);
    const [stack1, chromium1] = [await stackCpu(), await cpuSeconds(browserPid, { tree: true })];
    const diff = (a: number | null, b: number | null) =>
      a === null || b === null ? null : s3((b - a) * 1000);
    const cpuS = {
      stack: diff(stack0, stack1),
      chromium: diff(chromium0, chromium1),
      wallS: s3(Date.now() - t0),
    };
    const loadAvg = { start: load0, end: os.loadavg()[0]! };
    console.log(
      `CPU during the viewer runs: dubbing ${sec(cpuS.stack)}, Chromium ${sec(cpuS.chromium)} of ${sec(cpuS.wallS)} wall × ${os.cpus().length} cores; load average ${loadAvg.start.toFixed(1)} → ${loadAvg.end.toFixed(1)}`,
    );
    return {
      date: new Date().toISOString(),
      inputs: opts.inputs,
      runs,
      cpuS,
      loadAvg,
      peakRss: {
        webMb: (await stack.web?.peakRssMb()) ?? null,
        workerMb: await Promise.all(stack.workers.map((w) => w.peakRssMb())),
      },
    };
  } finally {
    await browser.close();
  }
}
