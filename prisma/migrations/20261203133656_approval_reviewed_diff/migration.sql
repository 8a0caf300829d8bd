-- AlterTable
ALTER TABLE "Approval" ADD COLUMN     "reviewedDiff" JSONB;
