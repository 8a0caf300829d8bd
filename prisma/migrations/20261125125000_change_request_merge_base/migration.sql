-- AlterTable
ALTER TABLE "ChangeRequest" ADD COLUMN     "baseShaBeforeMerge" TEXT;

