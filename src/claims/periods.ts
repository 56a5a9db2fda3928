// When things happened and were said, as periods, and which fall in a date range: overlap, never
// "its start day". An incident runs from `startedAt` (open when unknown) to `periodEnd` (the
// moment after `endedAt`, else after `startedAt`, at its precision); an incident with no date at
// all is in no date range. A statement was made during the period `madeAt` names (to
// `madePeriodEnd`). A figure counts its own period when the reporting gives one ("4 to 6
// March"), else its incident's, else — for a figure with no dated incident — when its statement
// was made. Each rule is written twice here, for Prisma lists and for the SQL analyses, and
// test/periods.test.ts checks that the two select the same rows.
import { Prisma } from '../generated/prisma/client.js';
import type { Period } from '../rules/dates.js';
import { utcTimestamp } from './standing.js';

const after = (from: Date | null) => (from ? { gt: from } : { not: null });

/** Incidents whose period overlaps `period`. */
export function incidentOverlapsWhere(period: Period): Prisma.IncidentWhereInput {
  return {
    AND: [{ periodEnd: after(period.from) }, ...(period.until ? [{ OR: [{ startedAt: null }, { startedAt: { lt: period.until } }] }] : [])],
  };
}

/** Statements made during a period that overlaps `period`. */
export function statementOverlapsWhere(period: Period): Prisma.StatementWhereInput {
  return { AND: [{ madePeriodEnd: after(period.from) }, ...(period.until ? [{ madeAt: { lt: period.until } }] : [])] };
}

/** Figures whose counted period (their own, their incident's, or when they were claimed) overlaps `period`. */
export function figureOverlapsWhere(period: Period): Prisma.FigureWhereInput {
  const own: Prisma.FigureWhereInput = { periodEnd: after(period.from), ...(period.until ? { periodStart: { lt: period.until } } : {}) };
  const undatedIncident: Prisma.FigureWhereInput = { OR: [{ incidentId: null }, { incident: { is: { periodEnd: null } } }] };
  return {
    OR: [
      own,
      { periodStart: null, incident: { is: { AND: [{ periodEnd: { not: null } }, incidentOverlapsWhere(period)] } } },
      { periodStart: null, AND: [undatedIncident], statement: { is: statementOverlapsWhere(period) } },
    ],
  };
}

// The SQL twins, over aliases `i` (incident), `s` (statement), `f` (figure).

function laterThan(column: Prisma.Sql, from: Date | null): Prisma.Sql {
  return from ? Prisma.sql`${column} > ${utcTimestamp(from)}` : Prisma.sql`${column} IS NOT NULL`;
}

export function incidentOverlapsSql(i: Prisma.Sql, period: Period): Prisma.Sql {
  const started = period.until ? Prisma.sql` AND (${i}."startedAt" IS NULL OR ${i}."startedAt" < ${utcTimestamp(period.until)})` : Prisma.empty;
  return Prisma.sql`(${laterThan(Prisma.sql`${i}."periodEnd"`, period.from)}${started})`;
}

/**
 * A condition implied by `incidentOverlapsSql(i, period)` that the GiST index on incident periods
 * (migration incident_period) answers: AND it to the overlap test to read only the period's
 * incidents. TRUE when there is nothing to narrow (no bounds) or no range to build (from after until).
 */
export function incidentPeriodIndexSql(i: Prisma.Sql, period: Period): Prisma.Sql {
  if ((!period.from && !period.until) || (period.from && period.until && period.from > period.until)) return Prisma.sql`TRUE`;
  const bound = (date: Date | null) => (date ? utcTimestamp(date) : Prisma.sql`NULL`);
  return Prisma.sql`incident_period(${i}."startedAt", ${i}."periodEnd") && tsrange(${bound(period.from)}, ${bound(period.until)}, '[]')`;
}

export function statementOverlapsSql(s: Prisma.Sql, period: Period): Prisma.Sql {
  const made = period.until ? Prisma.sql` AND ${s}."madeAt" < ${utcTimestamp(period.until)}` : Prisma.empty;
  return Prisma.sql`(${laterThan(Prisma.sql`${s}."madePeriodEnd"`, period.from)}${made})`;
}

/** Figure `f` counts a period overlapping `period`; `i` is its incident (LEFT JOINed) and `s` its statement. */
export function figureOverlapsSql(f: Prisma.Sql, i: Prisma.Sql, s: Prisma.Sql, period: Period): Prisma.Sql {
  const ownStart = period.until ? Prisma.sql` AND ${f}."periodStart" < ${utcTimestamp(period.until)}` : Prisma.empty;
  return Prisma.sql`(
    (${f}."periodStart" IS NOT NULL AND ${laterThan(Prisma.sql`${f}."periodEnd"`, period.from)}${ownStart})
    OR (${f}."periodStart" IS NULL AND ${i}."periodEnd" IS NOT NULL AND ${incidentOverlapsSql(i, period)})
    OR (${f}."periodStart" IS NULL AND ${i}."periodEnd" IS NULL AND ${statementOverlapsSql(s, period)})
  )`;
}

/** The first moment of the period figure `f` counts (for DAY/WEEK/MONTH totals): its own, its incident's, or its statement's. */
export function figureCountedFromSql(f: Prisma.Sql, i: Prisma.Sql, s: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`CASE WHEN ${f}."periodStart" IS NOT NULL THEN ${f}."periodStart"
    WHEN ${i}."periodEnd" IS NOT NULL THEN COALESCE(${i}."startedAt", ${i}."endedAt") ELSE ${s}."madeAt" END`;
}

/** The first moment after the period figure `f` counts. */
export function figureCountedUntilSql(f: Prisma.Sql, i: Prisma.Sql, s: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`CASE WHEN ${f}."periodStart" IS NOT NULL THEN ${f}."periodEnd"
    WHEN ${i}."periodEnd" IS NOT NULL THEN ${i}."periodEnd" ELSE ${s}."madePeriodEnd" END`;
}
