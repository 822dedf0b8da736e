/**
 * What the workers can do, as they publish it and as the web server reports it
 * (GET /api/engines). Browser-safe: zod only, no Redis (that is capability-store.ts).
 */
import { z } from "zod";

/** Every engine kind, in the order the reports list them. */
export const ENGINE_KINDS = ["asr", "translation", "tts", "separation", "vad", "diarization"] as const;
export type EngineKind = (typeof ENGINE_KINDS)[number];

/** What an engine lacks before it can serve, and the one command or variable that fixes it. */
export const missingSchema = z.object({
  /** e.g. "no SenseVoice or Whisper model in ./models". */
  what: z.string(),
  /** The one thing to do: "npm run models", "set COSYVOICE_ADDR=host:port". */
  fix: z.string(),
  /** True when the default model pack brings it (`npm run models` or the first-run download). */
  download: z.boolean().optional(),
});
export type Missing = z.infer<typeof missingSchema>;

/** A voice a task may ask for (the upload form's `voice` field); engine-specific ids. */
export const voiceSchema = z.object({
  id: z.string(),
  label: z.string(),
  /** Languages it speaks; absent: every language of the engine. */
  languages: z.array(z.string()).optional(),
});
export type Voice = z.infer<typeof voiceSchema>;

/** One kind's engine as one worker process (or, merged, all of them) runs it. */
export const engineStatusSchema = z.object({
  kind: z.enum(ENGINE_KINDS),
  /** Declaration name ("espeak", "sherpa", "openai"…); null when nothing serves this kind. */
  name: z.string().nullable(),
  /** Human description ("sherpa-onnx sense-voice-… in ./models"). */
  label: z.string(),
  ready: z.boolean(),
  /** Present when not ready. */
  missing: missingSchema.optional(),
  /** ISO 639-1 codes it handles (tts: speaks; asr: recognises); "any" when not limited. */
  languages: z.union([z.array(z.string()), z.literal("any")]),
  /** tts only: the voices a task may choose (automatic per speaker when none is chosen). */
  voices: z.array(voiceSchema).optional(),
});
export type EngineStatus = z.infer<typeof engineStatusSchema>;

/**
 * The first-run model download as a browser may see it (pipeline's ModelPackProgress: no
 * paths, URLs or pids). Workers read it from MODELS_DIR and publish it with their engines.
 */
export const downloadsSchema = z.object({
  state: z.enum(["running", "done", "incomplete", "stalled"]),
  fraction: z.number().nullable(),
  updatedAt: z.string(),
  models: z.array(
    z.object({
      name: z.string(),
      purpose: z.string(),
      state: z.enum(["pending", "downloading", "installed", "present", "failed"]),
      received: z.number(),
      total: z.number().nullable(),
      error: z.string().optional(),
    }),
  ),
});
export type Downloads = z.infer<typeof downloadsSchema>;

/** What one worker process publishes, refreshed while it runs. */
export const workerCapabilitiesSchema = z.object({
  workerId: z.string(),
  host: z.string(),
  pid: z.number(),
  stages: z.array(z.string()),
  /** Epoch ms of this snapshot. */
  at: z.number(),
  /** The kinds its stages use. */
  engines: z.array(engineStatusSchema),
  /** Its MODELS_DIR's model download, when one was ever started there. */
  downloads: downloadsSchema.nullable().optional(),
});
export type WorkerCapabilities = z.infer<typeof workerCapabilitiesSchema>;

/** Which stages use which engine kind (a kind is served when every stage using it is). */
export const STAGES_OF_KIND: Record<EngineKind, readonly string[]> = {
  asr: ["asr"],
  translation: ["translate", "align"],
  tts: ["tts", "audiogen"],
  separation: ["segment"],
  vad: ["segment"],
  diarization: ["asr"],
};

/** GET /api/engines: every kind, merged over the live workers. */
export interface EnginesReport {
  /** Worker processes heard from within the capability TTL. */
  workers: number;
  /** Stages no live worker serves (a task would wait forever at the first of them). */
  unservedStages: string[];
  engines: Record<EngineKind, EngineStatus>;
  /** Target languages every tts worker speaks, with English names. */
  targetLanguages: { code: string; name: string }[];
  /** The model download a worker sees (a running one first), for the upload page's banner. */
  downloads: Downloads | null;
}

const START_WORKERS = "npm start (or npm run workers)";

/**
 * Merges what the live workers publish. A job can land on any worker serving its stage, so
 * a kind is ready only when every such worker has it ready, and it can do what all of them can.
 */
export function mergeCapabilities(
  workers: readonly WorkerCapabilities[],
  allStages: readonly string[],
): EnginesReport {
  const served = new Set(workers.flatMap((w) => w.stages));
  const unservedStages = allStages.filter((s) => !served.has(s));
  const engines = Object.fromEntries(ENGINE_KINDS.map((kind) => [kind, mergeKind(kind, workers)])) as Record<
    EngineKind,
    EngineStatus
  >;
  const tts = engines.tts;
  const codes = !tts.ready ? [] : tts.languages === "any" ? [...LANGUAGE_CODES] : tts.languages;
  const downloads = workers
    .flatMap((w) => (w.downloads ? [w.downloads] : []))
    .sort(
      (a, b) =>
        Number(b.state === "running") - Number(a.state === "running") ||
        b.updatedAt.localeCompare(a.updatedAt),
    );
  return {
    workers: workers.length,
    unservedStages,
    engines,
    targetLanguages: codes.map((code) => ({ code, name: languageName(code) })),
    downloads: downloads[0] ?? null,
  };
}

function mergeKind(kind: EngineKind, workers: readonly WorkerCapabilities[]): EngineStatus {
  const statuses = workers.flatMap((w) =>
    w.stages.some((s) => STAGES_OF_KIND[kind].includes(s)) ? w.engines.filter((e) => e.kind === kind) : [],
  );
  if (statuses.length === 0) {
    const stages = STAGES_OF_KIND[kind].join(", ");
    return {
      kind,
      name: null,
      label: "no worker",
      ready: false,
      missing:
        workers.length === 0
          ? { what: "no worker is running", fix: START_WORKERS }
          : {
              what: `no running worker serves the ${stages} stage`,
              fix: `start one with WORKER_STAGES=${STAGES_OF_KIND[kind].join(",")} npm run workers`,
            },
      languages: [],
    };
  }
  const names = [...new Set(statuses.map((s) => s.name ?? "none"))];
  const unready = statuses.find((s) => !s.ready);
  const languages = statuses
    .map((s) => s.languages)
    .reduce<string[] | "any">(
      (acc, l) => (acc === "any" ? l : l === "any" ? acc : acc.filter((c) => l.includes(c))),
      "any",
    );
  const voiceLists = statuses.map((s) => s.voices ?? []);
  const voices = (voiceLists[0] ?? []).filter((v) =>
    voiceLists.every((list) => list.some((x) => x.id === v.id)),
  );
  const first = statuses[0]!;
  return {
    kind,
    name: names.length === 1 ? first.name : names.join(", "),
    label: names.length === 1 ? first.label : `${first.label} (and ${names.length - 1} other)`,
    ready: !unready,
    ...(unready?.missing ? { missing: unready.missing } : {}),
    languages,
    ...(kind === "tts" ? { voices } : {}),
  };
}

/**
 * Languages offered as source or target (ISO 639-1). An engine's "any" means these; a TTS
 * engine's list is the subset it speaks.
 */
export const LANGUAGE_CODES = [
  "en",
  "zh",
  "ja",
  "ko",
  "es",
  "fr",
  "de",
  "it",
  "pt",
  "ru",
  "ar",
  "hi",
  "vi",
  "tr",
  "nl",
  "pl",
  "sv",
  "id",
  "th",
  "uk",
  "cs",
  "el",
  "he",
  "fi",
  "da",
  "no",
  "hu",
  "ro",
  "ms",
  "fa",
  "bn",
  "ta",
  "ur",
  "yue",
] as const;

const displayNames = new Intl.DisplayNames(["en"], { type: "language" });
/** English name of a language code ("fr" → "French"). */
export function languageName(code: string): string {
  try {
    return displayNames.of(code) ?? code;
  } catch {
    return code;
  }
}
