/**
 * The engines one worker process runs, resolved from its env by the registries. A kind
 * that is not ready yet (a model still downloading) is looked at again on use, so a model
 * that arrives serves the next job without a restart; an engine, once built, is kept.
 */
import type { EngineKind, EngineStatus, Missing } from "@vitranslator/queue/capabilities";
import { spokenLanguages } from "./files";
import { REGISTRIES } from "./registries";
import type { Capabilities, CreateContext, EngineDeclaration, EnginePorts, EngineRegistry } from "./types";

/** The env an engine set reads: every engine variable, by name. */
export type EngineSetEnv = Readonly<Record<string, unknown>>;

interface Choice {
  declaration: EngineDeclaration | null;
  /** Null when it serves (or when an optional kind is off on purpose). */
  missing: Missing | null;
  label: string;
}

/** How long a resolution is trusted before the file system is looked at again. */
const RECHECK_MS = 2_000;

export class EngineSet {
  readonly #env: EngineSetEnv;
  readonly #ctx: CreateContext;
  readonly #instances = new Map<string, unknown>();
  readonly #choices = new Map<EngineKind, { at: number; choice: Choice }>();

  constructor(env: EngineSetEnv, ctx: CreateContext) {
    this.#env = env;
    this.#ctx = ctx;
  }

  /**
   * Fails when a kind's selector names an engine whose configuration is wrong (a variable
   * to set): that is a mistake to fix before starting, unlike a model still to download.
   */
  checkBoot(): void {
    for (const kind of Object.keys(REGISTRIES) as EngineKind[]) {
      const r = REGISTRIES[kind] as EngineRegistry;
      const sel = this.#selector(r);
      const choice = this.choose(kind);
      if (choice.missing && !choice.missing.download && sel !== "auto" && sel !== r.off?.value)
        throw new Error(`${r.selector}=${sel} cannot start: ${choice.missing.what}; ${choice.missing.fix}.`);
      if (choice.declaration && !choice.missing) this.get(kind);
    }
  }

  /** Which engine serves `kind` now, or what is missing. */
  choose(kind: EngineKind): Choice {
    const r = REGISTRIES[kind] as EngineRegistry;
    const cached = this.#choices.get(kind);
    // An explicit choice that serves stays; anything else is looked at again now and then
    // (a model may have arrived, and "auto" may find a better engine).
    const settled = cached && !cached.choice.missing && this.#selector(r) !== "auto";
    if (cached && (settled || Date.now() - cached.at < RECHECK_MS)) return cached.choice;
    const choice = this.#resolve(r);
    this.#choices.set(kind, { at: Date.now(), choice });
    return choice;
  }

  /** The serving engine of `kind`, built on first use; null when none is ready. */
  get<K extends EngineKind>(kind: K): EnginePorts[K] | null {
    const { declaration, missing } = this.choose(kind);
    if (!declaration || missing) return null;
    const key = `${kind}/${declaration.name}`;
    if (!this.#instances.has(key)) {
      const env = this.#env as Parameters<typeof declaration.create>[0];
      try {
        this.#instances.set(key, declaration.create(env, this.#ctx));
      } catch (err) {
        const sel = (REGISTRIES[kind] as EngineRegistry).selector;
        throw new Error(
          `${sel}=${declaration.name} cannot start: ${err instanceof Error ? err.message : String(err)}`,
          { cause: err },
        );
      }
    }
    return this.#instances.get(key) as EnginePorts[K];
  }

  /** What `kind` looks like from this process, for the engines report. */
  async status(kind: EngineKind): Promise<EngineStatus> {
    const choice = this.choose(kind);
    const { declaration, missing, label } = choice;
    const base = { kind, name: declaration?.name ?? null, label };
    if (missing) return { ...base, ready: false, missing, languages: [] };
    const engine = this.get(kind);
    if (!declaration || engine === null) return { ...base, ready: true, languages: "any" };
    const env = this.#env as Parameters<typeof declaration.create>[0];
    const caps: Capabilities = declaration.capabilities
      ? await declaration.capabilities(env, engine)
      : kind === "tts"
        ? { languages: spokenLanguages(engine as EnginePorts["tts"]) }
        : { languages: "any" };
    return { ...base, ready: true, ...caps };
  }

  /** Closes every engine built (gRPC channels, diarization threads). */
  async close(): Promise<void> {
    for (const engine of this.#instances.values()) {
      const close = (engine as { close?: () => unknown }).close;
      if (typeof close === "function") await Promise.resolve(close.call(engine)).catch(() => undefined);
    }
    this.#instances.clear();
  }

  #selector(r: EngineRegistry): string {
    const v = this.#env[r.selector];
    return typeof v === "string" ? v : r.default;
  }

  #resolve(r: EngineRegistry): Choice {
    const sel = this.#selector(r);
    const env = this.#env as Parameters<EngineDeclaration["missing"]>[0];
    const byName = (n: string) => r.engines.find((e) => e.name === n);
    if (r.off && sel === r.off.value) {
      if (!r.required) return { declaration: null, missing: null, label: r.off.label };
      const first = byName(r.auto[0] ?? "");
      return {
        declaration: null,
        label: r.off.label,
        missing: {
          what: `${r.kind} is off (${r.selector}=${sel})`,
          fix: `unset ${r.selector}${first ? `, then ${first.missing(env)?.fix ?? "restart the workers"}` : ""}`,
        },
      };
    }
    const candidates = sel === "auto" ? r.auto.map(byName) : [byName(sel)];
    const unready: Choice[] = [];
    for (const d of candidates) {
      if (!d) continue;
      const missing = d.missing(env);
      const choice = { declaration: d, missing, label: d.describe(env) };
      if (!missing) return choice;
      unready.push(choice);
    }
    // Nothing ready: name the fix that needs no account first (the model pack), else the first.
    return (
      unready.find((c) => c.missing?.download) ??
      unready[0] ?? {
        declaration: null,
        missing: { what: `no ${r.kind} engine is declared`, fix: "" },
        label: "none",
      }
    );
  }
}
