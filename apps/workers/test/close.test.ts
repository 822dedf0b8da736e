/** Closing the workers closes every connection they opened (a bench or test process can exit). */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STAGE_NAMES } from "@vitranslator/queue";
import { createHarness } from "./harness";
import type { Harness } from "./harness";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => h?.close());

/** Remote ports of this process's open TCP sockets. */
const openSockets = () =>
  (process as unknown as { _getActiveHandles(): { remotePort?: number }[] })
    ._getActiveHandles()
    .flatMap((x) => (x.remotePort === undefined ? [] : [x.remotePort]));

/** Starts every stage's worker, waits until they are connected, closes them; sockets open after, bounded wait. */
async function startAndClose(): Promise<{ whileRunning: number; after: number }> {
  const w = h.start([...STAGE_NAMES]);
  await Promise.all(w.workers.map((x) => x.waitUntilReady()));
  const whileRunning = openSockets().length;
  await w.close(5000);
  const deadline = Date.now() + 5000;
  const settled = () => openSockets().length;
  // A socket is released once its 'close' event has run: wait for that, bounded.
  let last = settled();
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    const now = settled();
    if (now === last && now < whileRunning) break;
    last = now;
  }
  return { whileRunning, after: settled() };
}

describe("closing the workers", () => {
  it("leaves no Redis or Postgres socket of theirs open", async () => {
    // The first round lets the harness's own connections settle; the second is measured.
    const first = await startAndClose();
    const second = await startAndClose();
    expect(second.whileRunning).toBeGreaterThan(second.after + STAGE_NAMES.length);
    expect(second.after).toBe(first.after);
    expect(openSockets().length).toBeLessThanOrEqual(1);
  });
});
