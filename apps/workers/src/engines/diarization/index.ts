/** Speaker labels in the asr stage (optional: without it every line has the default voice). */
import { defineRegistry } from "../types";
import { sherpaDiarization } from "./sherpa";

export const diarizationEngines = defineRegistry({
  kind: "diarization",
  selector: "DIARIZATION",
  default: "auto",
  off: { value: "off", label: "off" },
  required: false,
  engines: [sherpaDiarization],
  auto: ["sherpa"],
});
