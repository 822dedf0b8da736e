/**
 * What the public sees of a task's failure. The stored message is the operator's detail
 * (upstream LLM text, ffmpeg stderr, paths, endpoint URLs) and is shown only on /admin;
 * the share page and the REST status get one public text per error code. The messages of
 * the bad-input codes below are written for the person who uploaded the file and are shown
 * as they are; every other code gets a generic text and the task id as its error id, which
 * the operator looks up on /admin.
 */

/** Bad-input codes whose messages are written for users (no upstream or subprocess text). */
const OWN_MESSAGE_CODES = new Set([
  "NO_AUDIO",
  "NO_MEDIA_STREAMS",
  "SUBTITLES_MISMATCH",
  "UNDECODABLE_MEDIA",
  "INVALID_SUBTITLES",
  "UNSUPPORTED_SUBTITLES",
  "NOTHING_TO_DUB",
  "MEDIA_TOO_LONG",
]);

const SETUP = "This server is not set up to dub this video; the operator has the details.";
const TRANSLATION = "The translation service failed while dubbing this video.";
const SPEECH = "The speech service failed while dubbing this video.";

/** Generic texts by code (or code prefix, for the engine families). */
const PUBLIC_TEXT: [test: RegExp, text: string][] = [
  [
    /^(NO_TRANSLATOR|NO_ASR_ENGINE|LLM_CONFIG|LLM_AUTH|TTS_CONFIG|TTS_AUTH|TTS_NO_VOICE|MODEL_|PROGRAM_MISSING)/,
    SETUP,
  ],
  [/^(LLM_|TRANSLATION_|SHORTEN_)/, TRANSLATION],
  [/^(TTS_|COSYVOICE_)/, SPEECH],
  [/^(ASR_|SHERPA_)/, "Speech recognition failed while dubbing this video."],
  [/^UNSUPPORTED_LANGUAGE$/, "The speech engine on this server does not speak the chosen language."],
  [/^(INVALID_MEDIA|UNDECODABLE)/, "The video could not be processed."],
  [/^JOB_STALLED$/, "A worker stopped while dubbing this video, too many times."],
];
const FALLBACK = "Something went wrong while dubbing this video.";
const MAX_OWN_MESSAGE = 300;

export interface PublicTaskError {
  code: string;
  message: string;
  /** Set when the message is generic: what the operator searches for on /admin. */
  errorId?: string;
}

export function publicTaskError(taskId: string, code: string, message: string | null): PublicTaskError {
  if (OWN_MESSAGE_CODES.has(code) && message)
    return {
      code,
      message: message.length > MAX_OWN_MESSAGE ? `${message.slice(0, MAX_OWN_MESSAGE)}…` : message,
    };
  const text = PUBLIC_TEXT.find(([test]) => test.test(code))?.[1] ?? FALLBACK;
  return { code, message: `${text} (error id ${taskId})`, errorId: taskId };
}

/** A task summary or snapshot with its error replaced by the public one. */
export function withPublicError<
  T extends { id: string; errorCode: string | null; errorMessage: string | null },
>(task: T): T {
  if (!task.errorCode) return task;
  return { ...task, errorMessage: publicTaskError(task.id, task.errorCode, task.errorMessage).message };
}
