/**
 * Orchestration overhead: the same task with engines that answer at once (instant TTS,
 * zero-latency translation), compared with the unavoidable media work measured in the
 * same run — an ffmpeg-only pass that extracts the audio and remuxes the video with it.
 */
import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { copyFile, mkdir, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { startWorkers } from "../apps/workers/src/app";
import { loadEnv } from "../apps/workers/src/env";
import { createTask, getTaskStatus, hashToken, newTaskId } from "@vitranslator/db";
import { createLlmClient, createOpenAiTranslator, STAGE_NAMES } from "@vitranslator/pipeline";
import { createLogger } from "@vitranslator/service";
import { closeQueues, createQueues, createRedis, enqueue } from "@vitranslator/queue";
import { createInstantTts, startFakeOpenAi } from "@vitranslator/testkit";
import type { SampleVideo } from "@vitranslator/testkit";
import type { BenchStack } from "./stack";

function timed(args: string[]): number {
  const t = Date.now();
  const r = spawnSync("ffmpeg", ["-hide_banner", "-nostdin", "-y", ...args], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`ffmpeg failed: ${r.stderr.slice(-500)}`);
  return Date.now() - t;
}

export async function measureOverhead(opts: { stack: BenchStack; video: SampleVideo }) {
  const work = await mkdtemp(path.join(os.tmpdir(), "vt-floor-"));
  const floorMs =
    timed(["-i", opts.video.video, "-vn", "-ac", "2", "-ar", "44100", path.join(work, "audio.wav")]) +
    timed([
      "-i",
      opts.video.video,
      "-i",
      path.join(work, "audio.wav"),
      "-map",
      "0:v",
      "-map",
      "1:a",
      "-c:v",
      "copy",
      "-c:a",
      "aac",
      path.join(work, "out.mp4"),
    ]);

  const llm = await startFakeOpenAi({ latencyMs: 0 });
  const prefix = `bench-oh-${randomUUID()}`;
  const env = loadEnv({ ...opts.stack.env, QUEUE_PREFIX: prefix, STORAGE_DIR: work, LLM_BASE_URL: llm.url });
  const log = createLogger({ level: "error", format: "json" });
  const workers = startWorkers({
    env,
    stages: [...STAGE_NAMES],
    log,
    engines: {
      tts: createInstantTts(),
      translator: createOpenAiTranslator({
        client: createLlmClient({ baseURL: llm.url, apiKey: "x", model: "fake" }),
      }),
      transcriber: null,
    },
  });
  const redis = createRedis(env.REDIS_URL);
  const queues = createQueues(redis, prefix);
  try {
    const id = newTaskId();
    const dir = path.join(work, "tasks", id, "source");
    await mkdir(dir, { recursive: true });
    await copyFile(opts.video.video, path.join(dir, "original.mp4"));
    await copyFile(opts.video.srt, path.join(dir, "subtitles.srt"));
    const db = opts.stack.db.db;
    await createTask(db, {
      id,
      originalName: "bench.mp4",
      sourceLanguage: "en",
      targetLanguage: "fr",
      options: {},
      ownerTokenHash: hashToken("bench"),
      sourceFile: "source/original.mp4",
      subtitleFile: "source/subtitles.srt",
    });
    const t0 = Date.now();
    await enqueue(queues, "segment", { taskId: id });
    for (;;) {
      const status = await getTaskStatus(db, id);
      if (status === "completed") break;
      if (status === "failed") throw new Error("overhead run failed");
      await new Promise((r) => setTimeout(r, 50));
    }
    const pipelineMs = Date.now() - t0;
    return { floorMs, pipelineMs, ratio: pipelineMs / floorMs };
  } finally {
    await workers.close(5000);
    for (const q of Object.values(queues)) await q.obliterate({ force: true }).catch(() => undefined);
    await closeQueues(queues);
    redis.disconnect();
    await llm.close();
    await rm(work, { recursive: true, force: true });
  }
}
