/** Segment planning: where the source is cut into parts. */
export { planSegments } from "./plan";
export type { PlannedSegment, PlanSegmentsOptions, TimeRange } from "./plan";
