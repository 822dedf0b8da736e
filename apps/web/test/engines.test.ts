/**
 * GET /api/engines and the upload-time refusals, from capabilities workers publish to a real
 * Redis (written here as a worker would), against real Postgres, ffprobe and storage.
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { STAGE_NAMES } from "@vitranslator/pipeline/events";
import type { EngineStatus, EnginesReport, WorkerCapabilities } from "@vitranslator/queue/capabilities";
import { publishCapabilities, removeCapabilities } from "@vitranslator/queue/capability-store";
import { makeSampleVideo } from "@vitranslator/testkit";
import type { SampleVideo } from "@vitranslator/testkit";
import { createHttpApi } from "../server/http-api";
import { servePaths, useWebStack } from "./support/server";

const web = useWebStack({ name: "vt-engines-" });
let sample: SampleVideo;
let base: string;

const ready = (
  kind: EngineStatus["kind"],
  name: string,
  extra: Partial<EngineStatus> = {},
): EngineStatus => ({
  kind,
  name,
  label: name,
  ready: true,
  languages: "any",
  ...extra,
});
const missing = (kind: EngineStatus["kind"], name: string, fix: string): EngineStatus => ({
  kind,
  name,
  label: name,
  ready: false,
  missing: { what: `${name} is not there`, fix },
  languages: [],
});
const espeak = ready("tts", "espeak", {
  languages: ["en", "fr", "de"],
  voices: [
    { id: "male", label: "Male" },
    { id: "female", label: "Female" },
  ],
});

async function publish(id: string, engines: EngineStatus[], stages: readonly string[] = STAGE_NAMES) {
  const caps: WorkerCapabilities = {
    workerId: id,
    host: "h",
    pid: 1,
    stages: [...stages],
    at: Date.now(),
    engines,
  };
  await publishCapabilities(web.redis, web.prefix, caps, 30_000);
}

const allReady = [
  ready("asr", "sherpa"),
  ready("translation", "openai"),
  espeak,
  ready("separation", "rnnoise"),
];

beforeAll(async () => {
  sample = await makeSampleVideo({ dir: web.beside("in"), durationMs: 8000 });
  const api = createHttpApi(
    web.serviceDeps({ maxUploadBytes: 5 * 1024 * 1024, maxDurationMs: 60_000, engines: web.engineReader() }),
  );
  base = (await web.listen(servePaths(api))).url;
});

beforeEach(async () => {
  for (const id of await web.redis.zrange(`${web.prefix}:workers`, 0, -1))
    await removeCapabilities(web.redis, web.prefix, id);
});

const engines = async () => (await fetch(`${base}/api/engines`).then((r) => r.json())) as EnginesReport;
const taskDirs = async () => readdir(path.join(web.storageDir, "tasks")).catch(() => [] as string[]);

async function upload(fields: Record<string, string>, opts: { subtitles?: boolean } = {}) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  form.set("video", new Blob([await readFile(sample.video)]), "clip.mp4");
  if (opts.subtitles) form.set("subtitles", new Blob([await readFile(sample.srt)]), "clip.srt");
  const res = await fetch(`${base}/api/tasks`, { method: "POST", body: form });
  const body = (await res.json()) as { id?: string; error?: { code: string; message: string } };
  return { status: res.status, code: body.error?.code, message: body.error?.message ?? "", id: body.id };
}

describe("GET /api/engines", () => {
  it("says, with nothing running, that no worker is running and how to start one", async () => {
    const r = await engines();
    expect(r.workers).toBe(0);
    for (const kind of ["asr", "translation", "tts", "separation", "diarization"] as const) {
      expect(r.engines[kind]).toMatchObject({ ready: false, missing: { what: "no worker is running" } });
      expect(r.engines[kind].missing?.fix).toMatch(/npm start/);
    }
    expect(r.targetLanguages).toEqual([]);
  });

  it("merges the workers: ready only where every worker serving the stage is, the languages they all speak", async () => {
    await publish("a", [...allReady, missing("diarization", "sherpa", "npm run models")]);
    await publish(
      "b",
      [ready("tts", "espeak", { languages: ["fr", "de", "zh"], voices: espeak.voices! })],
      ["tts", "audiogen"],
    );
    const r = await engines();
    expect(r.workers).toBe(2);
    expect(r.unservedStages).toEqual([]);
    expect(r.engines.asr).toMatchObject({ name: "sherpa", ready: true });
    expect(r.engines.diarization).toMatchObject({ ready: false, missing: { fix: "npm run models" } });
    expect(r.engines.tts).toMatchObject({ name: "espeak", ready: true, languages: ["fr", "de"] });
    expect(r.targetLanguages).toEqual([
      { code: "fr", name: "French" },
      { code: "de", name: "German" },
    ]);
    expect((await fetch(`${base}/api/languages`).then((x) => x.json())) as unknown).toEqual({
      languages: r.targetLanguages,
    });
  });

  it("carries the model download a worker sees, a running one first (the upload page's banner)", async () => {
    const progress = (state: "running" | "done", updatedAt: string) => ({
      state,
      fraction: 0.5,
      updatedAt,
      models: [
        { name: "model.gguf", purpose: "translation", state: "downloading" as const, received: 5, total: 10 },
      ],
    });
    const caps = (id: string, downloads: ReturnType<typeof progress>): WorkerCapabilities => ({
      workerId: id,
      host: "h",
      pid: 1,
      stages: [...STAGE_NAMES],
      at: Date.now(),
      engines: allReady,
      downloads,
    });
    await publishCapabilities(
      web.redis,
      web.prefix,
      caps("a", progress("done", "2026-01-02T00:00:00Z")),
      30_000,
    );
    await publishCapabilities(
      web.redis,
      web.prefix,
      caps("b", progress("running", "2026-01-01T00:00:00Z")),
      30_000,
    );
    const r = await engines();
    expect(r.downloads).toMatchObject({ state: "running", models: [{ name: "model.gguf", received: 5 }] });
  });

  it("drops a worker whose entry expired", async () => {
    await publishCapabilities(
      web.redis,
      web.prefix,
      { workerId: "gone", host: "h", pid: 1, stages: [...STAGE_NAMES], at: Date.now(), engines: allReady },
      1,
    );
    await new Promise((r) => setTimeout(r, 20));
    expect((await engines()).workers).toBe(0);
  });
});

describe("upload refusals", () => {
  it("no worker at all: 409 NO_WORKERS before the body is stored", async () => {
    const before = await taskDirs();
    const r = await upload({ targetLanguage: "fr" }, { subtitles: true });
    expect([r.status, r.code]).toEqual([409, "NO_WORKERS"]);
    expect(r.message).toMatch(/npm start/);
    expect(await taskDirs()).toEqual(before);
  });

  it("no translator: 409 NO_TRANSLATOR with the variable to set", async () => {
    await publish("a", [
      ready("asr", "sherpa"),
      missing("translation", "openai", "set LLM_BASE_URL"),
      espeak,
      ready("separation", "rnnoise"),
    ]);
    const r = await upload({ targetLanguage: "fr" }, { subtitles: true });
    expect([r.status, r.code]).toEqual([409, "NO_TRANSLATOR"]);
    expect(r.message).toMatch(/set LLM_BASE_URL/);
  });

  it("a stage nobody serves: 409 NO_WORKER_FOR_STAGE naming it", async () => {
    await publish(
      "a",
      allReady,
      STAGE_NAMES.filter((s) => s !== "mix"),
    );
    const r = await upload({ targetLanguage: "fr" }, { subtitles: true });
    expect([r.status, r.code]).toEqual([409, "NO_WORKER_FOR_STAGE"]);
    expect(r.message).toMatch(/mix/);
  });

  it("speech without subtitles and no ASR: 409 NO_ASR_ENGINE; with subtitles it is accepted", async () => {
    await publish("a", [
      missing("asr", "sherpa", "npm run models"),
      ready("translation", "openai"),
      espeak,
      ready("separation", "rnnoise"),
    ]);
    const before = await taskDirs();
    const r = await upload({ targetLanguage: "fr" });
    expect([r.status, r.code]).toEqual([409, "NO_ASR_ENGINE"]);
    expect(r.message).toMatch(/npm run models/);
    expect(await taskDirs()).toEqual(before);
    expect((await upload({ targetLanguage: "fr" }, { subtitles: true })).status).toBe(201);
  });

  it("offers only what the TTS has: an unspoken language or an unknown voice is refused, a known one kept", async () => {
    await publish("a", allReady);
    const zh = await upload({ targetLanguage: "zh" }, { subtitles: true });
    expect([zh.status, zh.code]).toEqual([400, "UNSUPPORTED_LANGUAGE"]);
    expect(zh.message).toMatch(/espeak/);
    const alloy = await upload({ targetLanguage: "fr", voice: "alloy" }, { subtitles: true });
    expect([alloy.status, alloy.code]).toEqual([400, "UNKNOWN_VOICE"]);
    expect(alloy.message).toMatch(/male, female/);
    const ok = await upload({ targetLanguage: "fr", voice: "Female" }, { subtitles: true });
    expect(ok.status).toBe(201);
    const task = await web.t.db.task.findUniqueOrThrow({ where: { id: ok.id! } });
    expect((task.options as { voice?: string }).voice).toBe("female");
    const auto = await upload({ targetLanguage: "fr", voice: "" }, { subtitles: true });
    const autoTask = await web.t.db.task.findUniqueOrThrow({ where: { id: auto.id! } });
    expect((autoTask.options as { voice?: string }).voice).toBeUndefined();
  });

  it("maps voices per engine: OpenAI's ids for openai speech, where male is unknown", async () => {
    await publish("a", [
      ...allReady.filter((e) => e.kind !== "tts"),
      ready("tts", "openai", {
        voices: [
          { id: "alloy", label: "Alloy" },
          { id: "nova", label: "Nova" },
        ],
      }),
    ]);
    expect((await upload({ targetLanguage: "fr", voice: "male" }, { subtitles: true })).code).toBe(
      "UNKNOWN_VOICE",
    );
    expect((await upload({ targetLanguage: "ja", voice: "nova" }, { subtitles: true })).status).toBe(201);
  });
});
