-- Per-member access tokens replace the token every member of a room shared.

-- AlterTable
ALTER TABLE "Member" ADD COLUMN     "tokenCiphertext" TEXT,
ADD COLUMN     "tokenDigest" TEXT,
ADD COLUMN     "tokenIssuedAt" TIMESTAMP(3);

-- The shared token becomes its creator's own token (their configured agents keep working); every
-- other member is issued a fresh token of their own the first time they look for it. Sessions opened
-- with the shared token by anyone else end on their next message.
UPDATE "Member" AS m
SET "tokenDigest" = r."tokenDigest", "tokenCiphertext" = r."tokenCiphertext", "tokenIssuedAt" = r."tokenRotatedAt"
FROM "Room" AS r
WHERE m."roomId" = r."id" AND m."userId" = r."createdById";

UPDATE "AgentSession" AS s
SET "endedAt" = now(), "endReason" = 'per-member tokens replaced the shared room token'
FROM "Room" AS r
WHERE s."roomId" = r."id" AND s."endedAt" IS NULL AND s."userId" <> r."createdById";

-- CreateIndex
CREATE UNIQUE INDEX "Member_tokenDigest_key" ON "Member"("tokenDigest");

-- DropIndex
DROP INDEX "Room_tokenDigest_key";

-- AlterTable
ALTER TABLE "Room" DROP COLUMN "tokenCiphertext",
DROP COLUMN "tokenDigest",
DROP COLUMN "tokenRotatedAt";
