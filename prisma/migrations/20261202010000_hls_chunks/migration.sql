-- A part publishes one or more HLS chunks of at most ~6 s; their durations in order.
ALTER TABLE "Segment" ADD COLUMN "chunkMs" INTEGER[] DEFAULT ARRAY[]::INTEGER[];
