/** ffmpeg's silencedetect: no model; music counts as sound, so it misses pauses under music. */
import { onPath } from "../files";
import { defineEngine } from "../types";

export const silencedetectVad = defineEngine({
  kind: "vad",
  name: "silencedetect",
  env: {},
  missing: () =>
    onPath("ffmpeg") ? null : { what: "ffmpeg is not installed", fix: "apt-get install ffmpeg" },
  create: () => "silencedetect" as const,
  describe: () => "ffmpeg silencedetect",
});
