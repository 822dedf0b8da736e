/** How the segment stage finds pauses to cut at (subtitles, when given, set the cut points instead). */
import { defineRegistry } from "../types";
import { silencedetectVad } from "./silencedetect";
import { sileroVad } from "./silero";

export const vadEngines = defineRegistry({
  kind: "vad",
  selector: "SEGMENT_DETECTOR",
  default: "silero",
  required: false,
  engines: [sileroVad, silencedetectVad],
  auto: ["silero", "silencedetect"],
});
