-- Generated from schema.prisma, then edited by hand (issue 15, integrity of the record):
--
-- 1. External IDs move out of the entity tables into "ExternalId", owned per API key (its owner,
--    "ApiKey"."ownerKeyId") or by the local command line and the seed (owner 0): two partners
--    may use the same string. Existing IDs are copied first, each owned by the key whose CREATE
--    change made the record (0 when none did). Their "input" is unknown (null): a repeat of
--    such a creation is taken as a replay, as before.
-- 2. Idempotency keys belong to the same owners; existing records keep their key's id.
-- 3. Periods. period_end(at, precision) is the first moment after the period of `precision`
--    holding `at`: the SQL twin of `periodEnd` in src/rules/dates.ts (test/dates.test.ts checks
--    the two agree). Triggers keep "Incident"."periodEnd" and "Statement"."madePeriodEnd" from
--    the dates and precisions, whoever writes the row; a figure's own period is checked.
-- 4. Figures of a retracted statement are marked retracted with it (the writes now do so).

-- CreateTable
CREATE TABLE "ExternalId" (
    "ownerId" INTEGER NOT NULL,
    "entityType" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "entityId" INTEGER NOT NULL,
    "input" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ExternalId_pkey" PRIMARY KEY ("ownerId","entityType","externalId")
);

-- CreateIndex
CREATE INDEX "ExternalId_entityType_entityId_idx" ON "ExternalId"("entityType", "entityId");

-- Copy the existing external IDs, owned by the key whose CREATE change made the record.
INSERT INTO "ExternalId" ("ownerId", "entityType", "externalId", "entityId", "input", "createdAt")
SELECT COALESCE((SELECT c."apiKeyId" FROM "Change" c WHERE c."entityType" = 'Place' AND c."entityId" = t.id AND c."operation" = 'CREATE' ORDER BY c.id LIMIT 1), 0),
       'Place', t."externalId", t.id, NULL, t."createdAt"
FROM "Place" t WHERE t."externalId" IS NOT NULL;
INSERT INTO "ExternalId" ("ownerId", "entityType", "externalId", "entityId", "input", "createdAt")
SELECT COALESCE((SELECT c."apiKeyId" FROM "Change" c WHERE c."entityType" = 'Organisation' AND c."entityId" = t.id AND c."operation" = 'CREATE' ORDER BY c.id LIMIT 1), 0),
       'Organisation', t."externalId", t.id, NULL, t."createdAt"
FROM "Organisation" t WHERE t."externalId" IS NOT NULL;
INSERT INTO "ExternalId" ("ownerId", "entityType", "externalId", "entityId", "input", "createdAt")
SELECT COALESCE((SELECT c."apiKeyId" FROM "Change" c WHERE c."entityType" = 'Official' AND c."entityId" = t.id AND c."operation" = 'CREATE' ORDER BY c.id LIMIT 1), 0),
       'Official', t."externalId", t.id, NULL, t."createdAt"
FROM "Official" t WHERE t."externalId" IS NOT NULL;
INSERT INTO "ExternalId" ("ownerId", "entityType", "externalId", "entityId", "input", "createdAt")
SELECT COALESCE((SELECT c."apiKeyId" FROM "Change" c WHERE c."entityType" = 'Source' AND c."entityId" = t.id AND c."operation" = 'CREATE' ORDER BY c.id LIMIT 1), 0),
       'Source', t."externalId", t.id, NULL, t."createdAt"
FROM "Source" t WHERE t."externalId" IS NOT NULL;
INSERT INTO "ExternalId" ("ownerId", "entityType", "externalId", "entityId", "input", "createdAt")
SELECT COALESCE((SELECT c."apiKeyId" FROM "Change" c WHERE c."entityType" = 'Incident' AND c."entityId" = t.id AND c."operation" = 'CREATE' ORDER BY c.id LIMIT 1), 0),
       'Incident', t."externalId", t.id, NULL, t."createdAt"
FROM "Incident" t WHERE t."externalId" IS NOT NULL;
INSERT INTO "ExternalId" ("ownerId", "entityType", "externalId", "entityId", "input", "createdAt")
SELECT COALESCE((SELECT c."apiKeyId" FROM "Change" c WHERE c."entityType" = 'Statement' AND c."entityId" = t.id AND c."operation" = 'CREATE' ORDER BY c.id LIMIT 1), 0),
       'Statement', t."externalId", t.id, NULL, t."createdAt"
FROM "Statement" t WHERE t."externalId" IS NOT NULL;
INSERT INTO "ExternalId" ("ownerId", "entityType", "externalId", "entityId", "input", "createdAt")
SELECT COALESCE((SELECT c."apiKeyId" FROM "Change" c WHERE c."entityType" = 'Figure' AND c."entityId" = t.id AND c."operation" = 'CREATE' ORDER BY c.id LIMIT 1), 0),
       'Figure', t."externalId", t.id, NULL, t."createdAt"
FROM "Figure" t WHERE t."externalId" IS NOT NULL;

-- DropForeignKey
ALTER TABLE "IdempotencyRecord" DROP CONSTRAINT "IdempotencyRecord_apiKeyId_fkey";

-- DropIndex
DROP INDEX "Figure_externalId_key";

-- DropIndex
DROP INDEX "ImportRun_fileSha256_key";

-- DropIndex
DROP INDEX "Incident_externalId_key";

-- DropIndex
DROP INDEX "Official_externalId_key";

-- DropIndex
DROP INDEX "Organisation_externalId_key";

-- DropIndex
DROP INDEX "Place_externalId_key";

-- DropIndex
DROP INDEX "Source_externalId_key";

-- DropIndex
DROP INDEX "Statement_externalId_key";

-- AlterTable
ALTER TABLE "ApiKey" ADD COLUMN     "ownerKeyId" INTEGER;

-- AlterTable
ALTER TABLE "Figure" DROP COLUMN "externalId",
ADD COLUMN     "periodEnd" TIMESTAMP(3),
ADD COLUMN     "periodPrecision" "DatePrecision",
ADD COLUMN     "periodStart" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "IdempotencyRecord" ADD COLUMN "ownerId" INTEGER NOT NULL DEFAULT 0;
UPDATE "IdempotencyRecord" SET "ownerId" = "apiKeyId";
ALTER TABLE "IdempotencyRecord" ALTER COLUMN "ownerId" DROP DEFAULT;
ALTER TABLE "IdempotencyRecord" DROP CONSTRAINT "IdempotencyRecord_pkey",
DROP COLUMN "apiKeyId",
ADD COLUMN     "input" JSONB,
ADD CONSTRAINT "IdempotencyRecord_pkey" PRIMARY KEY ("ownerId", "key");

-- AlterTable
ALTER TABLE "ImportRun" ADD COLUMN     "ownerId" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "changed" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "Incident" DROP COLUMN "externalId",
ADD COLUMN     "periodEnd" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Official" DROP COLUMN "externalId";

-- AlterTable
ALTER TABLE "Organisation" DROP COLUMN "externalId";

-- AlterTable
ALTER TABLE "Place" DROP COLUMN "externalId";

-- AlterTable
ALTER TABLE "Source" DROP COLUMN "externalId";

-- AlterTable
ALTER TABLE "Statement" DROP COLUMN "externalId",
ADD COLUMN     "madePeriodEnd" TIMESTAMP(3);

-- CreateIndex
CREATE UNIQUE INDEX "ImportRun_ownerId_fileSha256_key" ON "ImportRun"("ownerId", "fileSha256");

-- Periods: the SQL twin of src/rules/dates.ts `periodEnd`.
CREATE FUNCTION period_end(at timestamp, unit "DatePrecision") RETURNS timestamp
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE unit
  WHEN 'EXACT' THEN at + interval '1 millisecond'
  WHEN 'DAY' THEN date_trunc('day', at) + interval '1 day'
  WHEN 'WEEK' THEN date_trunc('week', at) + interval '7 days'
  WHEN 'MONTH' THEN date_trunc('month', at) + interval '1 month'
  WHEN 'YEAR' THEN date_trunc('year', at) + interval '1 year'
END;

CREATE FUNCTION incident_period_end() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."periodEnd" := period_end(COALESCE(NEW."endedAt", NEW."startedAt"), NEW."datePrecision");
  RETURN NEW;
END $$;

CREATE TRIGGER incident_period_end BEFORE INSERT OR UPDATE OF "startedAt", "endedAt", "datePrecision", "periodEnd" ON "Incident"
FOR EACH ROW EXECUTE FUNCTION incident_period_end();

CREATE FUNCTION statement_made_period_end() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."madePeriodEnd" := period_end(NEW."madeAt", NEW."madeAtPrecision");
  RETURN NEW;
END $$;

CREATE TRIGGER statement_made_period_end BEFORE INSERT OR UPDATE OF "madeAt", "madeAtPrecision", "madePeriodEnd" ON "Statement"
FOR EACH ROW EXECUTE FUNCTION statement_made_period_end();

UPDATE "Incident" SET "periodEnd" = NULL;
UPDATE "Statement" SET "madePeriodEnd" = NULL;

-- A figure's own period: all three given or none, and it must not end before it starts.
ALTER TABLE "Figure" ADD CONSTRAINT "Figure_period_check" CHECK (
  ("periodStart" IS NULL AND "periodEnd" IS NULL AND "periodPrecision" IS NULL)
  OR ("periodStart" IS NOT NULL AND "periodEnd" IS NOT NULL AND "periodPrecision" IS NOT NULL AND "periodEnd" > "periodStart")
);

-- Date filters test overlap: an incident's period ends at "periodEnd", a statement's at "madePeriodEnd".
CREATE INDEX "Incident_periodEnd_idx" ON "Incident"("periodEnd");
CREATE INDEX "Statement_madePeriodEnd_idx" ON "Statement"("madePeriodEnd");

-- Figures of a retracted statement are retracted with it.
UPDATE "Figure" f SET "retractedAt" = s."retractedAt", "retractionReason" = s."retractionReason"
FROM "Statement" s WHERE s.id = f."statementId" AND s."retractedAt" IS NOT NULL AND f."retractedAt" IS NULL;
