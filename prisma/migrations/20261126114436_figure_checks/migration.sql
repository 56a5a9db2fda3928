-- Hand-written. Prisma's schema language has no CHECK constraints, and its diff ignores them
-- on PostgreSQL, so they live only here: schema.prisma stays without them, and later
-- migrations generated from it neither recreate nor drop them.

-- Figures count people: bounds are never negative, and low never exceeds high.
ALTER TABLE "Figure"
  ADD CONSTRAINT "Figure_low_check" CHECK ("low" >= 0),
  ADD CONSTRAINT "Figure_high_check" CHECK ("high" >= 0),
  ADD CONSTRAINT "Figure_low_high_check" CHECK ("low" <= "high"),
  -- The bounds hold exactly what the quantity kind says was said ("at least 67": low only).
  ADD CONSTRAINT "Figure_quantityKind_check" CHECK (
    CASE "quantityKind"
      WHEN 'EXACT' THEN "low" IS NOT NULL AND "high" IS NOT DISTINCT FROM "low"
      WHEN 'APPROXIMATE' THEN "low" IS NOT NULL AND "high" IS NOT DISTINCT FROM "low"
      WHEN 'AT_LEAST' THEN "low" IS NOT NULL AND "high" IS NULL
      WHEN 'AT_MOST' THEN "low" IS NULL AND "high" IS NOT NULL
      WHEN 'RANGE' THEN "low" IS NOT NULL AND "high" IS NOT NULL AND "low" < "high"
      WHEN 'UNQUANTIFIED' THEN "low" IS NULL AND "high" IS NULL
      ELSE FALSE -- a new kind needs its rule here
    END
  );

-- A breakdown counts people too.
ALTER TABLE "FigureBreakdownItem"
  ADD CONSTRAINT "FigureBreakdownItem_count_check" CHECK ("count" >= 0);
