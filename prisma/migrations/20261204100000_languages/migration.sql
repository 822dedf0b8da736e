-- One video, many languages: every dub language gets its own rows of parts and sentences;
-- recognition, planning and the video are shared. Existing tasks keep their one language.
ALTER TABLE "Task" ADD COLUMN "languages" TEXT[] DEFAULT ARRAY[]::TEXT[];
ALTER TABLE "Task" ADD COLUMN "finalLanguages" TEXT[] DEFAULT ARRAY[]::TEXT[];
ALTER TABLE "Task" ADD COLUMN "glossary" TEXT;
UPDATE "Task" SET "languages" = ARRAY["targetLanguage"];
UPDATE "Task" SET "finalLanguages" = ARRAY["targetLanguage"] WHERE "finalReady";

ALTER TABLE "Segment" ADD COLUMN "language" TEXT;
UPDATE "Segment" s SET "language" = t."targetLanguage" FROM "Task" t WHERE t."id" = s."taskId";
ALTER TABLE "Segment" ALTER COLUMN "language" SET NOT NULL;
ALTER TABLE "Segment" DROP CONSTRAINT "Segment_pkey";
ALTER TABLE "Segment" ADD CONSTRAINT "Segment_pkey" PRIMARY KEY ("taskId", "language", "index");

ALTER TABLE "Sentence" ADD COLUMN "language" TEXT;
ALTER TABLE "Sentence" ADD COLUMN "glossaryMissed" BOOLEAN NOT NULL DEFAULT false;
UPDATE "Sentence" s SET "language" = t."targetLanguage" FROM "Task" t WHERE t."id" = s."taskId";
ALTER TABLE "Sentence" ALTER COLUMN "language" SET NOT NULL;
ALTER TABLE "Sentence" DROP CONSTRAINT "Sentence_pkey";
ALTER TABLE "Sentence" ADD CONSTRAINT "Sentence_pkey" PRIMARY KEY ("taskId", "language", "index");
DROP INDEX "Sentence_taskId_segmentIndex_idx";
CREATE INDEX "Sentence_taskId_language_segmentIndex_idx" ON "Sentence"("taskId", "language", "segmentIndex");

ALTER TABLE "StageRun" ADD COLUMN "language" TEXT NOT NULL DEFAULT '';
UPDATE "StageRun" r SET "language" = t."targetLanguage" FROM "Task" t
  WHERE t."id" = r."taskId" AND r."stage" NOT IN ('segment', 'asr');
ALTER TABLE "StageRun" DROP CONSTRAINT "StageRun_pkey";
ALTER TABLE "StageRun" ADD CONSTRAINT "StageRun_pkey" PRIMARY KEY ("taskId", "segmentIndex", "stage", "language");
