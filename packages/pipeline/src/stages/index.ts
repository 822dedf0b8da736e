import type { StageName } from "../events";
import type { Stage } from "../ports";
import { alignStage } from "./align";
import { asrStage } from "./asr";
import { audiogenStage } from "./audiogen";
import { mixStage } from "./mix";
import { modelinStage } from "./modelin";
import { segmentStage } from "./segment";
import { translateStage } from "./translate";
import { ttsStage } from "./tts";

/** Every stage's logic, by queue name. The order between them lives in @vitranslator/queue. */
export const stages = {
  segment: segmentStage,
  asr: asrStage,
  translate: translateStage,
  modelin: modelinStage,
  tts: ttsStage,
  align: alignStage,
  audiogen: audiogenStage,
  mix: mixStage,
} satisfies Record<StageName, Stage>;
