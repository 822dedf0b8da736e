/**
 * Seek ahead, in a real browser on the real stack: a viewer jumps past what is dubbed, the
 * page says it is dubbing that part first (`data-state="dubbing-seek"`), and playback resumes
 * by itself at that position once the playlist reaches it.
 */
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeSampleVideo } from "@vitranslator/testkit";
import { taskStatus, uploadTask } from "@vitranslator/testkit/stack";
import { launchChromium } from "../src/browser";
import { startStack } from "../src/stack";
import type { Stack } from "../src/stack";

let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  // A slow translation endpoint keeps the end of the clip undubbed when the viewer jumps there.
  stack = await startStack({ llmLatencyMs: 1500 });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

interface VideoState {
  currentTime: number;
  paused: boolean;
  frameState: string | null;
  overlay: string;
}

/** Uploads a 90 s clip and opens its watch page once playback has started. */
async function watchWhileDubbing(name: string) {
  const clip = await makeSampleVideo({
    dir: path.join(stack.storageDir, `inputs-${name}`),
    durationMs: 90_000,
    music: true,
    name,
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on("pageerror", (e) => console.error("page error:", e.message));
  const task = await uploadTask(stack.baseUrl, { video: clip.video, subtitles: clip.srt });
  await page.goto(stack.baseUrl + task.watchUrl);
  await page.waitForFunction(
    () => {
      const v = document.querySelector<HTMLVideoElement>("#player");
      return !!v && v.currentTime > 0.3 && !v.paused;
    },
    undefined,
    { timeout: 180_000 },
  );
  return { clip, page, task };
}

/**
 * After a jump to `targetS` past the dubbed edge: the page says it dubs that part first and
 * holds there, then resumes by itself at that position.
 */
async function expectSeekAhead(page: Page, taskId: string, targetS: number): Promise<void> {
  const read = () =>
    page.evaluate((): VideoState => {
      const v = document.querySelector<HTMLVideoElement>("#player")!;
      const frame = document.querySelector(".player-frame");
      return {
        currentTime: v.currentTime,
        paused: v.paused,
        frameState: frame?.getAttribute("data-state") ?? null,
        overlay: frame?.querySelector(".player-overlay")?.textContent ?? "",
      };
    });
  await page.waitForFunction(
    () => document.querySelector(".player-frame")?.getAttribute("data-state") === "dubbing-seek",
    undefined,
    { timeout: 10_000 },
  );
  const waiting = await read();
  expect(waiting.overlay).toContain("Dubbing this part first");
  // Nothing plays meanwhile: the playhead stays where the viewer put it.
  expect(waiting.currentTime).toBeGreaterThanOrEqual(targetS - 0.5);
  expect((await taskStatus(stack.baseUrl, taskId)).status).not.toBe("completed");

  // Resumes by itself, at that position, with no further input.
  await page.waitForFunction(
    (t) => {
      const v = document.querySelector<HTMLVideoElement>("#player")!;
      const state = document.querySelector(".player-frame")?.getAttribute("data-state");
      return !v.paused && v.currentTime > t + 0.5 && state === "playing";
    },
    targetS,
    { timeout: 240_000, polling: 100 },
  );
  const resumed = await read();
  expect(resumed.paused).toBe(false);
  // At the position it was asked for: not back at the dubbed edge, not skipped further on.
  expect(resumed.currentTime).toBeGreaterThan(targetS);
  expect(resumed.currentTime).toBeLessThan(targetS + 3);
  expect(resumed.overlay).not.toContain("Dubbing this part first");
}

describe("seek ahead", () => {
  // Chromium clamps a seek to the media's duration; the player gives the media the whole
  // planned length while the playlist grows, so a jump to 80 s is not clamped to the dubbed
  // edge (issue 9 item 3).
  it("shows that it dubs the part under the playhead first, then resumes there by itself", async () => {
    const { page, task } = await watchWhileDubbing("seek-ahead");
    const before = await taskStatus(stack.baseUrl, task.id);
    expect(before.segments.published, "the whole clip was dubbed before the jump").toBeLessThan(
      before.segments.total,
    );

    // The viewer jumps near the end, past the dubbed edge (the last part is not published).
    const targetS = 80;
    await page.evaluate((t) => {
      const v = document.querySelector<HTMLVideoElement>("#player")!;
      v.currentTime = t;
    }, targetS);
    await expectSeekAhead(page, task.id, targetS);
    await page.close();
  });

  it("a transcript line past the dubbed edge takes the same path", async () => {
    const { clip, page, task } = await watchWhileDubbing("seek-ahead-line");
    const lines = page.locator("#transcript .line-button");
    await expect.poll(() => lines.count(), { timeout: 30_000 }).toBe(clip.lines.length);
    const last = clip.lines.at(-1)!;
    const before = await taskStatus(stack.baseUrl, task.id);
    expect(before.segments.published, "the last line was dubbed before the click").toBeLessThan(
      before.segments.total,
    );

    await lines.last().click();
    await expectSeekAhead(page, task.id, last.startMs / 1000);
    await page.close();
  });
});
