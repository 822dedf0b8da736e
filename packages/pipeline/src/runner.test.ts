/** The stage runner with in-memory ports: no queue, no database. */
import { describe, expect, it } from "vitest";
import { PipelineError } from "./errors";
import type { StageName } from "./graph";
import { STAGE_NAMES } from "./graph";
import type { TaskStatus } from "./events";
import type { Stage, StageInput, StageResult, StageRunKey, TaskStore } from "./ports";
import { runStage, StageFailure } from "./runner";
import type { RunnerDeps } from "./runner";

/** The same object with every function returning a promise of its result (or its throw). */
function promised<T extends object>(
  o: T,
): { [K in keyof T]: T[K] extends (...a: infer A) => infer R ? (...a: A) => Promise<R> : T[K] } {
  return Object.fromEntries(
    Object.entries(o).map(([k, v]) => [
      k,
      typeof v === "function"
        ? (...a: unknown[]) => new Promise((res) => res((v as (...x: unknown[]) => unknown)(...a)))
        : v,
    ]),
  ) as never;
}

function memoryDeps(opts: {
  segmentCount: number;
  run?: (stage: StageName, input: StageInput) => StageResult;
}) {
  const runs = new Map<string, { finished: boolean; errorCode?: string }>();
  const key = (r: StageRunKey) => `${r.taskId}/${r.segmentIndex}/${r.stage}/${r.language ?? ""}`;
  let status: TaskStatus = "processing";
  const failures: { code: string; stage: StageName }[] = [];
  const enqueued: { stage: StageName; payload: StageInput }[] = [];
  const ran: { stage: StageName; input: StageInput }[] = [];
  const events: unknown[] = [];
  const segmentStages: [number, StageName][] = [];
  const store = promised({
    getTask: () => ({ segmentCount: opts.segmentCount, languages: ["fr", "es"] }),
    taskStatus: () => status,
    stageRunFinished: (r: StageRunKey) => runs.get(key(r))?.finished === true && !runs.get(key(r))?.errorCode,
    recordStageStart: (r: StageRunKey) => void runs.set(key(r), { finished: false }),
    recordStageEnd: (r: StageRunKey & { errorCode?: string }) =>
      void runs.set(key(r), { finished: true, ...(r.errorCode ? { errorCode: r.errorCode } : {}) }),
    setSegmentStage: (_id: string, index: number, stage: StageName) =>
      void segmentStages.push([index, stage]),
  }) as unknown as TaskStore;
  const stage = (name: StageName): Stage =>
    promised({
      name,
      run: (input: StageInput): StageResult => {
        ran.push({ stage: name, input });
        return opts.run?.(name, input) ?? { continue: name !== "mix" };
      },
    });
  const noop = () => undefined;
  const deps: RunnerDeps = {
    stages: Object.fromEntries(STAGE_NAMES.map((n) => [n, stage(n)])) as Record<StageName, Stage>,
    store,
    events: promised({ emit: (_id: string, e: unknown) => events.push(e) }),
    failTask: (_id: string, err: { code: string; message: string; stage: StageName }) => {
      if (status !== "processing") return Promise.resolve(false);
      status = "failed";
      failures.push({ code: err.code, stage: err.stage });
      events.push({ type: "task", status: "failed", errorCode: err.code });
      return Promise.resolve(true);
    },
    scheduler: promised({
      enqueue: (s: StageName, payload: StageInput) => void enqueued.push({ stage: s, payload }),
    }),
    engines: { tts: {} as never, translator: null, transcriber: null },
    config: { maxSpeed: 1.2, minSpeed: 0.93, maxShortenAttempts: 2, ttsConcurrency: 1 },
    taskDir: (id) => `/tmp/${id}`,
    log: { info: noop, warn: noop, error: noop },
  };
  return { deps, enqueued, ran, events, failures, segmentStages, setStatus: (s: TaskStatus) => (status = s) };
}

const job = (stage: StageName, payload: StageInput, attempt = 1) => ({
  stage,
  payload,
  attempt,
  maxAttempts: 4,
  signal: new AbortController().signal,
});

describe("runStage", () => {
  it("runs a part's stage, records it and hands over to the next stage by the graph, once per language", async () => {
    const m = memoryDeps({ segmentCount: 3 });
    expect(await runStage(job("asr", { taskId: "t", segmentIndex: 1 }), m.deps)).toBe("done");
    expect(m.ran).toEqual([{ stage: "asr", input: { taskId: "t", segmentIndex: 1 } }]);
    // Recognition is shared; translation on is per dub language.
    expect(m.enqueued).toEqual([
      { stage: "translate", payload: { taskId: "t", segmentIndex: 1, language: "fr" } },
      { stage: "translate", payload: { taskId: "t", segmentIndex: 1, language: "es" } },
    ]);
    expect(m.segmentStages).toEqual([[1, "asr"]]);
    expect(m.events).toEqual([
      { type: "segment", index: 1, stage: "asr", status: "started" },
      { type: "segment", index: 1, stage: "asr", status: "done" },
    ]);
  });

  it("releases the next part when a part finishes the release stage, and not after the last part", async () => {
    const m = memoryDeps({ segmentCount: 2 });
    await runStage(job("tts", { taskId: "t", segmentIndex: 0, language: "fr" }), m.deps);
    expect(m.enqueued).toEqual([
      { stage: "align", payload: { taskId: "t", segmentIndex: 0, language: "fr" } },
      { stage: "segment", payload: { taskId: "t", segmentIndex: 1 } },
    ]);
    m.enqueued.length = 0;
    await runStage(job("tts", { taskId: "t", segmentIndex: 1, language: "fr" }), m.deps);
    expect(m.enqueued).toEqual([
      { stage: "align", payload: { taskId: "t", segmentIndex: 1, language: "fr" } },
    ]);
  });

  it("a re-dub releases nothing", async () => {
    const m = memoryDeps({ segmentCount: 3 });
    await runStage(job("tts", { taskId: "t", segmentIndex: 0, language: "es", revision: 2 }), m.deps);
    expect(m.enqueued).toEqual([
      { stage: "align", payload: { taskId: "t", segmentIndex: 0, language: "es", revision: 2 } },
    ]);
  });

  it("planning fans out part 0 only", async () => {
    const m = memoryDeps({ segmentCount: 5, run: () => ({ continue: false, fanOut: [0] }) });
    await runStage(job("segment", { taskId: "t" }), m.deps);
    expect(m.enqueued).toEqual([{ stage: "segment", payload: { taskId: "t", segmentIndex: 0 } }]);
  });

  it("a re-delivered job whose stage finished only hands over, the same way", async () => {
    const m = memoryDeps({ segmentCount: 3 });
    await runStage(job("tts", { taskId: "t", segmentIndex: 0 }), m.deps);
    const first = [...m.enqueued];
    m.enqueued.length = 0;
    expect(await runStage(job("tts", { taskId: "t", segmentIndex: 0 }), m.deps)).toBe("handed-over");
    expect(m.ran).toHaveLength(1);
    expect(m.enqueued).toEqual(first);
  });

  it("skips every job of a cancelled task", async () => {
    const m = memoryDeps({ segmentCount: 3 });
    m.setStatus("cancelled");
    expect(await runStage(job("asr", { taskId: "t", segmentIndex: 0 }), m.deps)).toBe("skipped");
    expect(m.ran).toEqual([]);
    expect(m.enqueued).toEqual([]);
  });

  it("bad input fails the task at once and is not retried", async () => {
    const m = memoryDeps({
      segmentCount: 1,
      run: () => {
        throw new PipelineError({ code: "NO_AUDIO", category: "user", message: "no audio" });
      },
    });
    const err = await runStage(job("asr", { taskId: "t", segmentIndex: 0 }), m.deps).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StageFailure);
    expect((err as StageFailure).retry).toBe(false);
    expect(m.failures).toEqual([{ code: "NO_AUDIO", stage: "asr" }]);
    expect(m.events.at(-1)).toMatchObject({ type: "task", status: "failed", errorCode: "NO_AUDIO" });
  });

  it("a transient fault is retried, and fails the task only on the last attempt", async () => {
    const m = memoryDeps({
      segmentCount: 1,
      run: () => {
        throw new Error("connection reset");
      },
    });
    const first = await runStage(job("tts", { taskId: "t", segmentIndex: 0 }, 1), m.deps).catch(
      (e: unknown) => e,
    );
    expect((first as StageFailure).retry).toBe(true);
    expect(m.failures).toEqual([]);
    const last = await runStage(job("tts", { taskId: "t", segmentIndex: 0 }, 4), m.deps).catch(
      (e: unknown) => e,
    );
    expect((last as StageFailure).retry).toBe(false);
    expect(m.failures).toEqual([{ code: "INTERNAL_ERROR", stage: "tts" }]);
  });
});
