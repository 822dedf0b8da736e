/**
 * Local speech with sherpa-onnx (Kokoro, VITS/Piper, Matcha). `generateAsync` runs on the
 * libuv thread pool, so the event loop stays free. Output: the model's float samples
 * written as WAV, resampled by ffmpeg to the 44.1 kHz mono 16-bit WAV later stages use.
 */
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { PipelineError } from "../../errors";
import { ffmpeg } from "../../media/process";
import { loadSherpa } from "../../models/native";
import type { SherpaOfflineTts } from "../../models/native";
import { writeWav16 } from "../../models/wav-pcm";
import type { TtsEngine } from "../types";
import { accentFor, guessTtsLanguages, loadSherpaTtsModel, ttsConfig } from "./loader";
import type { SherpaTtsModel } from "./loader";
import { loadOnce } from "../../load-once";

export interface SherpaTtsOptions {
  modelsDir: string;
  /** Folder name in modelsDir. */
  model: string;
  numThreads?: number;
  /** Speaker id used for the first speaker (and when none is known). */
  defaultSid?: number;
  /** Languages it speaks; guessed from the folder name when absent. */
  languages?: string[];
}

export interface SherpaTtsEngine extends TtsEngine {
  /** Validates the model's files now; the engine is usable only when this resolves. */
  load(): Promise<SherpaTtsModel>;
}

const engines = new Map<string, Promise<SherpaOfflineTts>>();

const sharedTts = (config: object): Promise<SherpaOfflineTts> =>
  loadOnce(engines, JSON.stringify(config), () => loadSherpa().OfflineTts.createAsync(config));

/**
 * Speaker id for a request: an explicit numeric voice wins; otherwise each diarized
 * speaker ("S2", "SPEAKER_01") gets its own id, stable across segments, wrapping around
 * the model's speakers.
 */
export function sidFor(opts: {
  voice?: string;
  speaker?: string;
  numSpeakers: number;
  defaultSid?: number;
}): number {
  const n = Math.max(1, opts.numSpeakers);
  const base = opts.defaultSid ?? 0;
  if (opts.voice && /^\d+$/.test(opts.voice)) return Number(opts.voice) % n;
  if (!opts.speaker) return base % n;
  const num = /(\d+)$/.exec(opts.speaker);
  let k: number;
  if (num?.[1]) {
    // "S1" and "SPEAKER_00" are both the first speaker.
    k =
      opts.speaker.startsWith("S") && !opts.speaker.startsWith("SPEAKER")
        ? Number(num[1]) - 1
        : Number(num[1]);
  } else {
    k = [...opts.speaker].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);
  }
  return (base + Math.max(0, k)) % n;
}

export function createSherpaTtsEngine(opts: SherpaTtsOptions): SherpaTtsEngine {
  let model: Promise<SherpaTtsModel> | undefined;
  // Known before the model loads: engine selection asks supports() synchronously.
  let languages =
    opts.languages ?? guessTtsLanguages(opts.model, /kokoro/i.test(opts.model) ? "kokoro" : "vits");
  const load = () => {
    model ??= loadSherpaTtsModel({ modelsDir: opts.modelsDir, name: opts.model }).then((m) => {
      if (!opts.languages && m.languages.length > 0) languages = m.languages;
      return m;
    });
    model.catch(() => (model = undefined));
    return model;
  };

  return {
    name: `sherpa:${opts.model}`,
    load,
    supports(language) {
      const code = language.toLowerCase().split(/[-_]/)[0] ?? "";
      return languages.includes(code);
    },
    async synthesize(req) {
      const m = await load();
      const tts = await sharedTts(
        ttsConfig({
          model: m,
          // en-GB gets Kokoro's British lexicon and voice: a second engine, made on first use.
          accent: accentFor(req.language),
          ...(opts.numThreads ? { numThreads: opts.numThreads } : {}),
        }),
      );
      req.signal?.throwIfAborted();
      const sid = sidFor({
        numSpeakers: tts.numSpeakers,
        ...(req.voice ? { voice: req.voice } : {}),
        ...(req.speaker ? { speaker: req.speaker } : {}),
        ...(opts.defaultSid !== undefined ? { defaultSid: opts.defaultSid } : {}),
      });
      const audio = await tts.generateAsync({ text: req.text, sid, speed: 1 });
      if (audio.samples.length === 0) {
        throw new PipelineError({
          code: "TTS_EMPTY",
          category: "system",
          message: `${m.name} produced no audio for: ${req.text.slice(0, 80)}`,
        });
      }
      const out = path.resolve(req.outPath);
      await mkdir(path.dirname(out), { recursive: true });
      const raw = `${out}.native.wav`;
      try {
        await writeWav16({ path: raw, samples: audio.samples, sampleRate: audio.sampleRate });
        await ffmpeg(
          ["-i", raw, "-ac", "1", "-ar", "44100", "-c:a", "pcm_s16le", "-map_metadata", "-1", out],
          {
            ...(req.signal ? { signal: req.signal } : {}),
          },
        );
      } finally {
        await rm(raw, { force: true });
      }
      return { path: out, durationMs: Math.round((audio.samples.length / audio.sampleRate) * 1000) };
    },
  };
}
