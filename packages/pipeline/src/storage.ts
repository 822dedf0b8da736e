/**
 * Media storage on a local folder (shared between machines over NFS or similar). Every
 * path is resolved inside the root; task ids are checked before they become paths.
 */
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";

const SAFE_ID = /^[A-Za-z0-9_-]{8,64}$/;

export interface Storage {
  root: string;
  taskDir(taskId: string): string;
  /** Resolves a relative path inside a task's folder; throws if it escapes. */
  resolveInTask(taskId: string, relative: string): string;
  ensureTaskDir(taskId: string): Promise<string>;
  removeTask(taskId: string): Promise<void>;
}

export class StoragePathError extends Error {
  override name = "StoragePathError";
}

export function createLocalStorage(rootDir: string): Storage {
  const root = path.resolve(rootDir);
  const taskDir = (taskId: string) => {
    if (!SAFE_ID.test(taskId))
      throw new StoragePathError(`Invalid task id: ${JSON.stringify(taskId).slice(0, 80)}`);
    return path.join(root, "tasks", taskId);
  };
  return {
    root,
    taskDir,
    resolveInTask(taskId, relative) {
      const base = taskDir(taskId);
      const full = path.resolve(base, relative);
      if (full !== base && !full.startsWith(base + path.sep))
        throw new StoragePathError(`Path escapes the task folder: ${relative}`);
      return full;
    },
    async ensureTaskDir(taskId) {
      const dir = taskDir(taskId);
      await mkdir(dir, { recursive: true });
      return dir;
    },
    async removeTask(taskId) {
      await rm(taskDir(taskId), { recursive: true, force: true });
    },
  };
}
