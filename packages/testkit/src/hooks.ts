/**
 * Suite helpers for vitest (a subpath of its own, @vitranslator/testkit/hooks, so the
 * benchmark and scripts that import testkit never load vitest).
 */
import { afterAll, beforeAll } from "vitest";
import { makeTmpDir } from "./media";

/**
 * A temp folder for the enclosing suite: made before its tests (and before the suite's
 * later beforeAll hooks), removed after them.
 */
export function useTmpDir(prefix?: string): { readonly dir: string } {
  let made: Awaited<ReturnType<typeof makeTmpDir>> | undefined;
  beforeAll(async () => {
    made = await makeTmpDir(prefix);
  });
  afterAll(async () => {
    await made?.cleanup();
  });
  return {
    get dir() {
      if (!made) throw new Error("useTmpDir: the folder exists only in the suite's hooks and tests");
      return made.dir;
    },
  };
}
