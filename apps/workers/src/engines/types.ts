/**
 * How an engine is declared. Every kind (asr, translation, tts, separation, vad,
 * diarization) uses the same shape; adding an engine is one file exporting
 * `defineEngine({...})` plus one line in its kind's registry (`<kind>/index.ts`).
 */
import type { z } from "zod";
import type { Diarizer, Logger, Separator, Transcriber, Translator, TtsEngine } from "@vitranslator/pipeline";
import type { CommonEngineEnv } from "./common-env";
import type { EngineKind, EngineStatus, Missing } from "@vitranslator/queue/capabilities";

export type { EngineKind, Missing };

/** What an engine can do: languages it handles ("any" when not limited) and, for tts, voices. */
export type Capabilities = Pick<EngineStatus, "languages" | "voices">;

/** What `create` returns for each kind: the port the stages call. */
export interface EnginePorts {
  asr: Transcriber;
  translation: Translator;
  tts: TtsEngine;
  separation: Separator;
  /** The segment stage's way of finding pauses. */
  vad: "silero" | "silencedetect";
  diarization: Diarizer;
}

/** zod shape of an engine's own variables (composed into the workers' env.ts). */
export type EngineEnvShape = Record<string, z.ZodType>;

/** What an engine's functions receive: the shared engine variables plus its own. */
export type EngineEnv<S extends EngineEnvShape> = CommonEngineEnv & { [K in keyof S]: z.output<S[K]> };

export interface CreateContext {
  log: Logger;
}

export interface EngineDeclaration<
  K extends EngineKind = EngineKind,
  S extends EngineEnvShape = EngineEnvShape,
> {
  kind: K;
  /** The value of the kind's selector variable (TTS_ENGINE=<name>), unique within the kind. */
  name: string;
  /** Its own variables, documented with comments, e.g. `{ COSYVOICE_ADDR: z.string().optional() }`. */
  env: S;
  /**
   * What is missing before it can serve, or null when it can. Cheap and synchronous (reads
   * env and the file system only): the workers call it at boot and on every refresh.
   */
  missing(env: EngineEnv<S>): Missing | null;
  /** Builds the engine; only called when `missing` is null. May throw for a bad value. */
  create(env: EngineEnv<S>, ctx: CreateContext): EnginePorts[K];
  /** One line for logs and the engines report ("cosyvoice v2 at gpu:50000"). */
  describe(env: EngineEnv<S>): string;
  /** What it can do (languages, voices); `{ languages: "any" }` when absent. */
  capabilities?(env: EngineEnv<S>, engine: EnginePorts[K]): Capabilities | Promise<Capabilities>;
}

/** Typed helper: infers the env shape, so the functions see the engine's own variables. */
export function defineEngine<K extends EngineKind, S extends EngineEnvShape>(
  d: EngineDeclaration<K, S>,
): EngineDeclaration<K, S> {
  return d;
}

/** A kind's registry: its selector variable, the declared engines and the `auto` order. */
export interface EngineRegistry<
  K extends EngineKind = EngineKind,
  Sel extends string = string,
  E extends readonly EngineDeclaration<K>[] = readonly EngineDeclaration<K>[],
> {
  kind: K;
  /** The variable that chooses the engine (TTS_ENGINE, SEPARATOR…); it also takes "auto". */
  selector: Sel;
  /** The selector's default ("auto", or a name). */
  default: string;
  /** A value meaning "no engine" (SEPARATOR=none, DIARIZATION=off, ASR_ENGINE=subtitles). */
  off?: { value: string; label: string };
  /** Whether a dub needs it (the web refuses uploads when a required kind is not ready). */
  required: boolean;
  // Declarations' methods use method syntax, so ones with their own env shapes fit here.
  engines: E;
  /** What `auto` tries, first ready wins; names from `engines`. */
  auto: readonly string[];
}

export function defineRegistry<
  K extends EngineKind,
  const Sel extends string,
  const E extends readonly EngineDeclaration<K>[],
>(r: EngineRegistry<K, Sel, E>): EngineRegistry<K, Sel, E> {
  const names = new Set(r.engines.map((e) => e.name));
  if (names.size !== r.engines.length) throw new Error(`${r.kind}: two engines share a name`);
  for (const n of r.auto)
    if (!names.has(n)) throw new Error(`${r.kind}: auto order names unknown engine ${n}`);
  return r;
}
