/**
 * The viewer benchmark's recorder, checked in Chromium against a known playback: hls.js
 * (the web app's own copy) plays a growing EVENT playlist of three 2 s chunks, the page
 * announces one planned wait first, and the third chunk is held back until the recorder
 * has seen the stall — so the figures it must report are known in advance.
 */
import { spawnSync } from "node:child_process";
import { readFile, mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../src/browser";
import { ROOT } from "../src/stack";
import { installWatchRecorder, readWatchRecord, watchUntilEnded } from "../src/watch-recorder";

const PAGE = `<!doctype html><html><body>
<div class="player-frame" data-state="waiting"><video id="player" muted playsinline></video>
<div class="player-overlay"></div></div>
<script src="/hls.js"></script><script>
const frame = document.querySelector(".player-frame");
const overlay = document.querySelector(".player-overlay");
const video = document.getElementById("player");
const hls = new Hls({ startPosition: 0, liveSyncDurationCount: 1000000, liveMaxLatencyDurationCount: Infinity });
hls.on(Hls.Events.MANIFEST_PARSED, () => {
  frame.dataset.state = "planned-wait";
  overlay.textContent = "Starting in 1 s so you can watch without pauses";
  setTimeout(() => { frame.dataset.state = "playing"; overlay.textContent = ""; video.play(); }, 1000);
});
hls.loadSource("/index.m3u8");
hls.attachMedia(video);
</script></body></html>`;

let dir: string;
let server: http.Server;
let base: string;
let browser: Browser;
let released = false;

function playlist(): string {
  const chunks = released ? [0, 1, 2] : [0, 1];
  return [
    "#EXTM3U",
    "#EXT-X-VERSION:3",
    "#EXT-X-TARGETDURATION:2",
    "#EXT-X-PLAYLIST-TYPE:EVENT",
    "#EXT-X-MEDIA-SEQUENCE:0",
    ...chunks.flatMap((i) => ["#EXTINF:2.000000,", `seg${i}.ts`]),
    ...(released ? ["#EXT-X-ENDLIST"] : []),
    "",
  ].join("\n");
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "vt-recorder-"));
  // 6 s, keyframe every 2 s, cut into three 2 s chunks.
  const r = spawnSync(
    "ffmpeg",
    [
      ...["-hide_banner", "-nostdin", "-y", "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25:duration=6"],
      ...["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100:duration=6"],
      ...["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", "50", "-c:a", "aac"],
      ...["-f", "segment", "-segment_time", "2", "-segment_format", "mpegts", path.join(dir, "seg%d.ts")],
    ],
    { encoding: "utf8" },
  );
  if (r.status !== 0) throw new Error(r.stderr.slice(-1500));
  const hlsJs = createRequire(path.join(ROOT, "apps", "web", "package.json")).resolve(
    "hls.js/dist/hls.min.js",
  );
  server = http.createServer((req, res) => {
    const url = req.url ?? "/";
    const send = (type: string, body: string | Buffer) => {
      res.writeHead(200, { "content-type": type, "cache-control": "no-store" });
      res.end(body);
    };
    const chunk = /^\/seg(\d)\.ts$/.exec(url);
    if (url === "/") send("text/html", PAGE);
    else if (url === "/hls.js") void readFile(hlsJs).then((b) => send("text/javascript", b));
    else if (url.startsWith("/index.m3u8")) send("application/vnd.apple.mpegurl", playlist());
    else if (chunk) void readFile(path.join(dir, `seg${chunk[1]}.ts`)).then((b) => send("video/mp2t", b));
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  server?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("watch recorder", () => {
  it("reports the first frame, one planned wait, one stall where the chunk was missing, and ended", async () => {
    const page = await browser.newPage();
    await installWatchRecorder(page);
    const opened = Date.now();
    await page.goto(base + "/");

    // Hold the third chunk back until the stall has been seen, then for 1.5 s more.
    const stallDeadline = Date.now() + 60_000;
    while (!(await readWatchRecord(page))?.stalls.some((s) => s.open)) {
      expect(Date.now(), "no stall was recorded at the missing chunk").toBeLessThan(stallDeadline);
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 1500));
    released = true;

    const { record, stoppedBecause } = await watchUntilEnded(page, {
      deadline: Date.now() + 60_000,
      pollMs: 200,
    });
    expect(stoppedBecause).toBeNull();
    const rec = record!;
    expect(rec.ended).toBe(true);
    expect(rec.firstFrameAtMs).toBeGreaterThan(opened);
    expect(rec.firstFramePositionS).toBeLessThan(0.2);

    expect(rec.plannedWaits).toHaveLength(1);
    const wait = rec.plannedWaits[0]!;
    expect(wait.state).toBe("planned-wait");
    expect(wait.message).toBe("Starting in 1 s so you can watch without pauses");
    expect(wait.durationMs).toBeGreaterThan(800);
    expect(wait.durationMs).toBeLessThan(3000);
    // The planned wait came before the first frame and is not counted as a stall.
    expect(wait.startedAtMs).toBeLessThan(rec.firstFrameAtMs!);

    expect(rec.stalls).toHaveLength(1);
    const stall = rec.stalls[0]!;
    expect(stall.open).toBe(false);
    expect(stall.positionS).toBeGreaterThan(3.5);
    expect(stall.positionS).toBeLessThanOrEqual(4.05);
    expect(stall.durationMs).toBeGreaterThanOrEqual(1500);

    expect(rec.durationS).toBeCloseTo(6, 0);
    expect(Math.abs(rec.positionS! - rec.durationS!)).toBeLessThan(0.1);
    expect(Math.abs(rec.playedS - 6)).toBeLessThan(0.3);
    expect(rec.seeks).toEqual([]);
    expect(rec.stateMs["planned-wait"]).toBeGreaterThan(800);
    expect(rec.state).toBe("playing");
    await page.close();
  });
});
