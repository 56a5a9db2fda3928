// Totals over many incidents that keep the uncertainty of what was said: ranges add as ranges,
// an open bound ("at least 67", "dozens") keeps the total open, and a sub-incident's figure is
// never added to a parent figure that already contains it. Computed in the database: one SQL
// statement per request, whatever the number of figures (no rows are loaded into Node).
//
// The rules, in the order the statement applies them:
//
// 1. Scope. Standing figures (see `standingFigureSql`) for one metric, optionally narrowed by
//    sides, victim categories, claimants (organisations or officials: any of them), a place
//    (the figure's own place or, for a figure with no place, any of its incident's places; places
//    inside the given one count, as in `figureWhere`) and a date range. A figure is dated by its
//    incident's `startedAt`, or by its statement's `madeAt` when the incident has no date (or the
//    figure has no incident). Figures with no date at all fall outside any date range.
// 2. No double counting. For one claimant and one side, a figure for a sub-incident is left out
//    when the same claimant gave an in-scope figure for an ancestor incident: the parent's figure
//    already contains it. A claimant who gave only sub-incident figures has them added up.
// 3. Bounds. Each figure is an interval: EXACT and APPROXIMATE [n, n], AT_LEAST [n, open),
//    AT_MOST [0, n], RANGE [low, high], UNQUANTIFIED [0, open). Several figures of one claimant
//    add up (categories of one incident, sub-incidents): low = sum of lows; high = sum of highs,
//    or open when any part is open.
// 4. Claimants. Grouped by claimant, each claimant's sum is its own total. Otherwise, for each
//    incident tree (an incident with everything inside it) the claimants' sums are combined, never
//    added: ENVELOPE [lowest low, highest high] (default), LOWEST_CLAIM [lowest low, lowest high],
//    HIGHEST_CLAIM [highest low, highest high]; an open high counts as the highest. Figures with
//    no incident cannot be matched across claimants: each is its own tree.
// 5. Groups. The combined trees of a group add up as in 3. A group exists only when at least one
//    figure counts in it: no group means no claim, not zero.
import { Prisma, type PrismaClient } from '../generated/prisma/client.js';
import type { FigureMetric, Side, VictimCategory } from '../generated/prisma/enums.js';
import type { Period } from '../rules/dates.js';
import { figureCountedFromSql, figureOverlapsSql } from './periods.js';
import { claimantKeySql, standingFigureSql } from './standing.js';

export const TOTAL_GROUPINGS = ['NONE', 'DAY', 'WEEK', 'MONTH', 'PLACE', 'CLAIMANT'] as const;
export type TotalGrouping = (typeof TOTAL_GROUPINGS)[number];

export const CLAIMANT_COMBINATIONS = ['ENVELOPE', 'LOWEST_CLAIM', 'HIGHEST_CLAIM'] as const;
export type ClaimantCombination = (typeof CLAIMANT_COMBINATIONS)[number];

export interface FigureTotalsInput {
  metric: FigureMetric;
  sides?: Side[] | null;
  victimCategories?: VictimCategory[] | null;
  /** Figures counting a period that overlaps this one (see periods.ts). */
  between?: Period | null;
  /** This place and every place inside it. */
  placeId?: number | null;
  /** Figures claimed by any of these organisations or officials. */
  claimantOrganisationIds?: number[] | null;
  claimantOfficialIds?: number[] | null;
  /** The record as it stood at this moment. */
  asOf?: Date | null;
  groupBy?: TotalGrouping | null;
  claimantCombination?: ClaimantCombination | null;
}

export interface FigureTotal {
  /** DAY / WEEK (Monday) / MONTH grouping: the first day of the period (UTC); null for undated figures. */
  periodStart: Date | null;
  /**
   * PLACE grouping: the place directly inside the requested place (or the top-level place when
   * none was requested) that the figures are at; the requested place itself for figures placed
   * no more precisely; null when no place is requested and the figures give no single place.
   */
  placeId: number | null;
  /** CLAIMANT grouping: one statement of the claimant (to resolve who it is) and the claimant's key. */
  claimantStatementId: number | null;
  claimantKey: string | null;
  low: number;
  /** null: open (no upper bound). */
  high: number | null;
  exact: boolean;
  approximate: boolean;
  includesUnquantified: boolean;
  figureCount: number;
  incidentCount: number;
}

const raw = Prisma.raw;

/** Deeper nesting than this (of incidents or places) is taken for a cycle and not climbed further. */
const MAX_DEPTH = raw('64');


const PERIOD_UNITS: Partial<Record<TotalGrouping, string>> = { DAY: 'day', WEEK: 'week', MONTH: 'month' };

function combinationSql(combination: ClaimantCombination): { low: Prisma.Sql; high: Prisma.Sql } {
  const highestHigh = Prisma.sql`CASE WHEN bool_or(high IS NULL) THEN NULL ELSE max(high) END`;
  switch (combination) {
    case 'LOWEST_CLAIM':
      // min() skips nulls: an open high is the highest, so the lowest high is the lowest finite one.
      return { low: Prisma.sql`min(low)`, high: Prisma.sql`min(high)` };
    case 'HIGHEST_CLAIM':
      return { low: Prisma.sql`max(low)`, high: highestHigh };
    case 'ENVELOPE':
      return { low: Prisma.sql`min(low)`, high: highestHigh };
  }
}

interface TotalRow {
  period: string | null;
  place_id: number | null;
  claimant_key: string | null;
  claimant_statement_id: number | null;
  low: number;
  high: number | null;
  approximate: boolean;
  unquantified: boolean;
  figure_count: number;
  incident_count: number;
}

/** Totals of the figures `input` selects, one per group, in group order. One SQL statement. */
export async function figureTotals(prisma: PrismaClient, input: FigureTotalsInput): Promise<FigureTotal[]> {
  const groupBy = input.groupBy ?? 'NONE';
  const rows = await prisma.$queryRaw<TotalRow[]>(figureTotalsSql(input));
  return rows.map((row) => {
    const low = Number(row.low);
    const high = row.high === null ? null : Number(row.high);
    const approximate = Boolean(row.approximate);
    return {
      periodStart: row.period === null ? null : new Date(`${row.period}T00:00:00.000Z`),
      placeId: row.place_id === null ? null : Number(row.place_id),
      claimantStatementId: groupBy === 'CLAIMANT' && row.claimant_statement_id !== null ? Number(row.claimant_statement_id) : null,
      claimantKey: row.claimant_key,
      low,
      high,
      exact: high === low && !approximate,
      approximate,
      includesUnquantified: Boolean(row.unquantified),
      figureCount: Number(row.figure_count),
      incidentCount: Number(row.incident_count),
    };
  });
}

/** The one SQL statement behind `figureTotals` (exported for EXPLAIN and benchmarks). */
export function figureTotalsSql(input: FigureTotalsInput): Prisma.Sql {
  const groupBy = input.groupBy ?? 'NONE';
  const combination = combinationSql(input.claimantCombination ?? 'ENVELOPE');
  const placeId = input.placeId ?? null;

  const conditions: Prisma.Sql[] = [
    // Compared as enums, not as text, so the planner can use statistics and indexes.
    Prisma.sql`f."metric" = ${input.metric}::"FigureMetric"`,
    standingFigureSql(input.asOf),
  ];
  if (input.sides) {
    conditions.push(input.sides.length ? Prisma.sql`f."side" IN (${Prisma.join(input.sides.map((side) => Prisma.sql`${side}::"Side"`))})` : Prisma.sql`FALSE`);
  }
  if (input.victimCategories) {
    conditions.push(
      input.victimCategories.length
        ? Prisma.sql`f."victimCategory" IN (${Prisma.join(input.victimCategories.map((category) => Prisma.sql`${category}::"VictimCategory"`))})`
        : Prisma.sql`FALSE`,
    );
  }
  const claimants: Prisma.Sql[] = [];
  if (input.claimantOrganisationIds?.length) {
    claimants.push(Prisma.sql`s."organisationId" IN (${Prisma.join(input.claimantOrganisationIds)})`);
  }
  if (input.claimantOfficialIds?.length) {
    claimants.push(Prisma.sql`s."officialId" IN (${Prisma.join(input.claimantOfficialIds)})`);
  }
  if (claimants.length) conditions.push(Prisma.sql`(${Prisma.join(claimants, ' OR ')})`);
  // A figure counts its own period, else its incident's, else the day it was claimed; it counts in
  // a range it overlaps, and in the DAY/WEEK/MONTH group where its period starts (never split).
  const [fAlias, iAlias, sAlias] = [raw('f'), raw('i'), raw('s')];
  const dated = figureCountedFromSql(fAlias, iAlias, sAlias);
  if (input.between) conditions.push(figureOverlapsSql(fAlias, iAlias, sAlias, input.between));
  if (placeId !== null) {
    conditions.push(Prisma.sql`(
      f."placeId" IN (SELECT id FROM place_scope)
      OR (f."placeId" IS NULL AND EXISTS (
        SELECT 1 FROM "IncidentPlace" ip WHERE ip."incidentId" = f."incidentId" AND ip."placeId" IN (SELECT id FROM place_scope)))
    )`);
  }

  const unit = PERIOD_UNITS[groupBy];
  const periodKey = unit ? Prisma.sql`to_char(date_trunc(${raw(`'${unit}'`)}, dated), 'YYYY-MM-DD')` : Prisma.sql`NULL::text`;
  const placeKey = groupBy === 'PLACE' ? Prisma.sql`COALESCE(place_key_id, ${placeId}::int)` : Prisma.sql`NULL::int`;
  // PLACE grouping: each counted figure climbs from its place (by primary key) to the place
  // directly inside the requested one (to a top-level place when none is requested).
  const placed = raw(groupBy === 'PLACE' ? 'place_keyed' : 'counted');
  const placeGrouping =
    groupBy === 'PLACE'
      ? Prisma.sql`place_climb AS (
      SELECT counted.*, counted.place_id AS at_place_id, p."parentId" AS parent_place_id, 0 AS place_depth
      FROM counted LEFT JOIN "Place" p ON p.id = counted.place_id
      UNION ALL
      SELECT place_climb.id, place_climb.statement_id, place_climb.incident_id, place_climb.side, place_climb.claimant_key,
        place_climb.claimant_label, place_climb.low, place_climb.high, place_climb.approximate, place_climb.unquantified,
        place_climb.dated, place_climb.place_id, place_climb.root_id, place_climb.tree_key, p.id, p."parentId", place_climb.place_depth + 1
      FROM place_climb JOIN "Place" p ON p.id = place_climb.parent_place_id
      WHERE place_climb.at_place_id IS DISTINCT FROM ${placeId}::int AND place_climb.place_depth < ${MAX_DEPTH}
    ),
    place_keyed AS (
      SELECT * FROM (
        SELECT place_climb.*,
          max(CASE WHEN parent_place_id IS NOT DISTINCT FROM ${placeId}::int THEN at_place_id END) OVER (PARTITION BY id) AS place_key_id
        FROM place_climb
      ) climbed WHERE place_depth = 0
    ),`
      : Prisma.empty;
  const claimantKey = groupBy === 'CLAIMANT' ? Prisma.sql`claimant_key` : Prisma.sql`NULL::text`;

  return Prisma.sql`
    WITH RECURSIVE
    -- The requested place and every place inside it.
    place_scope(id) AS (
      SELECT id FROM "Place" WHERE id = ${placeId}::int
      UNION
      SELECT p.id FROM "Place" p JOIN place_scope ON p."parentId" = place_scope.id
    ),
    -- 1. The standing figures in scope, each with its claimant, interval and date.
    scoped AS (
      SELECT f.id, f."statementId" AS statement_id, f."incidentId" AS incident_id, f."side"::text AS side,
        ${claimantKeySql} AS claimant_key,
        COALESCE(org.name, official.name, official.description, s."claimantDescription") AS claimant_label,
        CASE WHEN f."quantityKind" IN ('AT_MOST', 'UNQUANTIFIED') THEN 0 ELSE COALESCE(f."low", 0) END AS low,
        CASE WHEN f."quantityKind" IN ('AT_LEAST', 'UNQUANTIFIED') THEN NULL ELSE f."high" END AS high,
        f."quantityKind" = 'APPROXIMATE' AS approximate,
        f."quantityKind" = 'UNQUANTIFIED' AS unquantified,
        ${dated} AS dated,
        -- The figure's place, else its incident's place when the incident has exactly one.
        COALESCE(f."placeId", (
          SELECT min(ip."placeId") FROM "IncidentPlace" ip WHERE ip."incidentId" = f."incidentId" HAVING count(*) = 1
        )) AS place_id
      FROM "Figure" f
      JOIN "Statement" s ON s.id = f."statementId"
      LEFT JOIN "Incident" i ON i.id = f."incidentId"
      LEFT JOIN "Organisation" org ON org.id = s."organisationId"
      LEFT JOIN "Official" official ON official.id = s."officialId"
      WHERE ${Prisma.join(conditions, ' AND ')}
    ),
    -- Each in-scope figure once per incident it lies in: its own (depth 0), then each ancestor,
    -- climbing by primary key. Window functions below, not joins between these intermediate
    -- results, decide coverage: the plan stays linear whatever the planner's row estimates.
    figure_up AS (
      SELECT scoped.*, i."parentId" AS parent_id, scoped.incident_id AS at_id, 0 AS depth
      FROM scoped LEFT JOIN "Incident" i ON i.id = scoped.incident_id
      UNION ALL
      SELECT figure_up.id, figure_up.statement_id, figure_up.incident_id, figure_up.side, figure_up.claimant_key,
        figure_up.claimant_label, figure_up.low, figure_up.high, figure_up.approximate, figure_up.unquantified,
        figure_up.dated, figure_up.place_id, i."parentId", i.id, figure_up.depth + 1
      FROM figure_up JOIN "Incident" i ON i.id = figure_up.parent_id
      WHERE figure_up.depth < ${MAX_DEPTH}
    ),
    -- Does the same claimant have an in-scope figure, same side, for this incident?
    figure_marked AS (
      SELECT figure_up.*, bool_or(depth = 0) OVER (PARTITION BY at_id, claimant_key, side) AS claimant_counted_here
      FROM figure_up
    ),
    figure_judged AS (
      SELECT figure_marked.*,
        bool_or(depth > 0 AND claimant_counted_here) OVER (PARTITION BY id) AS inside_ancestor_figure,
        max(CASE WHEN parent_id IS NULL THEN at_id END) OVER (PARTITION BY id) AS root_id
      FROM figure_marked
    ),
    -- 2. Leave out a figure when its claimant gave an in-scope figure, same side, for an ancestor incident.
    counted AS (
      SELECT id, statement_id, incident_id, side, claimant_key, claimant_label, low, high, approximate, unquantified,
        dated, place_id, root_id, COALESCE(root_id, -id) AS tree_key
      FROM figure_judged WHERE depth = 0 AND NOT inside_ancestor_figure
    ),
    ${placeGrouping}
    keyed AS (
      SELECT ${placed}.*, ${periodKey} AS period, ${placeKey} AS group_place_id, ${claimantKey} AS group_claimant_key
      FROM ${placed}
    ),
    -- 3. Each claimant's sum per group and incident tree.
    per_claimant AS (
      SELECT period, group_place_id, group_claimant_key, tree_key, root_id, claimant_key,
        sum(low) AS low, CASE WHEN bool_or(high IS NULL) THEN NULL ELSE sum(high) END AS high,
        bool_or(approximate) AS approximate, bool_or(unquantified) AS unquantified,
        count(*) AS figure_count, min(statement_id) AS statement_id, min(claimant_label) AS claimant_label
      FROM keyed GROUP BY period, group_place_id, group_claimant_key, tree_key, root_id, claimant_key
    ),
    -- 4. Claimants of one incident tree combined, not added.
    per_tree AS (
      SELECT period, group_place_id, group_claimant_key, tree_key, root_id,
        ${combination.low} AS low, ${combination.high} AS high,
        bool_or(approximate) AS approximate, bool_or(unquantified) AS unquantified,
        sum(figure_count) AS figure_count, min(statement_id) AS statement_id, min(claimant_label) AS claimant_label
      FROM per_claimant GROUP BY period, group_place_id, group_claimant_key, tree_key, root_id
    )
    -- 5. Trees of a group added up.
    SELECT totals.*
    FROM (
      SELECT period, group_place_id AS place_id, group_claimant_key AS claimant_key,
        min(statement_id)::int AS claimant_statement_id,
        sum(low)::int AS low, (CASE WHEN bool_or(high IS NULL) THEN NULL ELSE sum(high) END)::int AS high,
        bool_or(approximate) AS approximate, bool_or(unquantified) AS unquantified,
        sum(figure_count)::int AS figure_count, count(DISTINCT root_id)::int AS incident_count,
        min(claimant_label) AS claimant_label
      FROM per_tree GROUP BY period, group_place_id, group_claimant_key
    ) totals
    LEFT JOIN "Place" group_place ON group_place.id = totals.place_id
    ORDER BY totals.period NULLS LAST, group_place.name NULLS LAST, totals.claimant_label, totals.claimant_key`;
}
