/**
 * Suite helpers for vitest (a subpath of its own, @vitranslator/testkit/hooks, so the
 * benchmark and scripts that import testkit never load vitest).
 */
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import { makeTmpDir } from "./media";

/**
 * A temp folder for the enclosing suite: made before its tests (and before the suite's
 * later hooks), removed after them; with `each`, a fresh one for every test.
 */
export function useTmpDir(prefix?: string, opts: { each?: boolean } = {}): { readonly dir: string } {
  let made: Awaited<ReturnType<typeof makeTmpDir>> | undefined;
  (opts.each ? beforeEach : beforeAll)(async () => {
    made = await makeTmpDir(prefix);
  });
  (opts.each ? afterEach : afterAll)(async () => {
    await made?.cleanup();
    made = undefined;
  });
  return {
    get dir() {
      if (!made) throw new Error("useTmpDir: the folder exists only in the suite's hooks and tests");
      return made.dir;
    },
  };
}
