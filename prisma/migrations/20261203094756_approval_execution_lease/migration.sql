-- AlterTable
ALTER TABLE "Approval" ADD COLUMN     "attempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "executionPlan" JSONB,
ADD COLUMN     "leaseExpiresAt" TIMESTAMP(3),
ADD COLUMN     "leaseOwner" TEXT;

-- CreateIndex
CREATE INDEX "Approval_status_leaseExpiresAt_idx" ON "Approval"("status", "leaseExpiresAt");
