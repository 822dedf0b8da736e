/**
 * Text-to-speech engines. TTS_ENGINE=auto takes the first ready engine in `auto`: a GPU
 * server, a local model, a remote API; espeak needs nothing but its program, so it ends the list.
 */
import { defineRegistry } from "../types";
import { cosyvoiceTts } from "./cosyvoice";
import { espeakTts } from "./espeak";
import { openaiTts } from "./openai";
import { sherpaTts } from "./sherpa";

export const ttsEngines = defineRegistry({
  kind: "tts",
  selector: "TTS_ENGINE",
  default: "auto",
  required: true,
  engines: [espeakTts, cosyvoiceTts, openaiTts, sherpaTts],
  auto: ["cosyvoice", "sherpa", "openai", "espeak"],
});
