"use client";

import { useRouter } from "next/navigation";
import type { DragEvent, FormEvent } from "react";
import { useEffect, useRef, useState } from "react";
import { GLOSSARY_LIMITS, GlossaryError, parseGlossary } from "@vitranslator/pipeline/glossary/parse";
import { Alert } from "./alert";
import { EnginesPanel } from "./engines-panel";
import { blockingReason, useEngines, voicesFor } from "./engines";
import { COMMON_LANGUAGES } from "./languages";
import type { Limits } from "./media-check";
import { fetchLimits, limitError, readDurationMs } from "./media-check";
import { ownerTokenKey, UploadError, uploadTask } from "./upload";

const DEFAULT_TARGET = "fr";

type Phase = { kind: "idle" } | { kind: "uploading"; fraction: number | null } | { kind: "starting" };

function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s >= 3600
    ? `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`
    : `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

function formatBytes(n: number): string {
  if (n < 1024 * 1024) return `${Math.max(1, Math.round(n / 1024))} KB`;
  if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 / 1024 / 1024).toFixed(2)} GB`;
}

function textField(data: FormData, name: string): string {
  const v = data.get(name);
  return typeof v === "string" ? v : "";
}

/** Null when the glossary is fine (or empty), else what is wrong with it, naming the line. */
function glossaryProblem(text: string): string | null {
  if (text.trim() === "") return null;
  try {
    parseGlossary(text);
    return null;
  } catch (err) {
    if (err instanceof GlossaryError) return err.message;
    throw err;
  }
}

const GLOSSARY_HINT = `One "term = translation" per line (# starts a comment); up to ${GLOSSARY_LIMITS.maxBytes / 1024} KB and ${GLOSSARY_LIMITS.maxEntries} terms. Kept in every translation; a line that loses a term is marked on the watch page.`;

function rememberOwnerToken(id: string, token: string): void {
  try {
    window.localStorage.setItem(ownerTokenKey(id), token);
  } catch {
    // Private mode or storage full: the task still works, only owner actions are lost.
  }
}

export function UploadForm() {
  const router = useRouter();
  const { report, failed } = useEngines();
  // Only what the speech engine really speaks, once the workers have said.
  const targets = report?.targetLanguages ?? [];
  const [chosenTarget, setTarget] = useState(DEFAULT_TARGET);
  const target = targets.some((l) => l.code === chosenTarget)
    ? chosenTarget
    : (targets.find((l) => l.code === DEFAULT_TARGET)?.code ?? targets[0]?.code ?? "");
  // More dub languages besides the main one, in the order they were ticked.
  const [extraChosen, setExtra] = useState<string[]>([]);
  const extras = extraChosen.filter((c) => c !== target && targets.some((l) => l.code === c));
  const several = extras.length > 0;
  const [glossary, setGlossary] = useState("");
  const voices = voicesFor(report, target);
  const blocked = report ? blockingReason(report) : null;
  const asrMissing = report && !report.engines.asr.ready ? report.engines.asr.missing : undefined;
  const [file, setFile] = useState<File | null>(null);
  const [phase, setPhase] = useState<Phase>({ kind: "idle" });
  const [error, setError] = useState<string | null>(null);
  const abortRef = useRef<AbortController | null>(null);
  const videoInput = useRef<HTMLInputElement | null>(null);
  const [limits, setLimits] = useState<Limits | null>(null);
  const [durationMs, setDurationMs] = useState<number | null>(null);
  const [checking, setChecking] = useState(false);
  const [dragOver, setDragOver] = useState(false);

  useEffect(() => {
    const ctl = new AbortController();
    fetchLimits(ctl.signal)
      .then(setLimits)
      .catch(() => {
        /* the server still enforces its limits */
      });
    return () => ctl.abort();
  }, []);

  async function chooseFile(f: File | null) {
    setFile(f);
    setError(null);
    setDurationMs(null);
    if (!f) return;
    setChecking(true);
    const ms = await readDurationMs(f);
    setChecking(false);
    setDurationMs(ms);
    if (limits) setError(limitError({ sizeBytes: f.size, durationMs: ms }, limits));
  }

  function onDrop(e: DragEvent<HTMLDivElement>) {
    e.preventDefault();
    setDragOver(false);
    const dropped = e.dataTransfer.files[0];
    const input = videoInput.current;
    if (!dropped || !input) return;
    // Put the file into the input, so the form (and its FormData) sees it like a pick.
    const list = new DataTransfer();
    list.items.add(dropped);
    input.files = list.files;
    void chooseFile(dropped);
  }

  useEffect(() => () => abortRef.current?.abort(), []);

  async function loadGlossaryFile(f: File | null) {
    if (!f) return;
    if (f.size > GLOSSARY_LIMITS.maxBytes) {
      setError(`The glossary file is larger than ${GLOSSARY_LIMITS.maxBytes / 1024} KB.`);
      return;
    }
    setGlossary(await f.text());
  }

  function toggleExtra(code: string, on: boolean) {
    setExtra((list) => (on ? [...list.filter((c) => c !== code), code] : list.filter((c) => c !== code)));
  }

  const busy = phase.kind !== "idle";

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (busy) return;
    const form = e.currentTarget;
    const data = new FormData(form);
    const video = data.get("video");
    if (!(video instanceof File) || video.size === 0) {
      setError("Choose a video (or audio) file to dub.");
      return;
    }
    if (limits) {
      const tooBig = limitError({ sizeBytes: video.size, durationMs }, limits);
      if (tooBig) {
        setError(tooBig);
        return;
      }
    }
    const badGlossary = glossaryProblem(glossary);
    if (badGlossary) {
      setError(`Glossary: ${badGlossary}`);
      return;
    }
    const subtitles = data.get("subtitles");
    // Text fields first and the big file last, so the server can read the options before streaming it.
    const body = new FormData();
    // The main language first: it is the task's targetLanguage and the player's default.
    for (const language of [textField(data, "targetLanguage") || target, ...extras])
      body.append("targetLanguage", language);
    const source = textField(data, "sourceLanguage");
    if (source) body.set("sourceLanguage", source);
    body.set("burnSubtitles", !several && data.get("burnSubtitles") === "true" ? "true" : "false");
    if (glossary.trim() !== "") body.set("glossary", glossary);
    const voice = textField(data, "voice");
    if (voice) body.set("voice", voice);
    if (subtitles instanceof File && subtitles.size > 0) body.set("subtitles", subtitles, subtitles.name);
    body.set("video", video, video.name);

    setError(null);
    setPhase({ kind: "uploading", fraction: 0 });
    const ctl = new AbortController();
    abortRef.current = ctl;
    try {
      const created = await uploadTask(body, {
        signal: ctl.signal,
        onProgress: (fraction) => setPhase({ kind: "uploading", fraction }),
      });
      rememberOwnerToken(created.id, created.ownerToken);
      setPhase({ kind: "starting" });
      router.push(created.watchUrl || `/watch/${created.id}`);
    } catch (err) {
      setPhase({ kind: "idle" });
      if (err instanceof UploadError && err.code === "ABORTED") return;
      setError(err instanceof Error ? err.message : "The upload failed.");
    } finally {
      abortRef.current = null;
    }
  }

  const percent =
    phase.kind === "uploading" && phase.fraction !== null ? Math.round(phase.fraction * 100) : null;

  return (
    <>
      <EnginesPanel report={report} failed={failed} />
      <form className="upload-form card" onSubmit={(e) => void onSubmit(e)} aria-busy={busy}>
        <div className="field">
          <label htmlFor="video">Video or audio file</label>
          <div
            className={dragOver ? "dropzone over" : "dropzone"}
            onDragOver={(e) => {
              e.preventDefault();
              setDragOver(true);
            }}
            onDragLeave={() => setDragOver(false)}
            onDrop={onDrop}
          >
            <span className="muted">Drop a file here, or</span>
            <input
              id="video"
              ref={videoInput}
              name="video"
              type="file"
              accept="video/*,audio/*"
              required
              disabled={busy}
              onChange={(e) => void chooseFile(e.currentTarget.files?.[0] ?? null)}
            />
          </div>
          <p className="hint file-facts" id="file-facts">
            {file
              ? `${file.name} · ${formatBytes(file.size)}${checking ? " · reading…" : durationMs !== null ? ` · ${formatDuration(durationMs)}` : ""}`
              : limits
                ? `MP4, MOV, MKV, WebM, MP3, WAV… up to ${limits.maxUploadMb >= 1024 ? `${limits.maxUploadMb / 1024} GB` : `${limits.maxUploadMb} MB`} and ${limits.maxDurationMin} min`
                : "MP4, MOV, MKV, WebM, MP3, WAV…"}
          </p>
        </div>

        <div className="field-row">
          <div className="field">
            <label htmlFor="targetLanguage">Dub into{several ? " (main language)" : ""}</label>
            <select
              id="targetLanguage"
              name="targetLanguage"
              value={target}
              onChange={(e) => setTarget(e.currentTarget.value)}
              disabled={busy || targets.length === 0}
            >
              {targets.length === 0 && (
                <option value="">{report ? "No language: no speech engine" : "Loading…"}</option>
              )}
              <LanguageOptions languages={targets} />
            </select>
          </div>
          <div className="field">
            <label htmlFor="sourceLanguage">Spoken language</label>
            <select id="sourceLanguage" name="sourceLanguage" defaultValue="" disabled={busy}>
              <option value="">Detect automatically</option>
              <LanguageOptions languages={COMMON_LANGUAGES} />
            </select>
          </div>
        </div>

        {targets.length > 1 && (
          <fieldset className="field extra-languages" id="extra-languages" disabled={busy}>
            <legend>
              Also dub into <span className="optional">(optional: the viewer switches in the player)</span>
            </legend>
            <div className="language-checks">
              {targets
                .filter((l) => l.code !== target)
                .map((l) => (
                  <label key={l.code} className="checkbox language-check">
                    <input
                      type="checkbox"
                      name="extraLanguage"
                      value={l.code}
                      checked={extras.includes(l.code)}
                      onChange={(e) => toggleExtra(l.code, e.currentTarget.checked)}
                    />
                    <span>{l.name}</span>
                  </label>
                ))}
            </div>
            {several && (
              <p className="hint" id="languages-summary">
                {`${[target, ...extras].length} languages: ${[target, ...extras]
                  .map((c) => targets.find((l) => l.code === c)?.name ?? c)
                  .join(
                    ", ",
                  )}. Speech recognition and the video are done once; each language adds its own translation and voice.`}
              </p>
            )}
          </fieldset>
        )}

        <div className="field">
          <label htmlFor="subtitles">
            Subtitles of the original <span className="optional">(optional, .srt or .vtt)</span>
          </label>
          <input
            id="subtitles"
            name="subtitles"
            type="file"
            accept=".srt,.vtt,text/vtt,application/x-subrip"
            disabled={busy}
          />
          <p className={asrMissing ? "hint warn" : "hint"} id="subtitles-hint">
            {asrMissing
              ? `Needed for speech: no speech recognition is ready (${asrMissing.what}; fix: ${asrMissing.fix}).`
              : "If given, they are used instead of speech recognition."}
          </p>
        </div>

        {voices.length > 0 && (
          <div className="field">
            <label htmlFor="voice">Voice</label>
            <select
              id="voice"
              name="voice"
              defaultValue=""
              disabled={busy}
              key={`${report?.engines.tts.name}-${target}`}
            >
              <option value="">Automatic (one per speaker)</option>
              {voices.map((v) => (
                <option key={v.id} value={v.id}>
                  {v.label}
                </option>
              ))}
            </select>
          </div>
        )}

        <div className="field glossary">
          <label htmlFor="glossary">
            Glossary <span className="optional">(optional: names and terms to translate your way)</span>
          </label>
          <textarea
            id="glossary"
            name="glossary"
            rows={3}
            value={glossary}
            placeholder={"ViTranslator = ViTranslator\nmachine learning = apprentissage automatique"}
            spellCheck={false}
            disabled={busy}
            onChange={(e) => setGlossary(e.currentTarget.value)}
          />
          <input
            id="glossary-file"
            type="file"
            accept=".txt,.tsv,.csv,text/plain"
            aria-label="Load a glossary file"
            disabled={busy}
            onChange={(e) => void loadGlossaryFile(e.currentTarget.files?.[0] ?? null)}
          />
          <p className="hint" id="glossary-hint">
            {GLOSSARY_HINT}
          </p>
        </div>

        <div className="field">
          <label className="checkbox" htmlFor="burnSubtitles">
            <input
              id="burnSubtitles"
              name="burnSubtitles"
              type="checkbox"
              value="true"
              disabled={busy || several}
              aria-describedby={several ? "burn-note" : undefined}
            />
            <span>Burn subtitles into the video</span>
          </label>
          {several && (
            <p className="hint" id="burn-note">
              Not with several languages: the video is shared by every language, so subtitles are offered as
              tracks in the player (and SRT/VTT downloads) instead.
            </p>
          )}
        </div>

        <Alert message={error} />

        <div className="submit-row">
          <button
            type="submit"
            className="button primary"
            disabled={busy || checking || !!blocked || targets.length === 0}
          >
            Dub it
          </button>
          {phase.kind === "uploading" && (
            <button type="button" className="button secondary" onClick={() => abortRef.current?.abort()}>
              Cancel
            </button>
          )}
        </div>

        <div className="upload-progress" aria-hidden={!busy}>
          {busy && (
            <>
              <progress
                id="upload-progress"
                max={100}
                value={phase.kind === "starting" ? 100 : (percent ?? undefined)}
                aria-label="Upload progress"
              />
              <span className="muted" role="status">
                {phase.kind === "starting"
                  ? "Uploaded. Opening the player…"
                  : percent !== null
                    ? `Uploading… ${percent}%`
                    : "Uploading…"}
              </span>
            </>
          )}
        </div>
      </form>
    </>
  );
}

function LanguageOptions({ languages }: { languages: readonly { code: string; name: string }[] }) {
  return languages.map((l) => (
    <option key={l.code} value={l.code}>
      {l.name}
    </option>
  ));
}
