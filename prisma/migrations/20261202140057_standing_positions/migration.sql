-- Generated from schema.prisma, then edited by hand: NULLS LAST on the ratio indexes (Prisma
-- cannot say it; its diff ignores it), and the backfill at the end.
--
-- The kept positions: every claimant's position on every incident (with everything inside it),
-- metric and side, as the record stands now with words read as no number, and how the positions
-- on each incident, metric and side compare. The writes recompute the keys they touch in their
-- transaction (src/claims/standing-positions.ts); the discrepancies are read off the ratio index.

-- CreateTable
CREATE TABLE "StandingPosition" (
    "incidentId" INTEGER NOT NULL,
    "metric" "FigureMetric" NOT NULL,
    "side" "Side" NOT NULL,
    "claimant" TEXT NOT NULL,
    "statementId" INTEGER NOT NULL,
    "figureIds" INTEGER[],
    "low" DOUBLE PRECISION,
    "high" DOUBLE PRECISION,
    "approximate" BOOLEAN NOT NULL,
    "coversWholeIncident" BOOLEAN NOT NULL,
    "questioned" BOOLEAN NOT NULL,
    "affiliations" TEXT[],

    CONSTRAINT "StandingPosition_pkey" PRIMARY KEY ("incidentId","metric","side","claimant")
);

-- CreateTable
CREATE TABLE "StandingSpread" (
    "incidentId" INTEGER NOT NULL,
    "metric" "FigureMetric" NOT NULL,
    "side" "Side" NOT NULL,
    "quantifiedClaimants" INTEGER NOT NULL,
    "lowest" DOUBLE PRECISION,
    "highest" DOUBLE PRECISION,
    "ratio" DOUBLE PRECISION,
    "agreement" TEXT NOT NULL,

    CONSTRAINT "StandingSpread_pkey" PRIMARY KEY ("incidentId","metric","side")
);

-- CreateIndex
CREATE INDEX "StandingPosition_claimant_incidentId_idx" ON "StandingPosition"("claimant", "incidentId");

-- CreateIndex
CREATE INDEX "StandingSpread_ratio_incidentId_idx" ON "StandingSpread"("ratio" DESC NULLS LAST, "incidentId");

-- CreateIndex
CREATE INDEX "StandingSpread_metric_ratio_incidentId_idx" ON "StandingSpread"("metric", "ratio" DESC NULLS LAST, "incidentId");

-- AddForeignKey
ALTER TABLE "StandingPosition" ADD CONSTRAINT "StandingPosition_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StandingSpread" ADD CONSTRAINT "StandingSpread_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Backfill: the full rebuild of src/claims/standing-positions.ts `rebuildStatements` as its SQL
-- stood when this migration was written (test/standing-positions.test.ts checks that a database
-- migrated with data holds what the recomputation gives).
INSERT INTO "StandingPosition" ("incidentId", metric, side, claimant, "statementId", "figureIds", low, high, approximate, "coversWholeIncident", questioned, affiliations) 
    WITH RECURSIVE tree(id, root, path) AS (
      SELECT i.id, i.id, ARRAY[i.id] FROM "Incident" i WHERE TRUE
      UNION ALL
      SELECT child.id, tree.root, tree.path || child.id FROM "Incident" child JOIN tree ON child."parentId" = tree.id
    ),
    standing AS (
      SELECT f.id, f."incidentId" AS incident, f.metric::text AS metric, f.side::text AS side,
             claim_low(f."quantityKind", f.low, NULL::int) AS low, claim_high(f."quantityKind", f.high, NULL::int) AS high, CASE WHEN (NULL::int) IS NOT NULL THEN NULL::int END AS implied_form,
             f."quantityKind" = 'APPROXIMATE' AS approximate, tree.root, tree.path, s.id AS statement_id,
             s.verification::text IN ('UNVERIFIED', 'DISPUTED', 'FALSE') AS questioned,
             s."claimantAffiliation"::text AS affiliation, CASE s."claimantKind"
    WHEN 'OFFICIAL' THEN 'official:' || s."officialId"
    WHEN 'ORGANISATION' THEN 'organisation:' || s."organisationId"
    ELSE 'unnamed:' || lower(regexp_replace(s."claimantDescription", '^[[:space:]]+|[[:space:]]+$', '', 'g')) END AS claimant
      FROM "Figure" f JOIN "Statement" s ON s.id = f."statementId" JOIN tree ON tree.id = f."incidentId"
      WHERE (
    f."retractedAt" IS NULL AND s."retractedAt" IS NULL
    AND NOT EXISTS (
      SELECT 1 FROM "Figure" revision JOIN "Statement" revised ON revised.id = revision."statementId"
      WHERE revision."supersedesId" = f.id 
    )
  )
    ),
    chosen AS (
      -- a figure for a part is dropped when the same claimant counted an incident above it
      SELECT a.* FROM standing a WHERE NOT EXISTS (
        SELECT 1 FROM standing b
        WHERE b.claimant = a.claimant AND b.metric = a.metric AND b.side = a.side AND b.root = a.root
          AND b.incident <> a.incident AND b.incident = ANY (a.path)
      )
    ),
    positions AS (
      SELECT root, metric, side, claimant,
             min(statement_id) AS statement_id,
             array_agg(id ORDER BY id) AS figure_ids,
             array_agg(id ORDER BY id) FILTER (WHERE implied_form IS NOT NULL) AS implied_figure_ids,
             array_agg(implied_form ORDER BY id) FILTER (WHERE implied_form IS NOT NULL) AS implied_forms,
             bool_and(incident = root) AS whole,
             bool_or(approximate) AS approximate,
             bool_or(questioned) AS questioned,
             array_agg(DISTINCT affiliation) AS affiliations,
             sum(low) AS low,
             claim_position_high(claim_sum_high(count(*), count(low), sum(high)), bool_and(incident = root)) AS high
      FROM chosen GROUP BY root, metric, side, claimant
    )
    SELECT root, metric::"FigureMetric", side::"Side", claimant, statement_id, figure_ids, low, high, approximate, whole, questioned, affiliations
    FROM positions;

INSERT INTO "StandingSpread" ("incidentId", metric, side, "quantifiedClaimants", lowest, highest, ratio, agreement) 
    SELECT "incidentId", metric, side, quantified_claimants, lowest, highest, claims_ratio(quantified_claimants, max_low, min_high) AS ratio,
             claims_agreement(quantified_claimants, max_low, min_high, lowest, highest, all_exact) AS agreement
    FROM (SELECT p."incidentId", p.metric, p.side, count(low)  AS quantified_claimants,
             min(low)  AS lowest, max(high)  AS highest,
             max(low)  AS max_low, min(high)  AS min_high,
             coalesce(bool_and(claim_exact(low, high, approximate)) FILTER (WHERE low IS NOT NULL) , FALSE) AS all_exact
          FROM "StandingPosition" p WHERE TRUE GROUP BY p."incidentId", p.metric, p.side) aggregates;
