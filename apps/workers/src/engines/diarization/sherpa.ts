/** Who speaks: sherpa-onnx pyannote segmentation + speaker embeddings, both in MODELS_DIR. */
import path from "node:path";
import {
  createSherpaDiarizer,
  DEFAULT_EMBEDDING_MODEL,
  DEFAULT_SEGMENTATION_MODEL,
} from "@vitranslator/pipeline";
import { listDir } from "../files";
import { defineEngine } from "../types";

const hasOnnx = (dir: string) => listDir(dir).some((f) => f.endsWith(".onnx"));

export const sherpaDiarization = defineEngine({
  kind: "diarization",
  name: "sherpa",
  env: {},
  missing: (env) => {
    const lacks = [DEFAULT_SEGMENTATION_MODEL, DEFAULT_EMBEDDING_MODEL].filter(
      (m) => !hasOnnx(path.join(env.MODELS_DIR, m)),
    );
    return lacks.length
      ? { what: `${lacks.join(" and ")} not in MODELS_DIR`, fix: "npm run models", download: true }
      : null;
  },
  create: (env) => createSherpaDiarizer({ modelsDir: env.MODELS_DIR }),
  describe: () => "sherpa-onnx pyannote + speaker embeddings",
});
