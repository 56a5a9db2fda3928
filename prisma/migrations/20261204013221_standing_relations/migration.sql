-- Generated from schema.prisma, then edited by hand: the functions (Prisma's schema language has
-- none), NULLS LAST on the order index (Prisma cannot say it; its diff ignores it), and the
-- backfill at the end.
--
-- The kept relations: how each claimant's position on a top-level incident, metric and side
-- compares with the other claimants' there, one entry of its track record. The writes recompute
-- them with the positions of the incidents they touch (src/claims/standing-positions.ts); a track
-- record's summary and pages are read off the claimant's index.

-- How a claimant's position compares with the others' (the SQL twin of src/claims/interval.ts
-- `relationOf`; test/claim-intervals.test.ts checks the two agree on random claims), from its
-- bounds and, over the others' positions with a number, count(low), min(low), max(high) and
-- bool_and(claim_exact(...)). An open bound ('Infinity') is never above nor below another.
CREATE FUNCTION claim_relation(low float8, high float8, approximate boolean, others bigint, others_min_low float8, others_max_high float8,
                               others_all_exact boolean) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN CASE WHEN low IS NULL OR others = 0 THEN 'NO_COMPARISON'
                    WHEN low > others_max_high THEN 'HIGHER'
                    WHEN high < others_min_low THEN 'LOWER'
                    WHEN claim_exact(low, high, approximate) AND others_all_exact AND others_min_low = low AND others_max_high = low THEN 'EQUAL'
                    ELSE 'OVERLAPPING' END;

-- How many times the others' claims it is, where it stands clear of them (`relativeRatio`): its
-- low ÷ the others' highest high when higher (none when that is 0), its high ÷ their lowest low
-- when lower, 1 when equal, none otherwise.
CREATE FUNCTION claim_relative_ratio(relation text, low float8, high float8, others_min_low float8, others_max_high float8) RETURNS float8
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN CASE relation WHEN 'HIGHER' THEN CASE WHEN others_max_high = 0 THEN NULL ELSE low / others_max_high END
                             WHEN 'LOWER' THEN high / others_min_low
                             WHEN 'EQUAL' THEN 1::float8 END;

-- CreateTable
CREATE TABLE "StandingRelation" (
    "incidentId" INTEGER NOT NULL,
    "metric" "FigureMetric" NOT NULL,
    "side" "Side" NOT NULL,
    "claimant" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3),
    "relation" TEXT NOT NULL,
    "ratio" DOUBLE PRECISION,

    CONSTRAINT "StandingRelation_pkey" PRIMARY KEY ("incidentId","metric","side","claimant")
);

-- CreateIndex
CREATE INDEX "StandingRelation_claimant_startedAt_incidentId_metric_side__idx" ON "StandingRelation"("claimant", "startedAt" DESC NULLS LAST, "incidentId" DESC, "metric", "side", "relation", "ratio");

-- AddForeignKey
ALTER TABLE "StandingRelation" ADD CONSTRAINT "StandingRelation_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Backfill: the relations of src/claims/standing-positions.ts `rebuildStatements` as its SQL stood
-- when this migration was written (test/standing-positions.test.ts checks that a database
-- migrated with data holds what the recomputation gives).
INSERT INTO "StandingRelation" ("incidentId", metric, side, claimant, "startedAt", relation, ratio) 
    SELECT "incidentId", metric, side, claimant, "startedAt", relation, claim_relative_ratio(relation, low, high, others_min_low, others_max_high)
    FROM (SELECT others.*, claim_relation(low, high, approximate, others_numbers, others_min_low, others_max_high, others_all_exact) AS relation
          FROM (SELECT p."incidentId", p.metric, p.side, p.claimant, i."startedAt", p.low, p.high, p.approximate,
                       count(p.low) OVER others AS others_numbers, min(p.low) OVER others AS others_min_low,
                       max(p.high) FILTER (WHERE p.low IS NOT NULL) OVER others AS others_max_high,
                       coalesce(bool_and(claim_exact(p.low, p.high, p.approximate)) FILTER (WHERE p.low IS NOT NULL) OVER others, TRUE) AS others_all_exact
                FROM "StandingPosition" p JOIN "Incident" i ON i.id = p."incidentId"
                WHERE i."parentId" IS NULL AND TRUE
                WINDOW others AS (PARTITION BY p."incidentId", p.metric, p.side ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING EXCLUDE CURRENT ROW)) others
         ) related;

ANALYZE "StandingRelation";
