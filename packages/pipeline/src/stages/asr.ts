/**
 * Stage 2: the segment's sentences with times — from subtitles, else a transcription
 * engine — and, when a diarizer is configured, who says each one.
 */
import { assignSpeakers } from "../diarization/assign";
import { PipelineError } from "../errors";
import { layout, SENTENCES_PER_SEGMENT } from "../layout";
import type { NewSentence, Stage, StageContext } from "../ports";
import { CONTINUE, emitSentences, ensureParent, requireSegment, requireTask } from "./common";
import { readCues } from "./segment";

export const asrStage: Stage = {
  name: "asr",
  async run(input, ctx) {
    const task = await requireTask(ctx, input.taskId);
    const seg = await requireSegment(ctx, task.id, input.segmentIndex);
    const segEnd = seg.startMs + seg.durationMs;
    const cues = await readCues(ctx.taskDir);
    let audioPath: string | null = null;
    const segmentAudio16k = async () => {
      if (audioPath) return audioPath;
      const out = await ensureParent(layout.segAsrAudio(ctx.taskDir, seg.index));
      await ctx.media.extractWav16k({
        input: layout.segAudio(ctx.taskDir, seg.index),
        out,
        signal: ctx.signal,
      });
      audioPath = out;
      return out;
    };
    let found: Omit<NewSentence, "index">[];
    if (cues) {
      found = cues
        .filter((c) => c.startMs >= seg.startMs && c.startMs < segEnd)
        // A cue longer than a part was cut by the planner: it ends with its part.
        .map((c) => ({
          startMs: c.startMs,
          endMs: Math.min(segEnd, Math.max(c.endMs, c.startMs + 1)),
          sourceText: c.text,
        }));
    } else if (ctx.engines.transcriber) {
      const result = await ctx.engines.transcriber.transcribe({
        audioPath: await segmentAudio16k(),
        ...(task.sourceLanguage ? { language: task.sourceLanguage } : {}),
        signal: ctx.signal,
      });
      found = result.segments.map((s) => ({
        startMs: seg.startMs + s.startMs,
        endMs: Math.min(segEnd, seg.startMs + Math.max(s.endMs, s.startMs + 1)),
        sourceText: s.text.trim(),
      }));
    } else {
      throw new PipelineError({
        code: "NO_ASR_ENGINE",
        category: "user",
        message:
          "No speech recognition is available: upload an .srt/.vtt subtitle file with the video, put a SenseVoice/Whisper model in MODELS_DIR (`npm run models`), or set LLM_BASE_URL/LLM_API_KEY and ASR_MODEL for an OpenAI-compatible transcription endpoint.",
      });
    }
    const spoken = found.filter((s) => s.sourceText !== "");
    if (spoken.length >= SENTENCES_PER_SEGMENT) {
      throw new PipelineError({
        code: "TOO_MANY_SENTENCES",
        category: "user",
        message: `One part of the video has ${spoken.length} subtitle lines; at most ${SENTENCES_PER_SEGMENT - 1} fit in a part.`,
      });
    }
    let sentences: NewSentence[] = spoken.map((s, i) => ({
      ...s,
      index: seg.index * SENTENCES_PER_SEGMENT + i,
    }));
    if (ctx.engines.diarizer && sentences.length > 0) {
      sentences = await withSpeakers(ctx, {
        segmentIndex: seg.index,
        segStartMs: seg.startMs,
        sentences,
        audio: segmentAudio16k,
      });
    }
    await ctx.store.replaceSentences(task.id, seg.index, sentences);
    for (const language of task.languages) await emitSentences(ctx, task.id, language, seg.index);
    return CONTINUE;
  },
};

/**
 * Speaker labels are an improvement, not a requirement: when diarization fails for a
 * reason other than bad input, the sentences go on without them rather than failing the task.
 */
async function withSpeakers(
  ctx: StageContext,
  opts: { segmentIndex: number; segStartMs: number; sentences: NewSentence[]; audio: () => Promise<string> },
): Promise<NewSentence[]> {
  const diarizer = ctx.engines.diarizer;
  if (!diarizer) return opts.sentences;
  try {
    const turns = await diarizer.diarize({
      audioPath: await opts.audio(),
      taskDir: ctx.taskDir,
      segmentIndex: opts.segmentIndex,
      signal: ctx.signal,
    });
    const speakers = assignSpeakers({
      sentences: opts.sentences.map((s) => ({
        startMs: s.startMs - opts.segStartMs,
        endMs: s.endMs - opts.segStartMs,
      })),
      turns,
    });
    return opts.sentences.map((s, i) => ({ ...s, speaker: speakers[i] ?? null }));
  } catch (err) {
    if (ctx.signal.aborted || (err instanceof PipelineError && err.category === "user")) throw err;
    ctx.log.warn({ err, segmentIndex: opts.segmentIndex }, "diarization failed; sentences keep no speaker");
    return opts.sentences;
  }
}
