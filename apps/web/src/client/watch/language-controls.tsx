"use client";

import type { FormEvent } from "react";
import { useEffect, useState } from "react";
import { Alert } from "../alert";
import { createApiClient } from "../trpc";
import { ORIGINAL_AUDIO } from "./hls-player";
import type { TaskLinks } from "./use-task-feed";

/** The subtitle menu's value for no subtitle. */
export const SUBTITLES_OFF = "off";

const displayNames = (() => {
  try {
    return new Intl.DisplayNames(["en"], { type: "language" });
  } catch {
    return null;
  }
})();

/** "French" for "fr" (the names the master playlist gives its renditions). */
export function languageLabel(tag: string): string {
  try {
    return displayNames?.of(tag) ?? tag;
  } catch {
    return tag;
  }
}

/** The audio menu (each dub and the original sound) and the subtitle menu (off or a language). */
export function LanguageMenus({
  languages,
  withOriginal,
  audio,
  subtitle,
  onAudio,
  onSubtitle,
}: {
  languages: readonly string[];
  withOriginal: boolean;
  audio: string;
  subtitle: string;
  onAudio: (value: string) => void;
  onSubtitle: (value: string) => void;
}) {
  return (
    <div className="language-menus">
      <label className="language-menu">
        <span>Audio</span>
        <select id="audio-language" value={audio} onChange={(e) => onAudio(e.currentTarget.value)}>
          {languages.map((l) => (
            <option key={l} value={l}>
              {languageLabel(l)}
            </option>
          ))}
          {withOriginal && <option value={ORIGINAL_AUDIO}>Original</option>}
        </select>
      </label>
      <label className="language-menu">
        <span>Subtitles</span>
        <select id="subtitle-language" value={subtitle} onChange={(e) => onSubtitle(e.currentTarget.value)}>
          <option value={SUBTITLES_OFF}>Off</option>
          {languages.map((l) => (
            <option key={l} value={l}>
              {languageLabel(l)}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}

const withLanguage = (url: string, language: string) => `${url}?language=${encodeURIComponent(language)}`;

/**
 * Each finished language's MP4 and subtitles, and the MP4 with every audio track once all
 * are finished. The main language keeps the plain ids (download-mp4…), the others get the
 * language as a suffix.
 */
/** One download row a language: the dubbed MP4 and its subtitles. */
const FILES = [
  { kind: "mp4", url: "mp4Url" },
  { kind: "srt", url: "srtUrl" },
  { kind: "vtt", url: "vttUrl" },
] as const;

export function LanguageDownloads({
  links,
  languages,
  finalLanguages,
  allFinal,
}: {
  links: TaskLinks;
  languages: readonly string[];
  finalLanguages: readonly string[];
  allFinal: boolean;
}) {
  const ready = languages.filter((l) => finalLanguages.includes(l));
  if (ready.length === 0) return null;
  const several = languages.length > 1;
  return (
    <nav className="downloads language-downloads" aria-label="Downloads">
      {ready.map((language) => {
        const suffix = language === languages[0] ? "" : `-${language}`;
        return (
          <div key={language} className="download-row" data-language={language}>
            {several && <span className="download-language">{languageLabel(language)}</span>}
            {FILES.map((f) => (
              <a
                key={f.kind}
                id={`download-${f.kind}${suffix}`}
                className={f.kind === "mp4" ? "button primary" : "button secondary"}
                href={withLanguage(links[f.url], language)}
                download
              >
                {f.kind.toUpperCase()}
              </a>
            ))}
          </div>
        );
      })}
      {several && allFinal && (
        <a id="download-all" className="button primary download-all" href={links.allTracksUrl} download>
          MP4 with every audio track
        </a>
      )}
    </nav>
  );
}

/** The languages the speech engine offers (GET /api/languages), null until known. */
function useOfferedLanguages(): { code: string; name: string }[] | null {
  const [offered, setOffered] = useState<{ code: string; name: string }[] | null>(null);
  useEffect(() => {
    const ctl = new AbortController();
    fetch("/api/languages", { signal: ctl.signal, headers: { Accept: "application/json" } })
      .then((r) => (r.ok ? (r.json() as Promise<{ languages?: { code: string; name: string }[] }>) : null))
      .then((body) => setOffered(body?.languages ?? []))
      .catch(() => {
        if (!ctl.signal.aborted) setOffered([]);
      });
    return () => ctl.abort();
  }, []);
  return offered;
}

/** The owner adds a dub language to the task (task.addLanguage); its rendition appears in the player. */
export function AddLanguage({
  id,
  ownerToken,
  languages,
  finalLanguages,
}: {
  id: string;
  ownerToken: string;
  languages: readonly string[];
  finalLanguages: readonly string[];
}) {
  const offered = useOfferedLanguages();
  const choices = (offered ?? []).filter((l) => !languages.includes(l.code));
  const [chosen, setChosen] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [added, setAdded] = useState<string | null>(null);
  const language = choices.some((l) => l.code === chosen) ? chosen : (choices[0]?.code ?? "");

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!language || busy) return;
    setBusy(true);
    setError(null);
    const { api, close } = createApiClient({ ownerToken });
    try {
      await api.task.addLanguage.mutate({ id, language });
      setAdded(language);
    } catch (err) {
      setError(err instanceof Error ? err.message : "The language was not added.");
    } finally {
      close();
      setBusy(false);
    }
  }

  if (offered !== null && choices.length === 0) return null;
  return (
    <form className="add-language" id="add-language" onSubmit={(e) => void submit(e)}>
      <label htmlFor="add-language-select">Add a language</label>
      <div className="add-language-row">
        <select
          id="add-language-select"
          value={language}
          onChange={(e) => setChosen(e.currentTarget.value)}
          disabled={busy || offered === null}
        >
          {offered === null && <option value="">Loading…</option>}
          {choices.map((l) => (
            <option key={l.code} value={l.code}>
              {l.name}
            </option>
          ))}
        </select>
        <button type="submit" className="button secondary" disabled={busy || !language}>
          {busy ? "Adding…" : "Add"}
        </button>
      </div>
      <Alert message={error} />
      {added && !error && (
        <p className="hint" role="status">
          {finalLanguages.includes(added)
            ? `${languageLabel(added)} is dubbed: pick it in the Audio menu.`
            : languages.includes(added)
              ? `${languageLabel(added)} is being dubbed: pick it in the Audio menu.`
              : `Adding ${languageLabel(added)}…`}
        </p>
      )}
    </form>
  );
}
