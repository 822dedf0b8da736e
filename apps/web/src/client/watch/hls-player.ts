/**
 * hls.js set up for a growing EVENT playlist: start at position 0 (never at the live edge),
 * never speed up to catch up, and re-read the playlist as soon as a chunk lands — the
 * server holds `_HLS_msn` requests until then (blocking playlist reload), which hls.js uses
 * in low-latency mode. Falls back to native HLS where only that exists.
 */
import type HlsType from "hls.js";
import type { MediaPlaylist } from "hls.js";

const RETRY_AFTER_ERROR_MS = 2000;

/** The audio menu's value for the original sound (its rendition's LANGUAGE is "und"). */
export const ORIGINAL_AUDIO = "orig";

/** The rendition for a menu value: a dub language's tag, or ORIGINAL_AUDIO. */
export function audioTrackIndex(tracks: readonly Pick<MediaPlaylist, "lang">[], wanted: string): number {
  const lang = wanted === ORIGINAL_AUDIO ? "und" : wanted;
  return tracks.findIndex((t) => t.lang === lang);
}

/** The menu value of a rendition. */
export const audioTrackValue = (track: Pick<MediaPlaylist, "lang"> | undefined): string | null =>
  !track?.lang ? null : track.lang === "und" ? ORIGINAL_AUDIO : track.lang;

export interface HlsHandle {
  destroy: () => void;
  /** Switches to the audio rendition of `wanted` (see audioTrackIndex) in place. */
  selectAudio: (wanted: string) => void;
  /** Reads the master playlist again (a language was added), then returns to the same position. */
  reload: () => void;
}

const NO_PLAYER: HlsHandle = { destroy: () => {}, selectAudio: () => {}, reload: () => {} };

export function createHls(opts: {
  Hls: typeof HlsType;
  video: HTMLVideoElement;
  playlistUrl: string;
  /** Called once, when there is something to play. */
  onReady: () => void;
  /** The audio rendition wanted when the master is (re)read. */
  audioLanguage?: () => string;
  /** The audio rendition now playing: its menu value and index in hls.audioTracks. */
  onAudioTrack?: (value: string | null, index: number) => void;
  /** The whole planned length (s) while the playlist grows; null when unknown or complete. */
  plannedDurationS?: () => number | null;
}): HlsHandle {
  const { Hls, video, playlistUrl } = opts;
  let readyCalled = false;
  const ready = () => {
    if (readyCalled) return;
    readyCalled = true;
    opts.onReady();
  };
  if (!Hls.isSupported()) {
    if (!video.canPlayType("application/vnd.apple.mpegurl")) return NO_PLAYER;
    const toStart = () => {
      video.currentTime = 0;
      ready();
    };
    video.addEventListener("loadedmetadata", toStart, { once: true });
    video.src = playlistUrl;
    // Native HLS (Safari) has its own audio menu in its controls.
    return {
      destroy: () => {
        video.removeEventListener("loadedmetadata", toStart);
        video.removeAttribute("src");
        video.load();
      },
      selectAudio: () => {},
      reload: () => {},
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
  // The page draws its own live subtitle from the transcript: hls.js shows none.
  hls.subtitleDisplay = false;
  let retry: ReturnType<typeof setTimeout> | undefined;
  const selectAudio = (wanted: string) => {
    const index = audioTrackIndex(hls.audioTracks, wanted);
    if (index >= 0 && index !== hls.audioTrack) hls.audioTrack = index;
  };
  hls.on(Hls.Events.MANIFEST_PARSED, () => {
    hls.subtitleTrack = -1;
    if (opts.audioLanguage) selectAudio(opts.audioLanguage());
    ready();
  });
  // A growing playlist's duration is its published end, and the browser clamps a seek to it,
  // so a jump further on would land at the dubbed edge. The MediaSource is given the whole
  // planned length as soon as it opens (before any SourceBuffer exists, so this cannot race
  // an append); hls.js only ever raises it from there, and endOfStream sets the real end.
  hls.on(Hls.Events.MEDIA_ATTACHED, (_event, data) => {
    const planned = opts.plannedDurationS?.();
    const ms = data.mediaSource;
    if (!planned || ms?.readyState !== "open" || ms.sourceBuffers.length > 0) return;
    if (!(ms.duration >= planned)) ms.duration = planned;
  });
  hls.on(Hls.Events.AUDIO_TRACK_SWITCHED, (_event, data) =>
    opts.onAudioTrack?.(audioTrackValue(hls.audioTracks[data.id]), data.id),
  );
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
  return {
    destroy: () => {
      clearTimeout(retry);
      hls.destroy();
    },
    selectAudio,
    reload: () => {
      // loadSource re-attaches the media (a new MediaSource, empty): loading restarts at
      // config.startPosition, so that is where playback is now.
      const playing = !video.paused;
      hls.config.startPosition = video.currentTime;
      hls.loadSource(playlistUrl);
      // A new source pauses the element; carry on as before.
      if (playing)
        hls.once(Hls.Events.MANIFEST_PARSED, () => {
          video.play().catch(() => {
            /* the controls are there */
          });
        });
    },
  };
}
