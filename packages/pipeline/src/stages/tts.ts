/** Stage 5: first-pass speech for every sentence; its length is the predicted duration. */
import { stat } from "node:fs/promises";
import path from "node:path";
import { layout } from "../layout";
import type { SegmentRecord, SentenceRecord, Stage, StageContext, TaskRecord } from "../ports";
import { separatedStems } from "../separation/stems";
import { cutReference, planReferences, referenceFileName, speakerKey } from "../tts/reference";
import type { TtsRequest } from "../tts/types";
import { CONTINUE, ensureParent, mapLimit, requireLanguage, requireSegment, requireTask } from "./common";

export const ttsStage: Stage = {
  name: "tts",
  async run(input, ctx) {
    const task = await requireTask(ctx, input.taskId);
    const language = requireLanguage(input);
    const seg = await requireSegment(ctx, task.id, input.segmentIndex, language);
    const all = await ctx.store.listSentences(task.id, language, seg.index);
    const voiceOf = await segmentVoices(ctx, task, seg, all);
    const sentences = all.filter((s) => s.spokenText);
    const drafts = await mapLimit(sentences, ctx.config.ttsConcurrency, async (s) => {
      const out = await ctx.engines.tts.synthesize({
        text: s.spokenText ?? "",
        language,
        ...voiceOf(s),
        outPath: await ensureParent(layout.draft(ctx.taskDir, seg.index, language, s.index)),
        signal: ctx.signal,
      });
      return { index: s.index, predictedMs: Math.round(out.durationMs), stage: "tts" as const };
    });
    await ctx.store.updateSentences(task.id, language, drafts);
    return CONTINUE;
  },
};

export type VoiceFields = Pick<
  TtsRequest,
  "voice" | "speaker" | "referenceAudio" | "referenceText" | "referenceLanguage"
>;

/**
 * Everything a sentence's synthesis needs besides its text: the task's voice, the speaker,
 * and (for voice-cloning engines) that speaker's reference clip from this segment. Used by
 * align's re-synthesis too, so a shortened line keeps its voice.
 */
export async function segmentVoices(
  ctx: StageContext,
  task: TaskRecord,
  seg: SegmentRecord,
  sentences: readonly SentenceRecord[],
): Promise<(s: SentenceRecord) => VoiceFields> {
  const refs = new Map<string, { audio: string; text: string | null }>();
  if (ctx.engines.tts.usesReference && task.hasAudio) {
    const plans = planReferences(sentences);
    for (const [key, plan] of plans) {
      refs.set(key, { audio: await referenceClip(ctx, seg, plan, plans.size === 1), text: plan.text });
    }
  }
  return (s) => {
    const ref = refs.get(speakerKey(s.speaker));
    return {
      ...(task.options.voice ? { voice: task.options.voice } : {}),
      ...(s.speaker ? { speaker: s.speaker } : {}),
      ...(ref ? { referenceAudio: ref.audio } : {}),
      ...(ref?.text ? { referenceText: ref.text } : {}),
      ...(ref && task.sourceLanguage ? { referenceLanguage: task.sourceLanguage } : {}),
    };
  };
}

async function referenceClip(
  ctx: StageContext,
  seg: SegmentRecord,
  plan: Parameters<typeof cutReference>[0]["plan"],
  onlySpeaker: boolean,
): Promise<string> {
  // With one speaker, modelin's clip is the same sentence (the segment's longest): reuse it.
  const modelin = layout.segReference(ctx.taskDir, seg.index);
  if (onlySpeaker && (await stat(modelin).catch(() => null))?.isFile()) return modelin;
  return cutReference({
    plan,
    // Clean speech when the segment stage separated it, as modelin does.
    segmentAudio:
      (await separatedStems(ctx.taskDir, seg.index))?.vocals ?? layout.segAudio(ctx.taskDir, seg.index),
    segmentStartMs: seg.startMs,
    out: await ensureParent(
      path.join(layout.segDir(ctx.taskDir, seg.index), "ref", referenceFileName(plan.speaker)),
    ),
    signal: ctx.signal,
  });
}
