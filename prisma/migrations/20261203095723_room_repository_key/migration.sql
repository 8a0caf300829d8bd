-- AlterTable
ALTER TABLE "Room" ADD COLUMN     "repositoryKey" TEXT;

-- CreateIndex
CREATE INDEX "Room_repositoryKey_idx" ON "Room"("repositoryKey");
