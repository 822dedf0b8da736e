/**
 * Suite helpers for vitest (a subpath of its own, @vitranslator/testkit/hooks, so the
 * benchmark and scripts that import testkit never load vitest).
 */
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import { startFakeCosyVoice } from "./fake-cosyvoice";
import type { FakeCosyVoice, FakeCosyVoiceOptions } from "./fake-cosyvoice";
import { startFakeOpenAi } from "./fake-openai";
import type { FakeOpenAi, FakeOpenAiOptions } from "./fake-openai";
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

/**
 * A server started for the enclosing suite, reset before each test and closed after all:
 * the returned object stands for it (every property is read from the started server).
 */
function useServer<T extends { close(): Promise<void> }>(start: () => Promise<T>, reset: (t: T) => void): T {
  let started: T | undefined;
  beforeAll(async () => {
    started = await start();
  });
  beforeEach(() => {
    if (started) reset(started);
  });
  afterAll(async () => {
    await started?.close();
  });
  return new Proxy({} as T, {
    get(_target, key) {
      if (!started) throw new Error("the test server runs only in the suite's hooks and tests");
      const value: unknown = Reflect.get(started, key);
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(started) : value;
    },
  });
}

/** A fake's state at the start of each test: nothing recorded, default behaviour. */
function resetFake(fake: { setBehaviour(behaviour: object): void; requests: unknown[] }): void {
  fake.setBehaviour({});
  fake.requests.length = 0;
}

/** The fake OpenAI-compatible server, reset before each test. */
export const useFakeOpenAi = (opts?: FakeOpenAiOptions): FakeOpenAi =>
  useServer(() => startFakeOpenAi(opts), resetFake);

/** The fake CosyVoice gRPC server, reset before each test. */
export const useFakeCosyVoice = (opts?: FakeCosyVoiceOptions): FakeCosyVoice =>
  useServer(() => startFakeCosyVoice(opts), resetFake);
