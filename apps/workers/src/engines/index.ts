/**
 * The workers' engines: one declaration per engine (engines/<kind>/<name>.ts), one registry
 * per kind (engines/<kind>/index.ts), resolved per process by an EngineSet.
 */
import { PipelineError } from "@vitranslator/pipeline";
import type { Engines, Logger, TtsEngine } from "@vitranslator/pipeline";
import { ENGINE_KINDS, STAGES_OF_KIND } from "@vitranslator/queue/capabilities";
import type { EngineKind, EngineStatus, Missing } from "@vitranslator/queue/capabilities";
import { EngineSet } from "./engine-set";
import type { EngineSetEnv } from "./engine-set";
import { spokenLanguages } from "./files";

export { EngineSet } from "./engine-set";
export { REGISTRIES, engineEnvShape, selectorValues } from "./registries";
export { defineEngine, defineRegistry } from "./types";
export type { EngineDeclaration, EngineEnv, EnginePorts, EngineRegistry, Capabilities } from "./types";

/** A TTS stand-in while no engine is ready: every job fails (and is retried) saying what is missing. */
function unavailableTts(missing: () => Missing | null): TtsEngine {
  return {
    name: "none",
    supports: () => false,
    synthesize() {
      const m = missing();
      return Promise.reject(
        new PipelineError({
          code: "NO_TTS_ENGINE",
          category: "system",
          message: `No speech engine is ready${m ? `: ${m.what}. Fix: ${m.fix}` : ""}.`,
        }),
      );
    },
  };
}

/** The stages' engines, read through the set on every use (see EngineSet). */
export function enginesOf(set: EngineSet): Engines {
  return {
    get tts() {
      return set.get("tts") ?? unavailableTts(() => set.choose("tts").missing);
    },
    get translator() {
      return set.get("translation");
    },
    get transcriber() {
      return set.get("asr");
    },
    get diarizer() {
      return set.get("diarization");
    },
    get separator() {
      return set.get("separation");
    },
    get vad() {
      return set.get("vad") ?? "silencedetect";
    },
  };
}

/** Builds the set, fails at boot on a wrong explicit choice, and logs what serves each kind. */
export function createEngineSet(env: EngineSetEnv, log: Logger): EngineSet {
  const set = new EngineSet(env, { log });
  set.checkBoot();
  log.info(
    Object.fromEntries(
      ENGINE_KINDS.map((k) => {
        const c = set.choose(k);
        return [k, c.missing ? `not ready: ${c.missing.what} (${c.missing.fix})` : c.label];
      }),
    ),
    "engines",
  );
  return set;
}

/** The kinds the given stages use. */
export function kindsOfStages(stages: readonly string[]): EngineKind[] {
  return ENGINE_KINDS.filter((k) => STAGES_OF_KIND[k].some((s) => stages.includes(s)));
}

/** The engines report of a process running `stages`. */
export async function reportEngines(set: EngineSet, stages: readonly string[]): Promise<EngineStatus[]> {
  return Promise.all(kindsOfStages(stages).map((k) => set.status(k)));
}

/** The report for engines handed in ready-made (the benchmark's instant engines, tests). */
export function reportGivenEngines(engines: Engines, stages: readonly string[]): EngineStatus[] {
  const present: Record<EngineKind, unknown> = {
    asr: engines.transcriber,
    translation: engines.translator,
    tts: engines.tts,
    separation: engines.separator,
    vad: engines.vad ?? "silero",
    diarization: engines.diarizer,
  };
  return kindsOfStages(stages).map((kind): EngineStatus => {
    const engine = present[kind];
    const name = engine
      ? typeof engine === "string"
        ? engine
        : ((engine as { name?: string }).name ?? kind)
      : null;
    const ready = engine !== null && engine !== undefined;
    const optional = kind === "separation" || kind === "diarization" || kind === "vad";
    return {
      kind,
      name,
      label: name ?? "none",
      ready: ready || optional,
      ...(ready || optional ? {} : { missing: { what: `no ${kind} engine was given`, fix: "" } }),
      languages: kind === "tts" && ready ? spokenLanguages(engines.tts) : ready ? "any" : [],
    };
  });
}
