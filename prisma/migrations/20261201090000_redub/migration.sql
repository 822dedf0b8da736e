-- AlterTable
ALTER TABLE "Segment" ADD COLUMN     "publishedRevision" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "revision" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "Sentence" ADD COLUMN     "revision" INTEGER NOT NULL DEFAULT 0;
