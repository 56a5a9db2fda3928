-- Generated from schema.prisma (the column), then the rest by hand: Prisma's schema language has
-- no triggers nor partial indexes with INCLUDE, and its diff ignores them, so they live only here.
--
-- A figure's `standing` is kept by the database, whatever writes the rows (the write functions,
-- a statement's cascade, a bulk load): a figure stands when no figure supersedes it and neither
-- it nor its statement is retracted, the rule of src/claims/filters.ts `standingWhere` as now
-- (without `asOf`); `figure_stands` is its SQL twin here, and test/standing-positions.test.ts checks
-- the kept column against the rule after random writes. `current: true` lists read the column and
-- its partial index: a page or a bounded count of standing figures joins no statement and probes
-- no revision, however many superseded or retracted figures lie before it.

-- AlterTable
ALTER TABLE "Figure" ADD COLUMN     "standing" BOOLEAN NOT NULL DEFAULT true;

-- Figure `figure_id` (retracted at `retracted_at`, of statement `statement_id`) stands.
CREATE FUNCTION figure_stands(figure_id integer, retracted_at timestamp(3), statement_id integer) RETURNS boolean
  LANGUAGE sql STABLE
  AS $$ SELECT retracted_at IS NULL
            AND NOT EXISTS (SELECT 1 FROM "Figure" revision WHERE revision."supersedesId" = figure_id)
            AND NOT EXISTS (SELECT 1 FROM "Statement" s WHERE s.id = statement_id AND s."retractedAt" IS NOT NULL) $$;

-- The row written: its own standing.
CREATE FUNCTION figure_standing_of_row() RETURNS trigger
  LANGUAGE plpgsql
  AS $$ BEGIN
    NEW.standing := figure_stands(NEW.id, NEW."retractedAt", NEW."statementId");
    RETURN NEW;
  END $$;

-- The figures a row's revision link points at, before and after: superseded now, or no longer.
CREATE FUNCTION figure_standing_of_revised() RETURNS trigger
  LANGUAGE plpgsql
  AS $$ BEGIN
    UPDATE "Figure" f SET standing = figure_stands(f.id, f."retractedAt", f."statementId")
      WHERE f.id IN (
        CASE WHEN TG_OP <> 'INSERT' THEN OLD."supersedesId" END,
        CASE WHEN TG_OP <> 'DELETE' THEN NEW."supersedesId" END)
        AND f.standing IS DISTINCT FROM figure_stands(f.id, f."retractedAt", f."statementId");
    RETURN NULL;
  END $$;

-- A statement retracted (or no longer): its figures.
CREATE FUNCTION figure_standing_of_statement() RETURNS trigger
  LANGUAGE plpgsql
  AS $$ BEGIN
    UPDATE "Figure" f SET standing = figure_stands(f.id, f."retractedAt", f."statementId")
      WHERE f."statementId" = NEW.id AND f.standing IS DISTINCT FROM figure_stands(f.id, f."retractedAt", f."statementId");
    RETURN NULL;
  END $$;

-- Only the columns the rule reads fire these: the updates above set `standing` alone.
CREATE TRIGGER "Figure_standing_row" BEFORE INSERT OR UPDATE OF "supersedesId", "retractedAt", "statementId" ON "Figure"
  FOR EACH ROW EXECUTE FUNCTION figure_standing_of_row();

-- Only rows with a revision link fire these: a bulk load of new figures pays for none.
CREATE TRIGGER "Figure_standing_revised_insert" AFTER INSERT ON "Figure"
  FOR EACH ROW WHEN (NEW."supersedesId" IS NOT NULL) EXECUTE FUNCTION figure_standing_of_revised();

CREATE TRIGGER "Figure_standing_revised_update" AFTER UPDATE OF "supersedesId" ON "Figure"
  FOR EACH ROW WHEN (OLD."supersedesId" IS DISTINCT FROM NEW."supersedesId") EXECUTE FUNCTION figure_standing_of_revised();

CREATE TRIGGER "Figure_standing_revised_delete" AFTER DELETE ON "Figure"
  FOR EACH ROW WHEN (OLD."supersedesId" IS NOT NULL) EXECUTE FUNCTION figure_standing_of_revised();

CREATE TRIGGER "Statement_figure_standing" AFTER UPDATE OF "retractedAt" ON "Statement"
  FOR EACH ROW WHEN (OLD."retractedAt" IS DISTINCT FROM NEW."retractedAt") EXECUTE FUNCTION figure_standing_of_statement();

-- Backfill: every figure the rule says does not stand (the column's default says it does).
UPDATE "Figure" f SET standing = false WHERE NOT figure_stands(f.id, f."retractedAt", f."statementId");

-- The standing figures by metric (what most lists narrow by), in id order (every list's order),
-- with the other columns list filters narrow by: a bounded count of them reads the index alone,
-- a metric's range of it when the list names metrics.
CREATE INDEX "Figure_standing_metric_id_idx" ON "Figure" (metric, id) INCLUDE (side, "victimCategory") WHERE standing;
