/**
 * Seek ahead: where a jump lands against what is dubbed. A jump past the published end waits
 * (the part under it is asked for first) and resumes by itself once the playlist covers it.
 * The position asked for is kept here, apart from `video.currentTime`, which a browser clamps
 * to the media's seekable end.
 */

/** What the player knows of the parts: every part's duration, how many are published. */
export interface PublishedParts {
  partsMs: readonly number[];
  publishedCount: number;
  /** Nothing more will be published. */
  done: boolean;
}

/** A seek that the browser moved by less than this landed where it was asked. */
const SEEK_TOLERANCE_MS = 250;

/** Where the published parts end (ms). */
export const publishedEndMs = (p: PublishedParts): number =>
  p.partsMs.slice(0, p.publishedCount).reduce((a, b) => a + b, 0);

/**
 * The whole planned length in seconds, or null while unplanned or once nothing more comes:
 * the media is given this duration up front, so that the seek bar spans the whole video and
 * a seek past the published end is not clamped to it.
 */
export function plannedDurationS(p: PublishedParts): number | null {
  if (p.done) return null;
  const total = p.partsMs.reduce((a, b) => a + b, 0);
  return total > 0 ? total / 1000 : null;
}

/** True when `askedMs` is past what is published: that part is dubbed first. */
export const needsDubbingFirst = (askedMs: number, p: PublishedParts): boolean =>
  !p.done && askedMs >= publishedEndMs(p);

/**
 * The position a `seeking` event asks for. The element reports the clamped position of a
 * seek past its seekable end; while a jump to `pendingMs` waits, a seek that landed at that
 * end (short of the asked position) is the same jump, not a new one.
 */
export function askedSeekMs(opts: {
  currentMs: number;
  pendingMs: number | null;
  seekableEndMs: number;
}): number {
  const { currentMs, pendingMs, seekableEndMs } = opts;
  if (pendingMs === null || currentMs >= pendingMs - SEEK_TOLERANCE_MS) return currentMs;
  return currentMs >= seekableEndMs - SEEK_TOLERANCE_MS ? pendingMs : currentMs;
}

/** True when the element could not go to `askedMs` (it was clamped short of it). */
export const landedShort = (currentMs: number, askedMs: number): boolean =>
  currentMs < askedMs - SEEK_TOLERANCE_MS;

/** True when the element is where it was asked to be. */
export const landedAt = (currentMs: number, askedMs: number): boolean =>
  Math.abs(currentMs - askedMs) <= SEEK_TOLERANCE_MS;

/**
 * True once a waiting jump can play: the part under it is published and the media reaches
 * that far (so that setting currentTime is not clamped again), or nothing more will come.
 */
export function pendingSeekReached(opts: {
  pendingMs: number;
  parts: PublishedParts;
  seekableEndMs: number;
}): boolean {
  const { pendingMs, parts, seekableEndMs } = opts;
  if (parts.done) return true;
  return publishedEndMs(parts) > pendingMs && seekableEndMs > pendingMs;
}
