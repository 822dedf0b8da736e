/**
 * The benchmark's inputs: eSpeak speech over a music bed with its .srt, generated once
 * into bench/out/inputs and reused (the version in the file name changes when the
 * generator does).
 */
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { makeSampleVideo } from "@vitranslator/testkit";
import type { SampleVideo } from "@vitranslator/testkit";
import { ROOT } from "./stack";

/** 2: the music bed is a chord progression (was one sine tone). */
const INPUT_VERSION = 2;
const INPUT_DIR = path.join(ROOT, "bench", "out", "inputs");

export interface InputSpec {
  name: string;
  width: number;
  height: number;
  durationMs: number;
}

export async function benchInput(spec: InputSpec): Promise<SampleVideo> {
  await mkdir(INPUT_DIR, { recursive: true });
  const meta = path.join(INPUT_DIR, `${spec.name}.v${INPUT_VERSION}.json`);
  if (existsSync(meta)) {
    const cached = JSON.parse(await readFile(meta, "utf8")) as SampleVideo;
    if (existsSync(cached.video) && existsSync(cached.srt)) return cached;
  }
  process.stdout.write(`generating ${spec.name}… `);
  const v = await makeSampleVideo({
    dir: INPUT_DIR,
    name: spec.name,
    durationMs: spec.durationMs,
    width: spec.width,
    height: spec.height,
    fps: 30,
    music: true,
  });
  await writeFile(meta, JSON.stringify(v));
  console.log("done");
  return v;
}
