/** Duration alignment: fitting each sentence to its time slot. */
export { fitSentences, summarizeFit, ALIGN_DEFAULTS } from "./fit";
export type { FitSentence, FitOptions, FitResult, FitSummary } from "./fit";
