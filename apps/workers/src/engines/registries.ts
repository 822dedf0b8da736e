/**
 * Every engine kind's registry, and the workers' engine variables composed from them:
 * the shared ones (common-env.ts), each declaration's own `env`, and one selector per kind.
 */
import { z } from "zod";
import type { EngineKind } from "@vitranslator/queue/capabilities";
import { asrEngines } from "./asr";
import { commonEngineEnvShape } from "./common-env";
import { diarizationEngines } from "./diarization";
import { separationEngines } from "./separation";
import { translationEngines } from "./translation";
import { ttsEngines } from "./tts";
import type { EngineRegistry } from "./types";
import { vadEngines } from "./vad";

/** One registry per kind; adding an engine changes only its kind's registry. */
export const REGISTRIES = {
  asr: asrEngines,
  translation: translationEngines,
  tts: ttsEngines,
  separation: separationEngines,
  vad: vadEngines,
  diarization: diarizationEngines,
} satisfies { [K in EngineKind]: EngineRegistry<K> };

const ALL = Object.values(REGISTRIES);

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void
  ? I
  : never;
type Registry = (typeof REGISTRIES)[EngineKind];
type DeclaredShape = UnionToIntersection<Registry["engines"][number]["env"]>;
type SelectorShape = { [R in Registry as R["selector"]]: z.ZodType<string> };

/** The values a kind's selector takes: "auto", every engine's name, and its "off" value. */
export function selectorValues(r: EngineRegistry): string[] {
  return ["auto", ...r.engines.map((e) => e.name), ...(r.off ? [r.off.value] : [])];
}

function composeShape(): Record<string, z.ZodType> {
  const shape: Record<string, z.ZodType> = { ...commonEngineEnvShape };
  const owner = new Map<string, string>(Object.keys(commonEngineEnvShape).map((k) => [k, "common"]));
  for (const r of ALL) {
    for (const e of r.engines as readonly { name: string; env: Record<string, z.ZodType> }[]) {
      for (const [key, schema] of Object.entries(e.env)) {
        // One variable, one meaning: a second declaration may only reuse the same schema object.
        if (owner.has(key) && shape[key] !== schema)
          throw new Error(`${key} is declared by ${owner.get(key)} and ${r.kind}/${e.name}`);
        owner.set(key, `${r.kind}/${e.name}`);
        shape[key] = schema;
      }
    }
    const values = selectorValues(r) as [string, ...string[]];
    shape[r.selector] = z.enum(values).default(r.default);
  }
  return shape;
}

/** Spread into the workers' env schema. */
export const engineEnvShape = composeShape() as typeof commonEngineEnvShape & DeclaredShape & SelectorShape;
