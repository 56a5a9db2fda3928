-- Hand-written: a GiST index on incident periods, so that "incidents of this month" reads the
-- month's incidents instead of every incident that ended after its first day (the
-- "periodEnd" btree). Prisma's diff ignores expression indexes and functions (see the search
-- migration), so this lives only here.
--
-- incident_period is a range that holds the whole period src/claims/periods.ts
-- `incidentOverlapsSql` tests ("startedAt" to "periodEnd", open below when the start is
-- unknown, null for an undated incident), ends included and in either order, so that every
-- incident the overlap test selects also overlaps by this range: the range condition
-- (`incidentPeriodIndexSql`) only narrows which rows the overlap test still has to check.
-- test/incident-periods.test.ts checks that on random periods.
CREATE FUNCTION incident_period(started timestamp, period_end timestamp) RETURNS tsrange
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT CASE WHEN period_end IS NULL THEN NULL
    WHEN started IS NULL THEN tsrange(NULL, period_end, '(]')
    ELSE tsrange(LEAST(started, period_end), GREATEST(started, period_end), '[]') END $$;

CREATE INDEX "Incident_period_idx" ON "Incident" USING GIST (incident_period("startedAt", "periodEnd"));

ANALYZE "Incident";
