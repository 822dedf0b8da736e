/**
 * Translation engines (also used by the align stage to shorten lines). TRANSLATION_ENGINE=auto
 * takes the first ready engine in `auto`: a configured endpoint wins over an embedded model.
 */
import { defineRegistry } from "../types";
import { llamaTranslation } from "./llama";
import { openaiTranslation } from "./openai";

export const translationEngines = defineRegistry({
  kind: "translation",
  selector: "TRANSLATION_ENGINE",
  default: "auto",
  required: true,
  engines: [openaiTranslation, llamaTranslation],
  auto: ["openai", "llama"],
});
