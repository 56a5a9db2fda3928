-- Hand-written: rules Prisma's schema language cannot express. The drift check ignores CHECK
-- constraints, so these live only here.

-- A statement's claimant columns agree with its claimant kind: an official's statement names
-- the official, an organisation's names the organisation, an unnamed speaker names neither.
ALTER TABLE "Statement" ADD CONSTRAINT "Statement_claimant_check" CHECK (
  CASE "claimantKind"
    WHEN 'OFFICIAL' THEN "officialId" IS NOT NULL AND "organisationId" IS NULL
    WHEN 'ORGANISATION' THEN "organisationId" IS NOT NULL AND "officialId" IS NULL
    ELSE "officialId" IS NULL AND "organisationId" IS NULL
  END
);

-- A figure revises another figure, never itself.
ALTER TABLE "Figure" ADD CONSTRAINT "Figure_supersedes_other_check" CHECK ("supersedesId" <> "id");

-- Source chains count from 0 (what the reader saw) towards the claimant.
ALTER TABLE "StatementSource" ADD CONSTRAINT "StatementSource_position_check" CHECK ("position" >= 0);
