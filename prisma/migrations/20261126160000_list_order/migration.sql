-- Generated from schema.prisma, then edited by hand: NULLS LAST added to both indexes.
--
-- The incident and statement lists are ordered newest first: "startedAt" (or "madeAt") DESC
-- NULLS LAST, then id DESC. A DESC index puts nulls first unless told otherwise, and an index
-- whose null order differs from the query's cannot produce that order, so PostgreSQL sorted
-- every incident (every statement) for each page. With these indexes a page is read off the
-- index. At 1M figures: incidents 44 ms → 0.02 ms, statements 208 ms → 0.1 ms (see
-- docs/query-plans.md for the plans).
--
-- Prisma's schema language has no null order and its diff ignores it: schema.prisma declares
-- these as ([startedAt(sort: Desc), id(sort: Desc)]) and ([madeAt(sort: Desc), id(sort: Desc)]),
-- so the drift check is satisfied and later migrations leave them alone. They replace the
-- single-column indexes, whose date ranges they serve just as well.

-- DropIndex
DROP INDEX "Incident_startedAt_idx";

-- DropIndex
DROP INDEX "Statement_madeAt_idx";

-- CreateIndex
CREATE INDEX "Incident_startedAt_id_idx" ON "Incident"("startedAt" DESC NULLS LAST, "id" DESC);

-- CreateIndex
CREATE INDEX "Statement_madeAt_id_idx" ON "Statement"("madeAt" DESC NULLS LAST, "id" DESC);
