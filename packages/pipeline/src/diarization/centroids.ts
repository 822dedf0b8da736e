/**
 * Keeping one label per person across segments. Each segment is diarized on its own, so
 * its cluster ids (0, 1, …) mean nothing outside it; every cluster's embedding is matched
 * by cosine similarity against the centroids of the speakers met so far (kept in
 * `work/speakers.json`), and unmatched clusters become new speakers S1, S2, …
 */
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";

export interface KnownSpeaker {
  label: string;
  centroid: number[];
  /** How many cluster embeddings went into the centroid. */
  count: number;
}

export interface SpeakerBook {
  version: 1;
  speakers: KnownSpeaker[];
  /** Segment index → its cluster id → label, so re-running a segment gives the same labels. */
  segments: Record<string, Record<string, string>>;
}

export interface ClusterEmbedding {
  cluster: number;
  embedding: ArrayLike<number>;
}

export const emptyBook = (): SpeakerBook => ({ version: 1, speakers: [], segments: {} });

export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = Math.min(a.length, b.length);
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < n; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}

function unit(v: ArrayLike<number>): number[] {
  const out = Array.from(v);
  const norm = Math.sqrt(out.reduce((s, x) => s + x * x, 0));
  return norm > 0 ? out.map((x) => x / norm) : out;
}

/**
 * Matches one segment's clusters to known speakers (pure: returns a new book). Pairs are
 * taken best-first, each known speaker at most once per segment (two clusters in one
 * segment are two people), and only at or above `threshold`.
 */
export function matchClusters(opts: {
  book: SpeakerBook;
  segmentIndex: number;
  clusters: readonly ClusterEmbedding[];
  threshold?: number;
}): { book: SpeakerBook; labels: Map<number, string> } {
  const key = String(opts.segmentIndex);
  const done = opts.book.segments[key];
  if (done) {
    return { book: opts.book, labels: new Map(Object.entries(done).map(([c, l]) => [Number(c), l])) };
  }
  const threshold = opts.threshold ?? 0.5;
  const speakers = opts.book.speakers.map((s) => ({ ...s, centroid: [...s.centroid] }));
  const pairs: { c: number; s: number; sim: number }[] = [];
  opts.clusters.forEach((c, ci) =>
    speakers.forEach((s, si) => pairs.push({ c: ci, s: si, sim: cosine(c.embedding, s.centroid) })),
  );
  pairs.sort((a, b) => b.sim - a.sim);
  const clusterTo = new Map<number, number>();
  const used = new Set<number>();
  for (const p of pairs) {
    if (p.sim < threshold) break;
    if (clusterTo.has(p.c) || used.has(p.s)) continue;
    clusterTo.set(p.c, p.s);
    used.add(p.s);
  }
  const labels = new Map<number, string>();
  opts.clusters.forEach((c, ci) => {
    const e = unit(c.embedding);
    const si = clusterTo.get(ci);
    const known = si === undefined ? undefined : speakers[si];
    if (known) {
      // Running mean of unit vectors: every appearance counts equally.
      known.centroid = known.centroid.map((x, i) => (x * known.count + (e[i] ?? 0)) / (known.count + 1));
      known.count += 1;
      labels.set(c.cluster, known.label);
    } else {
      const label = `S${speakers.length + 1}`;
      speakers.push({ label, centroid: e, count: 1 });
      labels.set(c.cluster, label);
    }
  });
  const segments = {
    ...opts.book.segments,
    [key]: Object.fromEntries([...labels].map(([c, l]) => [String(c), l])),
  };
  return { book: { version: 1, speakers, segments }, labels };
}

export const speakerBookPath = (taskDir: string) => path.join(taskDir, "work", "speakers.json");

async function readBook(file: string): Promise<SpeakerBook> {
  try {
    const parsed = JSON.parse(await readFile(file, "utf8")) as Partial<SpeakerBook>;
    return { version: 1, speakers: parsed.speakers ?? [], segments: parsed.segments ?? {} };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return emptyBook();
    throw err;
  }
}

/** A lock older than this was left by a killed worker. */
const STALE_LOCK_MS = 120_000;

/**
 * Read-modify-write of the task's speaker book under a lock directory (mkdir is atomic on
 * every filesystem, shared storage included): segments of one task are diarized by
 * parallel jobs, possibly on other machines.
 */
export async function updateSpeakerBook<T>(opts: {
  taskDir: string;
  update: (book: SpeakerBook) => { book: SpeakerBook; result: T };
  signal?: AbortSignal;
}): Promise<T> {
  const file = speakerBookPath(opts.taskDir);
  const lock = `${file}.lock`;
  await mkdir(path.dirname(file), { recursive: true });
  for (let attempt = 0; ; attempt++) {
    opts.signal?.throwIfAborted();
    try {
      await mkdir(lock);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const age = await stat(lock).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      if (age > STALE_LOCK_MS) await rm(lock, { recursive: true, force: true });
      // Wait for the holder to finish: it holds the lock only for a file read and write.
      await new Promise((resolve) => setTimeout(resolve, Math.min(200, 10 * 2 ** Math.min(attempt, 5))));
    }
  }
  try {
    const { book, result } = opts.update(await readBook(file));
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(book));
    await rename(tmp, file);
    return result;
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}
