import { chromium } from "playwright-core";
import type { Browser } from "playwright-core";

/**
 * Debian's Chromium, driven by playwright-core (no browser download). `extraArgs` adds
 * flags, e.g. the benchmark's to keep several watching pages from being throttled.
 */
export async function launchChromium(opts: { extraArgs?: string[] } = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--autoplay-policy=no-user-gesture-required",
      ...(opts.extraArgs ?? []),
    ],
  });
}
