/**
 * eSpeak NG (the Debian program, run as a subprocess): always there, every language, robotic.
 * Voices: "male" and "female" map to eSpeak variants of the target language's voice.
 */
import { createEspeakEngine, espeakVoiceFor } from "@vitranslator/pipeline";
import type { TtsEngine } from "@vitranslator/pipeline";
import { onPath, spokenLanguages } from "../files";
import { defineEngine } from "../types";

/** Variant per voice id; the language voice comes from the request. */
const VARIANTS: Record<string, string> = { male: "m3", female: "f2" };

/** Maps the voice ids this engine publishes onto eSpeak voice names ("fr-fr+m3"). */
export function withEspeakVoices(engine: TtsEngine): TtsEngine {
  return {
    name: engine.name,
    supports: (language) => engine.supports(language),
    synthesize(req) {
      const variant = req.voice ? VARIANTS[req.voice] : undefined;
      const base = variant ? espeakVoiceFor(req.language) : undefined;
      return engine.synthesize(base ? { ...req, voice: `${base}+${variant}` } : req);
    },
  };
}

export const espeakTts = defineEngine({
  kind: "tts",
  name: "espeak",
  env: {},
  missing: () =>
    onPath("espeak-ng")
      ? null
      : { what: "the espeak-ng program is not installed", fix: "apt-get install espeak-ng" },
  create: () => withEspeakVoices(createEspeakEngine()),
  describe: () => "espeak-ng",
  capabilities: (_env, engine) => ({
    languages: spokenLanguages(engine),
    voices: [
      { id: "male", label: "Male" },
      { id: "female", label: "Female" },
    ],
  }),
});
