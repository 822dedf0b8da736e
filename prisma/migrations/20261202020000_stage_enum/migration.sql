-- `stage` names one of the eight stages of the graph (packages/pipeline/src/graph.ts).
CREATE TYPE "Stage" AS ENUM ('segment', 'asr', 'translate', 'modelin', 'tts', 'align', 'audiogen', 'mix');

ALTER TABLE "Segment" ALTER COLUMN "stage" TYPE "Stage" USING "stage"::"Stage";

ALTER TABLE "Sentence" ALTER COLUMN "stage" DROP DEFAULT;
ALTER TABLE "Sentence" ALTER COLUMN "stage" TYPE "Stage" USING "stage"::"Stage";
ALTER TABLE "Sentence" ALTER COLUMN "stage" SET DEFAULT 'asr';

ALTER TABLE "StageRun" ALTER COLUMN "stage" TYPE "Stage" USING "stage"::"Stage";

ALTER TABLE "Task" ALTER COLUMN "errorStage" TYPE "Stage" USING "errorStage"::"Stage";
