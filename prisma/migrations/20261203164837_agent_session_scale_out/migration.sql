-- AlterTable
ALTER TABLE "AgentSession" ADD COLUMN     "messageKeyDigest" TEXT,
ADD COLUMN     "protocolVersion" TEXT;

-- CreateTable
CREATE TABLE "RelayedMessage" (
    "id" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RelayedMessage_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "RelayedMessage_createdAt_idx" ON "RelayedMessage"("createdAt");

-- CreateIndex
CREATE INDEX "AgentSession_transport_endedAt_lastActivityAt_idx" ON "AgentSession"("transport", "endedAt", "lastActivityAt");
