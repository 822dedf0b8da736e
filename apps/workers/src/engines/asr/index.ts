/**
 * Speech recognition for videos without subtitles (subtitles, uploaded or embedded, always
 * win: the asr stage decides per task). ASR_ENGINE=auto takes a local model, else the endpoint;
 * ASR_ENGINE=subtitles turns recognition off.
 */
import { defineRegistry } from "../types";
import { openaiAsr } from "./openai";
import { sherpaAsr } from "./sherpa";

export const asrEngines = defineRegistry({
  kind: "asr",
  selector: "ASR_ENGINE",
  default: "auto",
  off: { value: "subtitles", label: "subtitles only" },
  required: true,
  engines: [sherpaAsr, openaiAsr],
  auto: ["sherpa", "openai"],
});
