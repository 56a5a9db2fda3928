-- Hand-written: each searchable table stores its search document, so a search reads it instead of
-- rebuilding it (to_tsvector on every matching row: 80 of a search's 105 ms at 1M figures).
--
-- The column is GENERATED from the same IMMUTABLE function as before (migration `…_search`), so
-- the rule stays in one place and the database keeps the column in step with every write. An
-- official's document also holds its roles' titles, which a generated column cannot read from
-- another table: "Official" stores its own part and "OfficialRole" each title's, and search.ts
-- joins them for the officials found (as it did).
--
-- schema.prisma declares each column as `Unsupported("tsvector")? @default(dbgenerated())`:
-- Prisma's diff reads a generation expression as a default, and `dbgenerated()` without an
-- expression matches any; the GIN indexes on the columns are ordinary `@@index(type: Gin)`.
--
-- To change what is searched: CREATE OR REPLACE FUNCTION, then recompute the stored documents by
-- dropping and adding the column and its index as below (a replaced function does not rewrite
-- stored rows; test/search-documents.test.ts fails while any row differs from its function).
-- The expression indexes on the functions go: the columns' indexes replace them.

DROP INDEX "Statement_search_idx";
DROP INDEX "Incident_search_idx";
DROP INDEX "Organisation_search_idx";
DROP INDEX "Official_search_idx";
DROP INDEX "OfficialRole_search_idx";
DROP INDEX "Place_search_idx";

ALTER TABLE "Statement" ADD COLUMN "searchDocument" tsvector
  GENERATED ALWAYS AS (search_statement("text", "claimantDescription", "verificationNote")) STORED;
ALTER TABLE "Incident" ADD COLUMN "searchDocument" tsvector
  GENERATED ALWAYS AS (search_incident("title", "description")) STORED;
ALTER TABLE "Organisation" ADD COLUMN "searchDocument" tsvector
  GENERATED ALWAYS AS (search_organisation("name", "aliases", "description", "notes")) STORED;
ALTER TABLE "Official" ADD COLUMN "searchDocument" tsvector
  GENERATED ALWAYS AS (search_official("name", "aliases", "description")) STORED;
ALTER TABLE "OfficialRole" ADD COLUMN "searchDocument" tsvector
  GENERATED ALWAYS AS (search_official_role("title")) STORED;
ALTER TABLE "Place" ADD COLUMN "searchDocument" tsvector
  GENERATED ALWAYS AS (search_place("name", "aliases", "description")) STORED;

CREATE INDEX "Statement_searchDocument_idx" ON "Statement" USING GIN ("searchDocument");
CREATE INDEX "Incident_searchDocument_idx" ON "Incident" USING GIN ("searchDocument");
CREATE INDEX "Organisation_searchDocument_idx" ON "Organisation" USING GIN ("searchDocument");
CREATE INDEX "Official_searchDocument_idx" ON "Official" USING GIN ("searchDocument");
CREATE INDEX "OfficialRole_searchDocument_idx" ON "OfficialRole" USING GIN ("searchDocument");
CREATE INDEX "Place_searchDocument_idx" ON "Place" USING GIN ("searchDocument");

ANALYZE "Statement", "Incident", "Organisation", "Official", "OfficialRole", "Place";
