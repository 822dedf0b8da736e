/** Blocking playlist reload: a request for a chunk the playlist lacks is answered when it lands. */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { playlistState, requestedMsn, waitForPlaylist } from "../server/playlist-wait";

const playlist = (chunks: number, ended = false) =>
  [
    "#EXTM3U",
    "#EXT-X-TARGETDURATION:6",
    ...Array.from({ length: chunks }, (_, i) => `#EXTINF:4.000,\nseg_0_${i}.ts`),
    ...(ended ? ["#EXT-X-ENDLIST"] : []),
  ].join("\n");

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "vitr-hold-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("playlist hold", () => {
  it("reads the directive and the playlist's state", () => {
    expect(requestedMsn("/media/x/hls/index.m3u8?_HLS_msn=12")).toBe(12);
    expect(requestedMsn("/media/x/hls/index.m3u8?_HLS_msn=-1")).toBeNull();
    expect(requestedMsn("/media/x/hls/index.m3u8?_HLS_msn=99999999999")).toBeNull();
    expect(requestedMsn("/media/x/hls/index.m3u8")).toBeNull();
    expect(playlistState(playlist(3))).toEqual({ chunks: 3, ended: false });
    expect(playlistState(playlist(2, true))).toEqual({ chunks: 2, ended: true });
  });

  it("answers at once when the chunk is there, and when it lands otherwise", async () => {
    const file = path.join(dir, "a.m3u8");
    await writeFile(file, playlist(2));
    expect(playlistState((await waitForPlaylist({ file, msn: 1 }))!).chunks).toBe(2);
    const waiting = waitForPlaylist({ file, msn: 2, holdMs: 10_000 });
    let answered = false;
    void waiting.then(() => (answered = true));
    await new Promise((r) => setTimeout(r, 300));
    expect(answered).toBe(false);
    await writeFile(file, playlist(3));
    expect(playlistState((await waiting)!).chunks).toBe(3);
  });

  it("answers when the playlist ends, when the hold runs out, and when the viewer leaves", async () => {
    const file = path.join(dir, "b.m3u8");
    await writeFile(file, playlist(1));
    const ended = waitForPlaylist({ file, msn: 5, holdMs: 10_000 });
    await writeFile(file, playlist(1, true));
    expect(playlistState((await ended)!).ended).toBe(true);

    const t0 = Date.now();
    expect(
      playlistState((await waitForPlaylist({ file: path.join(dir, "b.m3u8"), msn: 9, holdMs: 10_000 }))!)
        .ended,
    ).toBe(true);
    await writeFile(file, playlist(1));
    const held = await waitForPlaylist({ file, msn: 3, holdMs: 200 });
    expect(playlistState(held!).chunks).toBe(1);
    expect(Date.now() - t0).toBeLessThan(5000);

    const gone = new AbortController();
    const leaving = waitForPlaylist({ file, msn: 3, holdMs: 10_000, signal: gone.signal });
    gone.abort();
    expect(await leaving).toBeNull();
  });
});
