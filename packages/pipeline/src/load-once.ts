import { PipelineError } from "./errors";

/**
 * Loads shared per process, by key (models, runtimes, checked files): the first caller
 * starts the load and later callers share its promise; a failed load is forgotten, so the
 * next call (a retried job) tries again.
 */
export function loadOnce<K, V>(cache: Map<K, Promise<V>>, key: K, load: () => Promise<V>): Promise<V> {
  const cached = cache.get(key);
  if (cached) return cached;
  const loading = load();
  cache.set(key, loading);
  loading.catch(() => {
    if (cache.get(key) === loading) cache.delete(key);
  });
  return loading;
}

/** For a load's catch: a system error saying what could not be loaded, with the cause kept. */
export const loadFailed =
  (code: string, what: string) =>
  (cause: unknown): never => {
    throw new PipelineError({ code, category: "system", message: `Could not load ${what}`, cause });
  };
