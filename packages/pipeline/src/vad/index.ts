/** Voice activity detection (Silero), used to find the pauses where parts are cut. */
export {
  detectSpeechRegions,
  silencesFromSpeech,
  speechRegionsFromProbabilities,
  speechProbabilities,
  loadSilero,
} from "./silero";
export type { SpeechThresholds } from "./silero";
