/**
 * `npm run models`: downloads the default model pack (sherpa-onnx releases, the Qwen GGUF)
 * into MODELS_DIR (default ./models). Resumable; verified by sha256 (pinned, or trust on
 * first use via MODELS_DIR/models.lock.json); progress in MODELS_DIR/.downloads/status.json
 * as well, so the upload page shows it. Env is read here because this is an entry point.
 */
import path from "node:path";
import {
  DEFAULT_MODEL_PACK,
  PipelineError,
  describeMissing,
  fetchModelPack,
  packProgressLine,
} from "@vitranslator/pipeline";

const modelsDir = path.resolve(process.env.MODELS_DIR ?? "./models");
const ac = new AbortController();
process.once("SIGINT", () => ac.abort());

let lastLine = "";
const fetched = await fetchModelPack({
  modelsDir,
  entries: DEFAULT_MODEL_PACK,
  signal: ac.signal,
  onStatus: (status) => {
    const line = packProgressLine(status);
    if (line !== lastLine && process.stdout.isTTY) process.stdout.write(`\r${line.padEnd(lastLine.length)}`);
    lastLine = line;
  },
}).catch((err: unknown) => {
  // Another download into the same folder (e.g. the one `npm start` runs): say so and stop.
  if (err instanceof PipelineError && err.code === "MODEL_DOWNLOAD_BUSY") {
    console.error(err.message);
    process.exit(1);
  }
  throw err;
});
const { report } = fetched;
if (process.stdout.isTTY && lastLine) process.stdout.write("\n");
for (const e of report.present) console.log(`present    ${e.target}`);
for (const e of report.installed) console.log(`installed  ${e.target}`);
if (report.failed.length > 0) {
  console.error(describeMissing(modelsDir, report.failed));
  process.exitCode = 1;
} else {
  console.log(`All models are in ${modelsDir}`);
}
