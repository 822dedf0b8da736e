/**
 * The product's promise, in a real browser on the real stack: upload a video with a
 * subtitle file, watch the first dubbed part play while later parts are still being
 * made, see the live subtitle, then download the final MP4.
 */
import { spawnSync } from "node:child_process";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeSampleVideo, probeDurationMs } from "@vitranslator/testkit";
import type { SampleVideo } from "@vitranslator/testkit";
import { downloadMp4, taskStatus, uploadTask, waitForTask } from "@vitranslator/testkit/stack";
import { launchChromium } from "../src/browser";
import { ROOT, startStack } from "../src/stack";
import type { Stack } from "../src/stack";
import { installWatchRecorder, watchUntilEnded } from "../src/watch-recorder";

const SHOTS = path.join(ROOT, "test-results", "screenshots");
let stack: Stack;
let browser: Browser;
let sample: SampleVideo;
const ADMIN_TOKEN = "e2e-admin-token-0123456789";

beforeAll(async () => {
  await mkdir(SHOTS, { recursive: true });
  // A little latency on the translation endpoint, as a real one has.
  stack = await startStack({ llmLatencyMs: 300, env: { ADMIN_TOKEN } });
  sample = await makeSampleVideo({
    dir: path.join(stack.storageDir, "inputs"),
    durationMs: 60_000,
    music: true,
    name: "talk show",
  });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe("upload → watch while dubbing → download", () => {
  it("plays the first dubbed segment before the task completes and downloads the final MP4", async () => {
    const page: Page = await browser.newPage({
      viewport: { width: 1280, height: 900 },
      acceptDownloads: true,
    });
    page.on("pageerror", (e) => console.error("page error:", e.message));
    await page.goto(stack.baseUrl + "/");
    await page.locator("#video").setInputFiles(sample.video);
    await page.locator("#subtitles").setInputFiles(sample.srt);
    await page.locator("#targetLanguage").selectOption("fr");
    await page.screenshot({ path: path.join(SHOTS, "upload.png") });
    await page.getByRole("button", { name: "Dub it" }).click();
    await page.waitForURL(/\/watch\/[A-Za-z0-9_-]{22}$/, { timeout: 60_000 });
    const id = page.url().split("/").pop()!;

    // The player starts from 0 as soon as the first segment is published…
    await page.waitForFunction(
      () => {
        const v = document.querySelector<HTMLVideoElement>("#player");
        return !!v && v.currentTime > 0.3 && !v.paused;
      },
      undefined,
      { timeout: 120_000 },
    );
    // …while the rest is still being dubbed.
    const atStart = await taskStatus(stack.baseUrl, id);
    expect(atStart.status).not.toBe("completed");
    expect(atStart.segments.published).toBeLessThan(atStart.segments.total);
    const startedAt = await page.evaluate(
      () => document.querySelector<HTMLVideoElement>("#player")!.currentTime,
    );
    expect(startedAt).toBeLessThan(8);

    // The live subtitle shows the translation of what is playing.
    await page.waitForFunction(
      () => /\[fr\]/.test(document.querySelector("#live-subtitle")?.textContent ?? ""),
      undefined,
      { timeout: 30_000 },
    );
    await page.screenshot({ path: path.join(SHOTS, "watch-live.png") });
    await expect
      .poll(async () => page.locator("#transcript li").count(), { timeout: 30_000 })
      .toBeGreaterThan(0);

    // Completion: status, downloads.
    await page.waitForFunction(
      () => /completed/i.test(document.querySelector("#status")?.textContent ?? ""),
      undefined,
      { timeout: 240_000 },
    );
    await expect.poll(async () => page.locator("#transcript li").count()).toBe(sample.lines.length);
    await page.screenshot({ path: path.join(SHOTS, "watch-completed.png") });
    const downloadPromise = page.waitForEvent("download");
    await page.locator("#download-mp4").click();
    const download = await downloadPromise;
    const saved = path.join(ROOT, "test-results", "dubbed.mp4");
    await download.saveAs(saved);
    const probe = spawnSync(
      "ffprobe",
      ["-v", "error", "-show_entries", "format=duration:stream=codec_type", "-of", "json", saved],
      { encoding: "utf8" },
    );
    const info = JSON.parse(probe.stdout) as {
      format: { duration: string };
      streams: { codec_type: string }[];
    };
    expect(info.streams.map((s) => s.codec_type).sort()).toEqual(["audio", "video"]);
    expect(Math.abs(Number(info.format.duration) * 1000 - sample.durationMs)).toBeLessThan(500);
    const srt = await fetch(`${stack.baseUrl}/api/tasks/${id}/subtitles.srt`).then((r) => r.text());
    expect(srt).toContain("[fr] Welcome to this short demonstration");
    await page.close();
  });
});

describe("owner edits a line → share link is read-only → admin sees the timings", () => {
  it("re-dubs an edited line live, refuses viewers, and lists the task on /admin", async () => {
    const short = await makeSampleVideo({
      dir: path.join(stack.storageDir, "inputs-edit"),
      durationMs: 16_000,
      name: "edit me",
    });
    const owner = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    owner.on("pageerror", (e) => console.error("page error:", e.message));
    await owner.goto(stack.baseUrl + "/");
    await owner.locator("#video").setInputFiles(short.video);
    await owner.locator("#subtitles").setInputFiles(short.srt);
    await owner.locator("#targetLanguage").selectOption("fr");
    await owner.locator("#voice").selectOption("female");
    // The duration is read in the browser before anything is uploaded.
    await owner.waitForFunction(() => /0:16/.test(document.querySelector("#file-facts")?.textContent ?? ""));
    await owner.getByRole("button", { name: "Dub it" }).click();
    await owner.waitForURL(/\/watch\/[A-Za-z0-9_-]{22}$/, { timeout: 60_000 });
    const id = owner.url().split("/").pop()!;

    await owner.waitForFunction(
      () => {
        const v = document.querySelector<HTMLVideoElement>("#player");
        return !!v && v.currentTime > 0.3 && !v.paused;
      },
      undefined,
      { timeout: 120_000 },
    );
    await owner.waitForFunction(
      () => /\[fr\]/.test(document.querySelector("#live-subtitle")?.textContent ?? ""),
      undefined,
      { timeout: 30_000 },
    );

    // The owner corrects the first line of the published part.
    const line = owner.locator("#transcript li:has(.line-edit-button)").first();
    await line.waitFor({ timeout: 60_000 });
    const index = await line.getAttribute("data-index");
    // The line is found again by index: while editing it has no Edit button.
    const edited = owner.locator(`#transcript li[data-index="${index}"]`);
    await edited.locator(".line-edit-button").click();
    const corrected = "Bonjour à tous, voici la phrase corrigée.";
    await edited.locator("textarea[name=translation]").fill(corrected);
    await owner.screenshot({ path: path.join(SHOTS, "watch-edit.png") });
    await edited.getByRole("button", { name: "Save and re-dub" }).click();
    await expect
      .poll(async () => edited.locator(".line-translation").textContent(), { timeout: 30_000 })
      .toBe(corrected);
    await edited.locator(".redub-mark.done").waitFor({ timeout: 120_000 });
    expect(await edited.locator(".redub-mark").textContent()).toBe("re-dubbed");
    await owner.screenshot({ path: path.join(SHOTS, "watch.png") });

    // Someone with the share link only: same text, no edit controls, and the server refuses edits.
    const viewer = await browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    const phone = await viewer.newPage();
    await phone.goto(`${stack.baseUrl}/watch/${id}`);
    const seen = phone.locator(`#transcript li[data-index="${index}"]`);
    await expect
      .poll(async () => seen.locator(".line-translation").textContent(), { timeout: 30_000 })
      .toBe(corrected);
    expect(await seen.locator(".redub-mark").textContent()).toBe("re-dubbed");
    expect(await phone.locator(".line-edit-button").count()).toBe(0);
    const refused = await phone.evaluate(
      async ({ id, index }) => {
        const res = await fetch("/api/trpc/task.editSentence", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ id, index: Number(index), translation: "pirate", ownerToken: "guess" }),
        });
        return { status: res.status, body: await res.text() };
      },
      { id, index },
    );
    expect(refused.status).toBe(403);
    expect(refused.body).toContain("FORBIDDEN");
    // Nothing on the phone is wider than the screen.
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await phone.screenshot({ path: path.join(SHOTS, "watch-phone.png") });
    await viewer.close();

    // The admin signs in once and sees the task with its stage timings.
    const admin = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await admin.goto(`${stack.baseUrl}/admin`);
    await admin.locator("#admin-token").fill(ADMIN_TOKEN);
    await admin.getByRole("button", { name: "Sign in" }).click();
    const row = admin.locator(`#admin-tasks tr[data-task="${id}"]`);
    await row.waitFor({ timeout: 30_000 });
    await expect.poll(async () => row.locator(".stage-bar").count()).toBeGreaterThan(3);
    expect(Number(await row.locator('.stage-bar[data-stage="tts"]').getAttribute("data-ms"))).toBeGreaterThan(
      0,
    );
    expect(await admin.locator("#admin-queues .queue-card").count()).toBe(8);
    await admin.screenshot({ path: path.join(SHOTS, "admin.png"), fullPage: true });
    await admin.close();
    await owner.close();
  });
});

describe("watch a whole dub: first frame → ended", () => {
  it("plays from the start to `ended`, and the played duration equals the final MP4's", async () => {
    const clip = await makeSampleVideo({
      dir: path.join(stack.storageDir, "inputs-whole"),
      durationMs: 24_000,
      music: true,
      name: "whole",
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    page.on("pageerror", (e) => console.error("page error:", e.message));
    await installWatchRecorder(page);
    const task = await uploadTask(stack.baseUrl, { video: clip.video, subtitles: clip.srt });
    await page.goto(stack.baseUrl + task.watchUrl);

    let completedAt = 0;
    const { record, stoppedBecause } = await watchUntilEnded(page, {
      // Bounded: the clip's length plus a generous margin for dubbing it, never a hang.
      deadline: task.uploadedAt + clip.durationMs + 150_000,
      async giveUp(rec) {
        const s = await taskStatus(stack.baseUrl, task.id);
        if (s.status === "failed" || s.status === "cancelled") return `task ${s.status}`;
        if (s.status === "completed") completedAt ||= Date.now();
        const paused = rec?.paused ? "paused" : "playing";
        if (completedAt && Date.now() - completedAt > 30_000)
          return `not ended 30 s after the task completed (${paused} at ${rec?.positionS} of ${rec?.durationS} s)`;
        return null;
      },
    });
    expect(record?.firstFrameAtMs, "the first frame never played").not.toBeNull();
    // From the first frame: playback started at the beginning, not at a live edge.
    expect(record!.firstFramePositionS!).toBeLessThan(0.5);
    expect(record!.ended, `did not reach ended: ${stoppedBecause} (at ${record!.positionS} s)`).toBe(true);

    expect((await waitForTask(stack.baseUrl, task.id, { timeoutMs: 60_000 })).status).toBe("completed");
    const mp4 = path.join(ROOT, "test-results", "whole-dub.mp4");
    await downloadMp4(stack.baseUrl, task.id, mp4);
    const mp4S = (await probeDurationMs(mp4)) / 1000;
    // The player ends where the final MP4 ends…
    expect(Math.abs(record!.positionS! - mp4S)).toBeLessThanOrEqual(0.3);
    expect(Math.abs(record!.durationS! - mp4S)).toBeLessThanOrEqual(0.3);
    // …and played all of it, nothing skipped by a seek or a jump over a gap.
    expect(Math.abs(record!.playedS + record!.firstFramePositionS! - mp4S)).toBeLessThanOrEqual(0.3);
    await context.close();
  });
});
