/** Checks a chosen file against the server's limits before any byte is uploaded. */
export interface Limits {
  maxUploadMb: number;
  maxDurationMin: number;
}

export async function fetchLimits(signal: AbortSignal): Promise<Limits | null> {
  const res = await fetch("/api/limits", { signal, headers: { Accept: "application/json" } });
  if (!res.ok) return null;
  const body = (await res.json()) as Partial<Limits>;
  return typeof body.maxUploadMb === "number" && typeof body.maxDurationMin === "number"
    ? { maxUploadMb: body.maxUploadMb, maxDurationMin: body.maxDurationMin }
    : null;
}

/** A clear message when the file breaks a limit, else null. Unknown duration is left to the server. */
export function limitError(
  file: { sizeBytes: number; durationMs: number | null },
  limits: Limits,
): string | null {
  const mb = file.sizeBytes / 1024 / 1024;
  if (mb > limits.maxUploadMb)
    return `This file is ${mb >= 1024 ? `${(mb / 1024).toFixed(1)} GB` : `${Math.ceil(mb)} MB`}; the limit is ${limits.maxUploadMb} MB.`;
  if (file.durationMs !== null && file.durationMs > limits.maxDurationMin * 60_000)
    return `This video is ${Math.ceil(file.durationMs / 60_000)} min long; the limit is ${limits.maxDurationMin} min.`;
  return null;
}

/**
 * Duration from the browser's own demuxer: a detached <video> reads only the metadata.
 * Null when the browser cannot read the format (the server's ffprobe still checks it).
 */
export function readDurationMs(file: File, timeoutMs = 10_000): Promise<number | null> {
  return new Promise((resolve) => {
    const url = URL.createObjectURL(file);
    const video = document.createElement("video");
    video.preload = "metadata";
    video.muted = true;
    const done = (value: number | null) => {
      clearTimeout(timer);
      video.removeAttribute("src");
      video.load();
      URL.revokeObjectURL(url);
      resolve(value);
    };
    const timer = setTimeout(() => done(null), timeoutMs);
    video.onloadedmetadata = () =>
      done(Number.isFinite(video.duration) && video.duration > 0 ? Math.round(video.duration * 1000) : null);
    video.onerror = () => done(null);
    video.src = url;
  });
}
