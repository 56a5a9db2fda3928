// Which figures stand, in SQL: the twin of `standingWhere` in filters.ts, for analyses that
// aggregate in the database (comparisons, totals, track records). Both say: not superseded,
// neither the figure nor its statement retracted — and with `asOf`, claimed by then (statement
// `madeAt`, or when it was recorded if undated), with any revision or retraction coming later.
// Tests check that the two select the same figures.
import { Prisma, type PrismaClient } from '../generated/prisma/client.js';

/**
 * A moment as a UTC `timestamp` (the columns are `timestamp(3)` holding UTC), whatever the
 * session's time zone.
 */
export function utcTimestamp(date: Date): Prisma.Sql {
  return Prisma.sql`(${date.toISOString()}::timestamptz AT TIME ZONE 'UTC')`;
}

/** Statement `alias` was made by `asOf` (`madeAt`, or `createdAt` when the reporting gives no date). */
function madeBy(alias: Prisma.Sql, asOf: Date): Prisma.Sql {
  const at = utcTimestamp(asOf);
  return Prisma.sql`(${alias}."madeAt" <= ${at} OR (${alias}."madeAt" IS NULL AND ${alias}."createdAt" <= ${at}))`;
}

/** Row `alias` is not retracted, or (with `asOf`) only retracted later. */
function notRetracted(alias: Prisma.Sql, asOf: Date | null | undefined): Prisma.Sql {
  return asOf ? Prisma.sql`(${alias}."retractedAt" IS NULL OR ${alias}."retractedAt" > ${utcTimestamp(asOf)})` : Prisma.sql`${alias}."retractedAt" IS NULL`;
}

/** Statement `alias` is in current views: the SQL twin of `visibleStatementWhere` (filters.ts). */
export function visibleStatementSql(alias: Prisma.Sql, view: { includeRetracted?: boolean | null } = {}): Prisma.Sql {
  return view.includeRetracted ? Prisma.sql`TRUE` : notRetracted(alias, null);
}

/**
 * Participation `participation` is in current views, its basis (when it has one) not retracted:
 * the SQL twin of `visibleParticipantWhere` (filters.ts).
 */
export function visibleParticipantSql(participation: Prisma.Sql, view: { includeRetracted?: boolean | null } = {}): Prisma.Sql {
  if (view.includeRetracted) return Prisma.sql`TRUE`;
  return Prisma.sql`(${participation}."basisId" IS NULL OR EXISTS (SELECT 1 FROM "Statement" basis WHERE basis.id = ${participation}."basisId" AND ${visibleStatementSql(Prisma.raw('basis'))}))`;
}

/** Figure `figure` of statement `statement` is in current views: the SQL twin of `visibleFigureWhere` (filters.ts). */
export function visibleFigureSql(figure: Prisma.Sql, statement: Prisma.Sql, view: { includeRetracted?: boolean | null } = {}): Prisma.Sql {
  return view.includeRetracted ? Prisma.sql`TRUE` : Prisma.sql`${notRetracted(figure, null)} AND ${notRetracted(statement, null)}`;
}

/** A condition on figure `f` joined to its statement `s`. */
export function standingFigureSql(asOf?: Date | null): Prisma.Sql {
  const f = Prisma.raw('f');
  const s = Prisma.raw('s');
  const revised = Prisma.raw('revised');
  return Prisma.sql`(
    ${notRetracted(f, asOf)} AND ${notRetracted(s, asOf)}
    AND NOT EXISTS (
      SELECT 1 FROM "Figure" revision JOIN "Statement" revised ON revised.id = revision."statementId"
      WHERE revision."supersedesId" = f.id ${asOf ? Prisma.sql`AND ${madeBy(revised, asOf)}` : Prisma.empty}
    )
    ${asOf ? Prisma.sql`AND ${madeBy(s, asOf)}` : Prisma.empty}
  )`;
}

/** Who made a statement, as stored. */
export interface ClaimantColumns {
  claimantKind: string;
  officialId: number | null | undefined;
  organisationId: number | null | undefined;
  claimantDescription: string;
}

/** A key equal for two statements exactly when they have the same claimant (`claimantKeySql` below is its SQL twin). */
export function claimantKey(statement: ClaimantColumns): string {
  if (statement.claimantKind === 'OFFICIAL') return `official:${statement.officialId}`;
  if (statement.claimantKind === 'ORGANISATION') return `organisation:${statement.organisationId}`;
  return `unnamed:${statement.claimantDescription.trim().toLowerCase()}`;
}

/** The claimant of statement `s` as one comparable key: the SQL twin of `claimantKey`. */
export const claimantKeySql = Prisma.sql`CASE s."claimantKind"
    WHEN 'OFFICIAL' THEN 'official:' || s."officialId"
    WHEN 'ORGANISATION' THEN 'organisation:' || s."organisationId"
    ELSE 'unnamed:' || lower(regexp_replace(s."claimantDescription", '^[[:space:]]+|[[:space:]]+$', '', 'g')) END`;

/** Ids of the figures standing at `asOf` (now when null), by the SQL rule. */
export async function standingFigureIds(prisma: PrismaClient, asOf?: Date | null): Promise<number[]> {
  const rows = await prisma.$queryRaw<{ id: number }[]>`
    SELECT f.id FROM "Figure" f JOIN "Statement" s ON s.id = f."statementId"
    WHERE ${standingFigureSql(asOf)} ORDER BY f.id`;
  return rows.map((row) => Number(row.id));
}
