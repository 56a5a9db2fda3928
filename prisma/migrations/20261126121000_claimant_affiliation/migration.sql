-- CreateEnum
CREATE TYPE "ClaimantAffiliation" AS ENUM ('STATE', 'NON_STATE_ARMED_GROUP', 'INDEPENDENT', 'UNKNOWN');

-- AlterTable
ALTER TABLE "Statement" ADD COLUMN     "claimantAffiliation" "ClaimantAffiliation" NOT NULL DEFAULT 'UNKNOWN';
