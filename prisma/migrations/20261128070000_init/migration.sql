-- CreateEnum
CREATE TYPE "TaskStatus" AS ENUM ('queued', 'processing', 'completed', 'failed', 'cancelled');

-- CreateEnum
CREATE TYPE "SegmentStatus" AS ENUM ('pending', 'processing', 'mixed', 'published', 'failed');

-- CreateTable
CREATE TABLE "Task" (
    "id" TEXT NOT NULL,
    "status" "TaskStatus" NOT NULL DEFAULT 'queued',
    "originalName" TEXT NOT NULL,
    "sourceLanguage" TEXT,
    "detectedLanguage" TEXT,
    "targetLanguage" TEXT NOT NULL,
    "options" JSONB NOT NULL DEFAULT '{}',
    "ownerTokenHash" TEXT,
    "sourceFile" TEXT NOT NULL,
    "subtitleFile" TEXT,
    "durationMs" INTEGER,
    "hasVideo" BOOLEAN NOT NULL DEFAULT true,
    "hasAudio" BOOLEAN NOT NULL DEFAULT true,
    "width" INTEGER,
    "height" INTEGER,
    "segmentCount" INTEGER,
    "publishedCount" INTEGER NOT NULL DEFAULT 0,
    "targetDurationS" INTEGER,
    "finalReady" BOOLEAN NOT NULL DEFAULT false,
    "errorCode" TEXT,
    "errorMessage" TEXT,
    "errorStage" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "startedAt" TIMESTAMP(3),
    "firstSegmentAt" TIMESTAMP(3),
    "completedAt" TIMESTAMP(3),

    CONSTRAINT "Task_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Segment" (
    "taskId" TEXT NOT NULL,
    "index" INTEGER NOT NULL,
    "startMs" INTEGER NOT NULL,
    "durationMs" INTEGER NOT NULL,
    "status" "SegmentStatus" NOT NULL DEFAULT 'pending',
    "stage" TEXT,
    "hlsDurationMs" INTEGER,
    "publishedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Segment_pkey" PRIMARY KEY ("taskId","index")
);

-- CreateTable
CREATE TABLE "Sentence" (
    "taskId" TEXT NOT NULL,
    "index" INTEGER NOT NULL,
    "segmentIndex" INTEGER NOT NULL,
    "startMs" INTEGER NOT NULL,
    "endMs" INTEGER NOT NULL,
    "speaker" TEXT,
    "sourceText" TEXT NOT NULL,
    "translation" TEXT,
    "spokenText" TEXT,
    "stage" TEXT NOT NULL DEFAULT 'asr',
    "predictedMs" INTEGER,
    "slotMs" INTEGER,
    "speed" DOUBLE PRECISION,
    "overrunMs" INTEGER,
    "shortenAttempts" INTEGER NOT NULL DEFAULT 0,
    "placedStartMs" INTEGER,
    "placedMs" INTEGER,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Sentence_pkey" PRIMARY KEY ("taskId","index")
);

-- CreateTable
CREATE TABLE "StageRun" (
    "taskId" TEXT NOT NULL,
    "segmentIndex" INTEGER NOT NULL,
    "stage" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),
    "durationMs" INTEGER,
    "errorCode" TEXT,

    CONSTRAINT "StageRun_pkey" PRIMARY KEY ("taskId","segmentIndex","stage")
);

-- CreateIndex
CREATE INDEX "Task_status_createdAt_idx" ON "Task"("status", "createdAt");

-- CreateIndex
CREATE INDEX "Task_createdAt_idx" ON "Task"("createdAt");

-- CreateIndex
CREATE INDEX "Sentence_taskId_segmentIndex_idx" ON "Sentence"("taskId", "segmentIndex");

-- AddForeignKey
ALTER TABLE "Segment" ADD CONSTRAINT "Segment_taskId_fkey" FOREIGN KEY ("taskId") REFERENCES "Task"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Sentence" ADD CONSTRAINT "Sentence_taskId_fkey" FOREIGN KEY ("taskId") REFERENCES "Task"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StageRun" ADD CONSTRAINT "StageRun_taskId_fkey" FOREIGN KEY ("taskId") REFERENCES "Task"("id") ON DELETE CASCADE ON UPDATE CASCADE;
