/** Cheap synchronous checks the declarations' `missing` functions share. */
import { accessSync, constants, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { LANGUAGE_CODES } from "@vitranslator/queue/capabilities";
import type { TtsEngine } from "@vitranslator/pipeline";

/** Names in `dir`, or none when it does not exist. */
export function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

export function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

export function fileSize(p: string): number | null {
  try {
    const s = statSync(p);
    return s.isFile() ? s.size : null;
  } catch {
    return null;
  }
}

/** Whether `command` is an executable on PATH. */
export function onPath(command: string, pathVar = process.env.PATH ?? ""): boolean {
  return pathVar
    .split(path.delimiter)
    .filter(Boolean)
    .some((dir) => {
      try {
        accessSync(path.join(dir, command), constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
}

/** The catalogue's languages a TTS engine speaks. */
export const spokenLanguages = (engine: Pick<TtsEngine, "supports">): string[] =>
  LANGUAGE_CODES.filter((code) => engine.supports(code));
