/** Finding a model's files in `MODELS_DIR/<model-name>/`, with one clear error when they are not there. */
import { access, readdir, stat } from "node:fs/promises";
import path from "node:path";
import { PipelineError } from "../errors";

export interface ModelFileSpec {
  /** Name the loader uses for the file. */
  key: string;
  /** Accepted file names, best first (e.g. the int8 model before the float one). */
  candidates: readonly string[];
  /** A folder instead of a file (espeak-ng-data, dict). */
  directory?: boolean;
  optional?: boolean;
}

export const MODELS_HINT =
  "Run `npm run models` to download the default model pack into MODELS_DIR, or copy the model's files there.";

export function modelMissing(opts: { what: string; dir: string; missing: readonly string[] }): PipelineError {
  return new PipelineError({
    code: "MODEL_MISSING",
    category: "user",
    message: `The ${opts.what} model is incomplete or absent: missing ${opts.missing.join(", ")} in ${opts.dir}. ${MODELS_HINT}`,
  });
}

async function exists(p: string, directory: boolean): Promise<boolean> {
  try {
    const s = await stat(p);
    if (directory) return s.isDirectory();
    await access(p);
    return s.isFile() && s.size > 0;
  } catch {
    return false;
  }
}

/** The first existing candidate of each spec, as absolute paths; missing required files → MODEL_MISSING. */
export async function resolveModelFiles<K extends string>(opts: {
  dir: string;
  what: string;
  files: readonly (ModelFileSpec & { key: K })[];
}): Promise<Partial<Record<K, string>>> {
  const found: Partial<Record<K, string>> = {};
  const missing: string[] = [];
  for (const spec of opts.files) {
    let hit: string | undefined;
    for (const name of spec.candidates) {
      const p = path.resolve(opts.dir, name);
      if (await exists(p, spec.directory ?? false)) {
        hit = p;
        break;
      }
    }
    if (hit) found[spec.key] = hit;
    else if (!spec.optional) missing.push(spec.candidates.join(" or "));
  }
  if (missing.length > 0) throw modelMissing({ what: opts.what, dir: path.resolve(opts.dir), missing });
  return found;
}

/** File names directly in a folder ([] when it does not exist). */
export async function listDir(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch {
    return [];
  }
}

/** Sub-folders of MODELS_DIR, so auto-detection can find e.g. a SenseVoice model by its folder name. */
export async function listModelDirs(modelsDir: string): Promise<string[]> {
  try {
    const entries = await readdir(modelsDir, { withFileTypes: true });
    return entries
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}
