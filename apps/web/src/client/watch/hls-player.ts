/**
 * hls.js set up for a growing EVENT playlist: start at position 0 (never at the live edge),
 * never speed up to catch up, and re-read the playlist as soon as a chunk lands — the
 * server holds `_HLS_msn` requests until then (blocking playlist reload), which hls.js uses
 * in low-latency mode. Falls back to native HLS where only that exists.
 */
import type HlsType from "hls.js";

const RETRY_AFTER_ERROR_MS = 2000;

export function createHls(opts: {
  Hls: typeof HlsType;
  video: HTMLVideoElement;
  playlistUrl: string;
  /** Called once, when there is something to play. */
  onReady: () => void;
}): () => void {
  const { Hls, video, playlistUrl } = opts;
  let readyCalled = false;
  const ready = () => {
    if (readyCalled) return;
    readyCalled = true;
    opts.onReady();
  };
  if (!Hls.isSupported()) {
    if (!video.canPlayType("application/vnd.apple.mpegurl")) return () => {};
    const toStart = () => {
      video.currentTime = 0;
      ready();
    };
    video.addEventListener("loadedmetadata", toStart, { once: true });
    video.src = playlistUrl;
    return () => {
      video.removeEventListener("loadedmetadata", toStart);
      video.removeAttribute("src");
      video.load();
    };
  }
  const hls = new Hls({
    startPosition: 0,
    liveSyncDurationCount: 1_000_000,
    liveMaxLatencyDurationCount: Infinity,
    maxLiveSyncPlaybackRate: 1,
    // Blocking playlist reload (the playlist says CAN-BLOCK-RELOAD); there are no partial segments.
    lowLatencyMode: true,
  });
  let retry: ReturnType<typeof setTimeout> | undefined;
  hls.on(Hls.Events.MANIFEST_PARSED, ready);
  hls.on(Hls.Events.ERROR, (_event, data) => {
    if (!data.fatal) return;
    clearTimeout(retry);
    if (data.type === Hls.ErrorTypes.MEDIA_ERROR) {
      hls.recoverMediaError();
    } else if (data.type === Hls.ErrorTypes.NETWORK_ERROR) {
      // The server may restart: try again where playback is (a bare startLoad() could go back to 0).
      retry = setTimeout(() => {
        if (hls.levels.length > 0) hls.startLoad(video.currentTime);
        else hls.loadSource(playlistUrl);
      }, RETRY_AFTER_ERROR_MS);
    }
  });
  hls.loadSource(playlistUrl);
  hls.attachMedia(video);
  return () => {
    clearTimeout(retry);
    hls.destroy();
  };
}
