/**
 * Stage 4: TTS inputs. The spoken text is the cleaned translation; the speaker
 * reference is the longest sentence of original speech (≤ 8 s), cut only for voice-cloning
 * engines.
 */
import { layout } from "../layout";
import type { Stage } from "../ports";
import { normalizeForSpeech } from "../text";
import { separatedStems } from "../separation/stems";
import { CONTINUE, ensureParent, requireLanguage, requireSegment, requireTask } from "./common";

const MAX_REFERENCE_MS = 8000;

export const modelinStage: Stage = {
  name: "modelin",
  async run(input, ctx) {
    const task = await requireTask(ctx, input.taskId);
    const language = requireLanguage(input);
    const seg = await requireSegment(ctx, task.id, input.segmentIndex, language);
    const sentences = await ctx.store.listSentences(task.id, language, seg.index);
    await ctx.store.updateSentences(
      task.id,
      language,
      sentences.map((s) => ({
        index: s.index,
        spokenText: normalizeForSpeech(s.translation ?? ""),
        stage: "modelin",
      })),
    );
    const longest = [...sentences].sort((a, b) => b.endMs - b.startMs - (a.endMs - a.startMs))[0];
    // Only a voice-cloning engine listens to it (eSpeak does not): no clip to cut otherwise.
    if (ctx.engines.tts.usesReference && task.hasAudio && longest) {
      await ctx.media.extractClip({
        input:
          (await separatedStems(ctx.taskDir, seg.index))?.vocals ?? layout.segAudio(ctx.taskDir, seg.index),
        startMs: Math.max(0, longest.startMs - seg.startMs),
        durationMs: Math.min(MAX_REFERENCE_MS, longest.endMs - longest.startMs),
        out: await ensureParent(layout.segReference(ctx.taskDir, seg.index)),
        signal: ctx.signal,
      });
    }
    return CONTINUE;
  },
};
