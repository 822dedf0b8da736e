/** Stage 2: the segment's sentences with times — from subtitles, else a transcription engine. */
import { PipelineError } from "../errors";
import { layout, SENTENCES_PER_SEGMENT } from "../layout";
import { extractWav16k } from "../media-index";
import type { NewSentence, Stage } from "../ports";
import { CONTINUE, ensureParent, requireSegment, requireTask } from "./common";
import { readCues } from "./segment";

export const asrStage: Stage = {
  name: "asr",
  async run(input, ctx) {
    const task = await requireTask(ctx, input.taskId);
    const seg = await requireSegment(ctx, task.id, input.segmentIndex);
    const segEnd = seg.startMs + seg.durationMs;
    const cues = await readCues(ctx.taskDir);
    let found: Omit<NewSentence, "index">[];
    if (cues) {
      found = cues
        .filter((c) => c.startMs >= seg.startMs && c.startMs < segEnd)
        .map((c) => ({ startMs: c.startMs, endMs: Math.max(c.endMs, c.startMs + 1), sourceText: c.text }));
    } else if (ctx.engines.transcriber) {
      const audioPath = await ensureParent(layout.segAsrAudio(ctx.taskDir, seg.index));
      await extractWav16k({
        input: layout.segAudio(ctx.taskDir, seg.index),
        out: audioPath,
        signal: ctx.signal,
      });
      const result = await ctx.engines.transcriber.transcribe({
        audioPath,
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
          "No speech recognition is available: upload an .srt/.vtt subtitle file with the video, or set LLM_BASE_URL/LLM_API_KEY (and ASR_MODEL) for an OpenAI-compatible transcription endpoint.",
      });
    }
    const sentences = found
      .filter((s) => s.sourceText !== "")
      .map((s, i) => ({ ...s, index: seg.index * SENTENCES_PER_SEGMENT + i }));
    await ctx.store.replaceSentences(task.id, seg.index, sentences);
    await ctx.events.emit(task.id, {
      type: "sentences",
      segmentIndex: seg.index,
      sentences: await ctx.store.listSentences(task.id, seg.index),
    });
    return CONTINUE;
  },
};
