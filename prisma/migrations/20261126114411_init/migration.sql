-- CreateEnum
CREATE TYPE "OrganisationKind" AS ENUM ('ARMED_GROUP', 'MILITARY', 'POLICE', 'SECURITY_FORCES', 'GOVERNMENT', 'GOVERNMENT_BODY', 'NEWS_AGENCY', 'NEWS_OUTLET', 'NEWS_DESK', 'HOSPITAL', 'NGO', 'OTHER');

-- CreateEnum
CREATE TYPE "PlaceKind" AS ENUM ('COUNTRY', 'PROVINCE', 'DISTRICT', 'CITY', 'AREA', 'SITE');

-- CreateEnum
CREATE TYPE "SourceKind" AS ENUM ('NEWS_ARTICLE', 'NEWS_AGENCY_REPORT', 'PRESS_RELEASE', 'OFFICIAL_STATEMENT', 'SOCIAL_MEDIA_POST', 'SOCIAL_MEDIA_VIDEO', 'DATASET', 'OTHER');

-- CreateEnum
CREATE TYPE "IncidentKind" AS ENUM ('COORDINATED_ATTACK', 'ARMED_ATTACK', 'BOMBING', 'EXPLOSION', 'ABDUCTION', 'BLOCKADE', 'SECURITY_OPERATION', 'CLASH', 'OTHER');

-- CreateEnum
CREATE TYPE "DatePrecision" AS ENUM ('EXACT', 'DAY', 'WEEK', 'MONTH', 'YEAR');

-- CreateEnum
CREATE TYPE "ParticipantRole" AS ENUM ('PERPETRATOR', 'TARGET', 'RESPONDER', 'VICTIM');

-- CreateEnum
CREATE TYPE "StatementKind" AS ENUM ('CASUALTY_REPORT', 'RESPONSIBILITY_CLAIM', 'CONDEMNATION', 'DENIAL', 'SITUATION_REPORT', 'OPERATION_REPORT', 'HOSTAGE_MESSAGE', 'OTHER');

-- CreateEnum
CREATE TYPE "ClaimantKind" AS ENUM ('OFFICIAL', 'ORGANISATION', 'UNNAMED_GROUP', 'UNNAMED_PERSON');

-- CreateEnum
CREATE TYPE "VerificationStatus" AS ENUM ('NOT_ASSESSED', 'UNVERIFIED', 'VERIFIED', 'DISPUTED', 'FALSE');

-- CreateEnum
CREATE TYPE "FigureMetric" AS ENUM ('KILLED', 'INJURED', 'ABDUCTED', 'ARRESTED', 'MISSING', 'DISPLACED', 'SURRENDERED');

-- CreateEnum
CREATE TYPE "VictimCategory" AS ENUM ('MILITANTS', 'SECURITY_PERSONNEL', 'SOLDIERS', 'POLICE', 'CIVILIANS', 'MIGRANT_WORKERS', 'OFFICIALS', 'PEOPLE');

-- CreateEnum
CREATE TYPE "Side" AS ENUM ('STATE_FORCES', 'NON_STATE_ARMED_GROUP', 'CIVILIAN', 'UNSPECIFIED');

-- CreateEnum
CREATE TYPE "QuantityKind" AS ENUM ('EXACT', 'AT_LEAST', 'AT_MOST', 'APPROXIMATE', 'RANGE', 'UNQUANTIFIED');

-- CreateTable
CREATE TABLE "Organisation" (
    "id" SERIAL NOT NULL,
    "externalId" TEXT,
    "name" TEXT NOT NULL,
    "aliases" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "kind" "OrganisationKind" NOT NULL,
    "countryId" INTEGER,
    "parentId" INTEGER,
    "description" TEXT,
    "notes" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Organisation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Official" (
    "id" SERIAL NOT NULL,
    "externalId" TEXT,
    "name" TEXT,
    "description" TEXT,
    "aliases" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Official_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OfficialRole" (
    "id" SERIAL NOT NULL,
    "officialId" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "organisationId" INTEGER,
    "placeId" INTEGER,
    "startedOn" DATE,
    "endedOn" DATE,

    CONSTRAINT "OfficialRole_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Place" (
    "id" SERIAL NOT NULL,
    "externalId" TEXT,
    "name" TEXT NOT NULL,
    "aliases" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "kind" "PlaceKind" NOT NULL,
    "parentId" INTEGER,
    "latitude" DOUBLE PRECISION,
    "longitude" DOUBLE PRECISION,
    "description" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Place_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Source" (
    "id" SERIAL NOT NULL,
    "externalId" TEXT,
    "title" TEXT NOT NULL,
    "kind" "SourceKind" NOT NULL,
    "publisherId" INTEGER,
    "byline" TEXT,
    "url" TEXT,
    "publishedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Source_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Incident" (
    "id" SERIAL NOT NULL,
    "externalId" TEXT,
    "title" TEXT NOT NULL,
    "kind" "IncidentKind" NOT NULL,
    "description" TEXT,
    "startedAt" TIMESTAMP(3),
    "endedAt" TIMESTAMP(3),
    "datePrecision" "DatePrecision" NOT NULL DEFAULT 'DAY',
    "parentId" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Incident_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IncidentPlace" (
    "incidentId" INTEGER NOT NULL,
    "placeId" INTEGER NOT NULL,

    CONSTRAINT "IncidentPlace_pkey" PRIMARY KEY ("incidentId","placeId")
);

-- CreateTable
CREATE TABLE "IncidentParticipant" (
    "id" SERIAL NOT NULL,
    "incidentId" INTEGER NOT NULL,
    "role" "ParticipantRole" NOT NULL,
    "organisationId" INTEGER,
    "officialId" INTEGER,
    "description" TEXT NOT NULL,
    "basisId" INTEGER,

    CONSTRAINT "IncidentParticipant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Statement" (
    "id" SERIAL NOT NULL,
    "externalId" TEXT,
    "kind" "StatementKind" NOT NULL,
    "claimantKind" "ClaimantKind" NOT NULL,
    "officialId" INTEGER,
    "organisationId" INTEGER,
    "claimantDescription" TEXT NOT NULL,
    "madeAt" TIMESTAMP(3),
    "madeAtPrecision" "DatePrecision" NOT NULL DEFAULT 'DAY',
    "text" TEXT NOT NULL,
    "isDirectQuote" BOOLEAN NOT NULL DEFAULT false,
    "verification" "VerificationStatus" NOT NULL DEFAULT 'NOT_ASSESSED',
    "verificationNote" TEXT,
    "verifiedById" INTEGER,
    "retractedAt" TIMESTAMP(3),
    "retractionReason" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Statement_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StatementSource" (
    "statementId" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "sourceId" INTEGER NOT NULL,

    CONSTRAINT "StatementSource_pkey" PRIMARY KEY ("statementId","position")
);

-- CreateTable
CREATE TABLE "StatementIncident" (
    "statementId" INTEGER NOT NULL,
    "incidentId" INTEGER NOT NULL,

    CONSTRAINT "StatementIncident_pkey" PRIMARY KEY ("statementId","incidentId")
);

-- CreateTable
CREATE TABLE "Figure" (
    "id" SERIAL NOT NULL,
    "externalId" TEXT,
    "statementId" INTEGER NOT NULL,
    "incidentId" INTEGER,
    "metric" "FigureMetric" NOT NULL,
    "victimCategory" "VictimCategory" NOT NULL,
    "side" "Side" NOT NULL,
    "countedOrganisationId" INTEGER,
    "victimDescription" TEXT NOT NULL,
    "placeId" INTEGER,
    "quantityKind" "QuantityKind" NOT NULL,
    "low" INTEGER,
    "high" INTEGER,
    "phrase" TEXT NOT NULL,
    "supersedesId" INTEGER,
    "retractedAt" TIMESTAMP(3),
    "retractionReason" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Figure_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FigureBreakdownItem" (
    "id" SERIAL NOT NULL,
    "figureId" INTEGER NOT NULL,
    "label" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "position" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "FigureBreakdownItem_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Organisation_externalId_key" ON "Organisation"("externalId");

-- CreateIndex
CREATE INDEX "Organisation_parentId_idx" ON "Organisation"("parentId");

-- CreateIndex
CREATE INDEX "Organisation_countryId_idx" ON "Organisation"("countryId");

-- CreateIndex
CREATE UNIQUE INDEX "Official_externalId_key" ON "Official"("externalId");

-- CreateIndex
CREATE INDEX "OfficialRole_officialId_idx" ON "OfficialRole"("officialId");

-- CreateIndex
CREATE INDEX "OfficialRole_organisationId_idx" ON "OfficialRole"("organisationId");

-- CreateIndex
CREATE INDEX "OfficialRole_placeId_idx" ON "OfficialRole"("placeId");

-- CreateIndex
CREATE UNIQUE INDEX "Place_externalId_key" ON "Place"("externalId");

-- CreateIndex
CREATE INDEX "Place_parentId_idx" ON "Place"("parentId");

-- CreateIndex
CREATE UNIQUE INDEX "Source_externalId_key" ON "Source"("externalId");

-- CreateIndex
CREATE INDEX "Source_publisherId_idx" ON "Source"("publisherId");

-- CreateIndex
CREATE UNIQUE INDEX "Incident_externalId_key" ON "Incident"("externalId");

-- CreateIndex
CREATE INDEX "Incident_parentId_idx" ON "Incident"("parentId");

-- CreateIndex
CREATE INDEX "Incident_startedAt_idx" ON "Incident"("startedAt");

-- CreateIndex
CREATE INDEX "Incident_kind_idx" ON "Incident"("kind");

-- CreateIndex
CREATE INDEX "IncidentPlace_placeId_idx" ON "IncidentPlace"("placeId");

-- CreateIndex
CREATE INDEX "IncidentParticipant_incidentId_idx" ON "IncidentParticipant"("incidentId");

-- CreateIndex
CREATE INDEX "IncidentParticipant_organisationId_idx" ON "IncidentParticipant"("organisationId");

-- CreateIndex
CREATE INDEX "IncidentParticipant_officialId_idx" ON "IncidentParticipant"("officialId");

-- CreateIndex
CREATE UNIQUE INDEX "Statement_externalId_key" ON "Statement"("externalId");

-- CreateIndex
CREATE INDEX "Statement_officialId_idx" ON "Statement"("officialId");

-- CreateIndex
CREATE INDEX "Statement_organisationId_idx" ON "Statement"("organisationId");

-- CreateIndex
CREATE INDEX "Statement_madeAt_idx" ON "Statement"("madeAt");

-- CreateIndex
CREATE INDEX "Statement_kind_idx" ON "Statement"("kind");

-- CreateIndex
CREATE INDEX "StatementSource_sourceId_idx" ON "StatementSource"("sourceId");

-- CreateIndex
CREATE INDEX "StatementIncident_incidentId_idx" ON "StatementIncident"("incidentId");

-- CreateIndex
CREATE UNIQUE INDEX "Figure_externalId_key" ON "Figure"("externalId");

-- CreateIndex
CREATE UNIQUE INDEX "Figure_supersedesId_key" ON "Figure"("supersedesId");

-- CreateIndex
CREATE INDEX "Figure_statementId_idx" ON "Figure"("statementId");

-- CreateIndex
CREATE INDEX "Figure_incidentId_idx" ON "Figure"("incidentId");

-- CreateIndex
CREATE INDEX "Figure_placeId_idx" ON "Figure"("placeId");

-- CreateIndex
CREATE INDEX "Figure_metric_side_idx" ON "Figure"("metric", "side");

-- CreateIndex
CREATE INDEX "FigureBreakdownItem_figureId_idx" ON "FigureBreakdownItem"("figureId");

-- AddForeignKey
ALTER TABLE "Organisation" ADD CONSTRAINT "Organisation_countryId_fkey" FOREIGN KEY ("countryId") REFERENCES "Place"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Organisation" ADD CONSTRAINT "Organisation_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Organisation"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OfficialRole" ADD CONSTRAINT "OfficialRole_officialId_fkey" FOREIGN KEY ("officialId") REFERENCES "Official"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OfficialRole" ADD CONSTRAINT "OfficialRole_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OfficialRole" ADD CONSTRAINT "OfficialRole_placeId_fkey" FOREIGN KEY ("placeId") REFERENCES "Place"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Place" ADD CONSTRAINT "Place_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Place"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Source" ADD CONSTRAINT "Source_publisherId_fkey" FOREIGN KEY ("publisherId") REFERENCES "Organisation"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Incident" ADD CONSTRAINT "Incident_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Incident"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IncidentPlace" ADD CONSTRAINT "IncidentPlace_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IncidentPlace" ADD CONSTRAINT "IncidentPlace_placeId_fkey" FOREIGN KEY ("placeId") REFERENCES "Place"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IncidentParticipant" ADD CONSTRAINT "IncidentParticipant_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IncidentParticipant" ADD CONSTRAINT "IncidentParticipant_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IncidentParticipant" ADD CONSTRAINT "IncidentParticipant_officialId_fkey" FOREIGN KEY ("officialId") REFERENCES "Official"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IncidentParticipant" ADD CONSTRAINT "IncidentParticipant_basisId_fkey" FOREIGN KEY ("basisId") REFERENCES "Statement"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Statement" ADD CONSTRAINT "Statement_officialId_fkey" FOREIGN KEY ("officialId") REFERENCES "Official"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Statement" ADD CONSTRAINT "Statement_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Statement" ADD CONSTRAINT "Statement_verifiedById_fkey" FOREIGN KEY ("verifiedById") REFERENCES "Organisation"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StatementSource" ADD CONSTRAINT "StatementSource_statementId_fkey" FOREIGN KEY ("statementId") REFERENCES "Statement"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StatementSource" ADD CONSTRAINT "StatementSource_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "Source"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StatementIncident" ADD CONSTRAINT "StatementIncident_statementId_fkey" FOREIGN KEY ("statementId") REFERENCES "Statement"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StatementIncident" ADD CONSTRAINT "StatementIncident_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Figure" ADD CONSTRAINT "Figure_statementId_fkey" FOREIGN KEY ("statementId") REFERENCES "Statement"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Figure" ADD CONSTRAINT "Figure_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Figure" ADD CONSTRAINT "Figure_countedOrganisationId_fkey" FOREIGN KEY ("countedOrganisationId") REFERENCES "Organisation"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Figure" ADD CONSTRAINT "Figure_placeId_fkey" FOREIGN KEY ("placeId") REFERENCES "Place"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Figure" ADD CONSTRAINT "Figure_supersedesId_fkey" FOREIGN KEY ("supersedesId") REFERENCES "Figure"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FigureBreakdownItem" ADD CONSTRAINT "FigureBreakdownItem_figureId_fkey" FOREIGN KEY ("figureId") REFERENCES "Figure"("id") ON DELETE CASCADE ON UPDATE CASCADE;
