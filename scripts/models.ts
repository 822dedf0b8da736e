/**
 * `npm run models`: downloads the default model pack (sherpa-onnx releases) into MODELS_DIR
 * (default ./models). Resumable; verified by sha256 (pinned, or trust on first use via
 * MODELS_DIR/models.lock.json). Env is read here because this is an entry point, not a worker.
 */
import path from "node:path";
import {
  DEFAULT_MODEL_PACK,
  describeMissing,
  installModels,
  renderProgressBar,
} from "@vitranslator/pipeline";

const modelsDir = path.resolve(process.env.MODELS_DIR ?? "./models");
const ac = new AbortController();
process.once("SIGINT", () => ac.abort());

let lastLine = "";
const report = await installModels({
  modelsDir,
  entries: DEFAULT_MODEL_PACK,
  signal: ac.signal,
  onProgress: ({ entry, received, total }) => {
    const line = renderProgressBar({
      label: path.basename(entry.target).slice(0, 40).padEnd(40),
      received,
      total,
    });
    if (line !== lastLine && process.stdout.isTTY) process.stdout.write(`\r${line}`);
    lastLine = line;
  },
});
if (process.stdout.isTTY && lastLine) process.stdout.write("\n");
for (const e of report.present) console.log(`present    ${e.target}`);
for (const e of report.installed) console.log(`installed  ${e.target}`);
if (report.failed.length > 0) {
  console.error(describeMissing(modelsDir, report.failed));
  process.exitCode = 1;
} else {
  console.log(`All models are in ${modelsDir}`);
}
