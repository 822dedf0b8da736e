/**
 * One video, many languages (issue 13), in a real browser on the real stack: upload one
 * video for French and Spanish with a glossary, switch the dub and the subtitles while it
 * plays (in place: no reload, no jump back), add German as the owner (the player reads the
 * master again and stays where it was), then download each language and the all-tracks MP4.
 */
import { spawnSync } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeSampleVideo } from "@vitranslator/testkit";
import type { SampleVideo } from "@vitranslator/testkit";
import { launchChromium } from "../src/browser";
import { ROOT, startStack } from "../src/stack";
import type { Stack } from "../src/stack";

const SHOTS = path.join(ROOT, "test-results", "screenshots");
let stack: Stack;
let browser: Browser;
let sample: SampleVideo;

beforeAll(async () => {
  await mkdir(SHOTS, { recursive: true });
  stack = await startStack({ llmLatencyMs: 200 });
  sample = await makeSampleVideo({
    dir: path.join(stack.storageDir, "inputs-languages"),
    durationMs: 36_000,
    name: "many languages",
  });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const playerTime = (page: Page) =>
  page.evaluate(() => document.querySelector<HTMLVideoElement>("#player")!.currentTime);

const subtitleText = (page: Page) =>
  page.evaluate(() => document.querySelector("#live-subtitle .live-translation")?.textContent ?? "");

/** From now on, the lowest position the player reports (a reload would show as a drop to ~0). */
async function watchLowestPosition(page: Page): Promise<void> {
  await page.evaluate(() => {
    const v = document.querySelector<HTMLVideoElement>("#player")!;
    const w = window as unknown as { lowest: number };
    w.lowest = v.currentTime;
    v.addEventListener("timeupdate", () => {
      w.lowest = Math.min(w.lowest, v.currentTime);
    });
  });
}
const lowestPosition = (page: Page) => page.evaluate(() => (window as unknown as { lowest: number }).lowest);

describe("one video, several dub languages", () => {
  it("switches dub and subtitles during playback, adds a language, downloads each", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on("pageerror", (e) => console.error("page error:", e.message));
    await page.goto(stack.baseUrl + "/");
    await page.locator("#video").setInputFiles(sample.video);
    await page.locator("#subtitles").setInputFiles(sample.srt);
    await page.locator("#targetLanguage").selectOption("fr");
    await page.locator('input[name="extraLanguage"][value="es"]').check();
    // Several languages share one video: no burned subtitles.
    expect(await page.locator("#burnSubtitles").isDisabled()).toBe(true);
    await page.locator("#burn-note").waitFor();
    // "pipeline" comes back untranslated from the stand-in translator, so its line is marked.
    await page.locator("#glossary").fill("pipeline = chaîne de traitement\n");
    await page.screenshot({ path: path.join(SHOTS, "upload-languages.png"), fullPage: true });
    await page.getByRole("button", { name: "Dub it" }).click();
    await page.waitForURL(/\/watch\/[A-Za-z0-9_-]{22}$/, { timeout: 60_000 });
    const id = page.url().split("/").pop()!;

    await page.waitForFunction(
      () => {
        const v = document.querySelector<HTMLVideoElement>("#player");
        return !!v && v.currentTime > 1.5 && !v.paused;
      },
      undefined,
      { timeout: 180_000 },
    );
    const options = await page
      .locator("#audio-language option")
      .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(options).toEqual(["fr", "es", "orig"]);
    await page.locator('.player-frame[data-audio-language="fr"]').waitFor({ timeout: 10_000 });
    const trackBefore = await page.locator(".player-frame").getAttribute("data-audio-track");
    await page.waitForFunction(
      () => /\[fr\]/.test(document.querySelector("#live-subtitle")?.textContent ?? ""),
      undefined,
      { timeout: 30_000 },
    );

    // Switch the dub while it plays: hls.js changes its audio track in place.
    await watchLowestPosition(page);
    const before = await playerTime(page);
    await page.locator("#audio-language").selectOption("es");
    await page.locator('.player-frame[data-audio-language="es"]').waitFor({ timeout: 10_000 });
    expect(await page.locator(".player-frame").getAttribute("data-audio-track")).not.toBe(trackBefore);
    await page.waitForFunction(
      (t) => document.querySelector<HTMLVideoElement>("#player")!.currentTime > t + 1.5,
      before,
      { timeout: 30_000 },
    );
    expect(await lowestPosition(page)).toBeGreaterThan(before - 0.5);
    // The subtitles followed the dub; the transcript is the Spanish one.
    expect(await page.locator("#subtitle-language").inputValue()).toBe("es");
    await expect.poll(() => subtitleText(page), { timeout: 30_000 }).toMatch(/\[es\]/);
    await expect
      .poll(async () => page.locator("#transcript .line-translation").first().textContent(), {
        timeout: 30_000,
      })
      .toMatch(/^\[es\]/);
    await page.screenshot({ path: path.join(SHOTS, "watch-languages.png") });

    // Subtitles in another language than the dub, then none.
    await page.locator("#subtitle-language").selectOption("fr");
    await expect.poll(() => subtitleText(page), { timeout: 30_000 }).toMatch(/\[fr\]/);
    expect(await page.locator(".player-frame").getAttribute("data-audio-language")).toBe("es");
    await page.locator("#subtitle-language").selectOption("off");
    await expect.poll(() => subtitleText(page)).toBe("\u00a0");
    // hls.js draws no subtitles of its own.
    expect(
      await page.evaluate(
        () =>
          [...document.querySelector<HTMLVideoElement>("#player")!.textTracks].filter(
            (t) => t.mode === "showing",
          ).length,
      ),
    ).toBe(0);

    // The owner adds German: the player reads the master again where it is.
    const masterUrl = `${stack.baseUrl}/media/${id}/hls/index.m3u8`;
    const masterReads = () => page.evaluate((url) => performance.getEntriesByName(url).length, masterUrl);
    const readsBefore = await masterReads();
    const beforeAdd = await playerTime(page);
    await page.locator("#add-language-select").selectOption("de");
    await page.locator("#add-language").getByRole("button", { name: "Add" }).click();
    await page.locator('#audio-language option[value="de"]').waitFor({ state: "attached", timeout: 30_000 });
    await expect.poll(masterReads, { timeout: 15_000 }).toBeGreaterThan(readsBefore);
    await page.waitForFunction(
      (t) => {
        const v = document.querySelector<HTMLVideoElement>("#player")!;
        return v.currentTime > t + 1 && !v.paused;
      },
      beforeAdd,
      { timeout: 30_000 },
    );
    expect(await lowestPosition(page)).toBeGreaterThan(before - 0.5);
    await page.screenshot({ path: path.join(SHOTS, "watch-language-added.png") });

    // The glossary term lost in a line is marked.
    await page.locator("#transcript .glossary-mark").first().waitFor({ timeout: 120_000 });

    // Downloads: each language as it is finished, then the MP4 with every track.
    await page.locator("#download-mp4-es").waitFor({ timeout: 300_000 });
    await page.locator("#download-mp4").waitFor({ timeout: 60_000 });
    await page.locator("#download-all").waitFor({ timeout: 300_000 });
    await page.screenshot({ path: path.join(SHOTS, "watch-languages-done.png"), fullPage: true });
    const esSrt = await fetch(
      stack.baseUrl + (await page.locator("#download-srt-es").getAttribute("href"))!,
    ).then((r) => r.text());
    expect(esSrt).toContain("[es] Welcome to this short demonstration");
    const all = path.join(ROOT, "test-results", "all-languages.mp4");
    const res = await fetch(stack.baseUrl + (await page.locator("#download-all").getAttribute("href"))!);
    expect(res.status).toBe(200);
    await writeFile(all, Buffer.from(await res.arrayBuffer()));
    const probe = spawnSync(
      "ffprobe",
      ["-v", "error", "-show_entries", "stream=codec_type:stream_tags=language", "-of", "json", all],
      { encoding: "utf8" },
    );
    const streams = (
      JSON.parse(probe.stdout) as { streams: { codec_type: string; tags?: { language?: string } }[] }
    ).streams;
    const audioLanguages = streams.filter((s) => s.codec_type === "audio").map((s) => s.tags?.language ?? "");
    expect(audioLanguages).toHaveLength(4);
    [/^fr/, /^(es|spa)/, /^(de|ger|deu)/, /^und/].forEach((tag, i) => expect(audioLanguages[i]).toMatch(tag));
    await page.close();
  }, 900_000);
});
