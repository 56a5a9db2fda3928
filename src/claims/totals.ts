// Totals over many incidents that keep the uncertainty of what was said: ranges add as ranges,
// an open bound ("at least 67") keeps the total open, words ("dozens") are no number, and a
// sub-incident's figure is never added to a parent figure that already contains it. Computed in
// the database: one SQL statement per request, whatever the number of figures (no rows are
// loaded into Node). What a figure, a position and a combination mean is interval.ts's, through
// its SQL twin (the `claim_*` functions).
//
// The rules, in the order the statement applies them:
//
// 1. Scope. Standing figures (see `standingFigureSql`) for one metric, optionally narrowed by
//    sides, victim categories, claimants (organisations or officials: any of them), an incident
//    (with everything inside it), a place (the figure's own place or, for a figure with no place,
//    any of its incident's places; places inside the given one count, as in `figureWhere`) and a
//    date range. A figure is dated by its incident's `startedAt`, or by its statement's `madeAt`
//    when the incident has no date (or the figure has no incident). Figures with no date at all
//    fall outside any date range.
// 2. Sides. Every total is for one side: different sides are never added together.
// 3. No double counting. For one claimant and one side, a figure for a sub-incident is left out
//    when the same claimant gave an in-scope figure for an ancestor incident: the parent's figure
//    already contains it.
// 4. Positions. In each group, each claimant's figures for one incident tree (the requested
//    incident, else a top-level incident with everything inside it) add up to its position
//    (interval.ts rules 1–3): a claimant who gave figures only for parts of the tree gives a
//    floor, [their sum, open).
// 5. Claimants. Grouped by claimant, each claimant's positions are its own. Otherwise the
//    positions on one tree are combined, never added (interval.ts rule 5): ENVELOPE (default),
//    LOWEST_CLAIM or HIGHEST_CLAIM (one claimant's position, taken whole with its own flags).
//    Figures with no incident cannot be matched across claimants: each is its own tree.
// 6. Groups. The combined trees of a group add up as figures do. A group exists only when at
//    least one figure counts in it: no group means no claim, not zero.
import { Prisma, type PrismaClient } from '../generated/prisma/client.js';
import type { FigureMetric, Side, VictimCategory } from '../generated/prisma/enums.js';
import type { Period } from '../rules/dates.js';
import { boundOut, figureBoundsSql, sumSql, wordOfForm, type ClaimantCombination, type VagueWordReading } from './interval.js';
import { figureCountedFromSql, figureOverlapsSql } from './periods.js';
import { claimantKeySql, standingFigureSql } from './standing.js';
import type { VagueWord } from './vague-words.js';

export type { ClaimantCombination } from './interval.js';

export const TOTAL_GROUPINGS = ['NONE', 'DAY', 'WEEK', 'MONTH', 'PLACE', 'CLAIMANT'] as const;
export type TotalGrouping = (typeof TOTAL_GROUPINGS)[number];

export const CLAIMANT_COMBINATIONS = ['ENVELOPE', 'LOWEST_CLAIM', 'HIGHEST_CLAIM'] as const satisfies readonly ClaimantCombination[];

export interface FigureTotalsInput {
  metric: FigureMetric;
  sides?: Side[] | null;
  victimCategories?: VictimCategory[] | null;
  /** Figures counting a period that overlaps this one (see periods.ts). */
  between?: Period | null;
  /** This incident and every incident inside it; positions are taken at it. */
  incidentId?: number | null;
  /** This place and every place inside it. */
  placeId?: number | null;
  /** Figures claimed by any of these organisations or officials. */
  claimantOrganisationIds?: number[] | null;
  claimantOfficialIds?: number[] | null;
  /** The record as it stood at this moment. */
  asOf?: Date | null;
  groupBy?: TotalGrouping | null;
  claimantCombination?: ClaimantCombination | null;
  /** How words without a number are read (default: no number). */
  vagueWords?: VagueWordReading | null;
}

export interface FigureTotal {
  /** The side whose people are counted: totals never add sides. */
  side: Side;
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
  /** null: no number (only words). */
  low: number | null;
  /** null: open (no upper bound), or no number. */
  high: number | null;
  exact: boolean;
  approximate: boolean;
  includesUnquantified: boolean;
  /** The vague words that implied bounds, one per figure (only with IMPLIED_BOUNDS). */
  impliedWords: VagueWord[];
  figureCount: number;
  incidentCount: number;
}

const raw = Prisma.raw;

/** Deeper nesting than this (of incidents or places) is taken for a cycle and not climbed further. */
const MAX_DEPTH = raw('64');

const PERIOD_UNITS: Partial<Record<TotalGrouping, string>> = { DAY: 'day', WEEK: 'week', MONTH: 'month' };

interface TotalRow {
  side: Side;
  period: string | null;
  place_id: number | null;
  claimant_key: string | null;
  claimant_statement_id: number | null;
  low: number | null;
  high: number | null;
  exact: boolean;
  approximate: boolean;
  unquantified: boolean;
  implied_forms: string | null;
  figure_count: number;
  incident_count: number;
}

/** Totals of the figures `input` selects, one per group, in group order. One SQL statement. */
export async function figureTotals(prisma: PrismaClient, input: FigureTotalsInput): Promise<FigureTotal[]> {
  const groupBy = input.groupBy ?? 'NONE';
  const rows = await prisma.$queryRaw<TotalRow[]>(figureTotalsSql(input));
  return rows.map((row) => ({
    side: row.side,
    periodStart: row.period === null ? null : new Date(`${row.period}T00:00:00.000Z`),
    placeId: row.place_id === null ? null : Number(row.place_id),
    claimantStatementId: groupBy === 'CLAIMANT' && row.claimant_statement_id !== null ? Number(row.claimant_statement_id) : null,
    claimantKey: row.claimant_key,
    low: row.low,
    high: row.high,
    exact: row.exact,
    approximate: row.approximate,
    includesUnquantified: row.unquantified,
    impliedWords: row.implied_forms ? row.implied_forms.split(',').map((form) => wordOfForm(Number(form))) : [],
    figureCount: Number(row.figure_count),
    incidentCount: Number(row.incident_count),
  }));
}

/**
 * Figures counting a period that overlaps the range, each dated by where its period starts: its
 * own, else its incident's, else the day it was claimed (periods.ts). A figure of several days
 * counts once, in the DAY/WEEK/MONTH group where its period starts: never split.
 */
function datedWithin(range: Period | null | undefined): { dated: Prisma.Sql; conditions: Prisma.Sql[] } {
  const [f, i, s] = [Prisma.raw('f'), Prisma.raw('i'), Prisma.raw('s')];
  return { dated: figureCountedFromSql(f, i, s), conditions: range ? [figureOverlapsSql(f, i, s, range)] : [] };
}

/** Each tree's claimants combined (rule 5): the envelope of all, or the one claim a method picks. */
function perTreeSql(combination: ClaimantCombination): Prisma.Sql {
  const tree = Prisma.sql`period, group_place_id, group_claimant_key, side, tree_key, root_id`;
  if (combination === 'ENVELOPE') {
    return Prisma.sql`
      SELECT ${tree}, min(low) AS low, max(high) AS high,
        bool_or(approximate) AS approximate, bool_or(unquantified) AS unquantified, string_agg(implied_forms, ',') AS implied_forms,
        sum(figure_count) AS figure_count, min(statement_id) AS statement_id, min(claimant_label) AS claimant_label
      FROM per_claimant GROUP BY ${tree}`;
  }
  const order = Prisma.raw(combination === 'LOWEST_CLAIM' ? 'claim_lowest_order' : 'claim_highest_order');
  return Prisma.sql`
    SELECT ${tree}, low, high, approximate, unquantified, implied_forms, figure_count, statement_id, claimant_label
    FROM (
      SELECT per_claimant.*, row_number() OVER (PARTITION BY ${tree} ORDER BY ${order}(low, high, whole, statement_id)) AS choice
      FROM per_claimant
    ) ranked WHERE choice = 1`;
}

/** The one SQL statement behind `figureTotals` (exported for EXPLAIN and benchmarks). */
export function figureTotalsSql(input: FigureTotalsInput): Prisma.Sql {
  const groupBy = input.groupBy ?? 'NONE';
  const placeId = input.placeId ?? null;
  const incidentId = input.incidentId ?? null;
  const bounds = figureBoundsSql(input.vagueWords ?? 'NO_NUMBER');
  const { dated, conditions: datedConditions } = datedWithin(input.between);

  const conditions: Prisma.Sql[] = [
    // Compared as enums, not as text, so the planner can use statistics and indexes.
    Prisma.sql`f."metric" = ${input.metric}::"FigureMetric"`,
    standingFigureSql(input.asOf),
    ...datedConditions,
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
  if (incidentId !== null) conditions.push(Prisma.sql`f."incidentId" IN (SELECT id FROM incident_scope)`);
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
  // The columns every counted figure carries through the recursive climbs below.
  const carried = (alias: string) =>
    raw(
      [
        'id',
        'statement_id',
        'incident_id',
        'side',
        'claimant_key',
        'claimant_label',
        'low',
        'high',
        'implied_form',
        'approximate',
        'unquantified',
        'dated',
        'place_id',
      ]
        .map((column) => `${alias}.${column}`)
        .join(', '),
    );
  // PLACE grouping: each counted figure climbs from its place (by primary key) to the place
  // directly inside the requested one (to a top-level place when none is requested).
  const placed = raw(groupBy === 'PLACE' ? 'place_keyed' : 'counted');
  const placeGrouping =
    groupBy === 'PLACE'
      ? Prisma.sql`place_climb AS (
      SELECT counted.*, counted.place_id AS at_place_id, p."parentId" AS parent_place_id, 0 AS place_depth
      FROM counted LEFT JOIN "Place" p ON p.id = counted.place_id
      UNION ALL
      SELECT ${carried('place_climb')}, place_climb.root_id, place_climb.tree_key, p.id, p."parentId", place_climb.place_depth + 1
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
  // The tree a figure belongs to: the requested incident, else the top-level incident above it.
  const rootId = incidentId !== null ? Prisma.sql`${incidentId}::int` : Prisma.sql`max(CASE WHEN parent_id IS NULL THEN at_id END) OVER (PARTITION BY id)`;
  const whole = Prisma.sql`bool_and(incident_id IS NOT DISTINCT FROM root_id)`;

  return Prisma.sql`
    WITH RECURSIVE
    -- The requested place and every place inside it; the requested incident and every incident inside it.
    place_scope(id) AS (
      SELECT id FROM "Place" WHERE id = ${placeId}::int
      UNION
      SELECT p.id FROM "Place" p JOIN place_scope ON p."parentId" = place_scope.id
    ),
    incident_scope(id) AS (
      SELECT id FROM "Incident" WHERE id = ${incidentId}::int
      UNION
      SELECT i.id FROM "Incident" i JOIN incident_scope ON i."parentId" = incident_scope.id
    ),
    -- 1. The standing figures in scope, each with its claimant, interval and date.
    scoped AS (
      SELECT f.id, f."statementId" AS statement_id, f."incidentId" AS incident_id, f."side"::text AS side,
        ${claimantKeySql} AS claimant_key,
        COALESCE(org.name, official.name, official.description, s."claimantDescription") AS claimant_label,
        ${bounds.low} AS low, ${bounds.high} AS high, ${bounds.impliedForm} AS implied_form,
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
      SELECT ${carried('figure_up')}, i."parentId", i.id, figure_up.depth + 1
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
        ${rootId} AS root_id
      FROM figure_marked
    ),
    -- 3. Leave out a figure when its claimant gave an in-scope figure, same side, for an ancestor incident.
    counted AS (
      SELECT ${carried('figure_judged')}, root_id, COALESCE(root_id, -id) AS tree_key
      FROM figure_judged WHERE depth = 0 AND NOT inside_ancestor_figure
    ),
    ${placeGrouping}
    keyed AS (
      SELECT ${placed}.*, ${periodKey} AS period, ${placeKey} AS group_place_id, ${claimantKey} AS group_claimant_key
      FROM ${placed}
    ),
    -- 2, 4. Each claimant's position per group, side and incident tree.
    per_claimant AS (
      SELECT period, group_place_id, group_claimant_key, side, tree_key, root_id, claimant_key,
        ${sumSql.low} AS low, claim_position_high(${sumSql.high}, ${whole}) AS high, ${whole} AS whole,
        bool_or(approximate) AS approximate, bool_or(unquantified) AS unquantified,
        string_agg(implied_form::text, ',') AS implied_forms,
        count(*) AS figure_count, min(statement_id) AS statement_id, min(claimant_label) AS claimant_label
      FROM keyed GROUP BY period, group_place_id, group_claimant_key, side, tree_key, root_id, claimant_key
    ),
    -- 5. Claimants of one incident tree combined, not added.
    per_tree AS (${perTreeSql(input.claimantCombination ?? 'ENVELOPE')}),
    -- 6. Trees of a group added up.
    totals AS (
      SELECT period, group_place_id AS place_id, group_claimant_key AS claimant_key, side,
        min(statement_id)::int AS claimant_statement_id,
        ${sumSql.low} AS low, ${sumSql.high} AS high, bool_or(approximate) AS approximate,
        bool_or(unquantified) AS unquantified, string_agg(implied_forms, ',') AS implied_forms,
        sum(figure_count)::int AS figure_count, count(DISTINCT root_id)::int AS incident_count,
        CASE WHEN group_claimant_key IS NOT NULL THEN min(claimant_label) END AS claimant_label
      FROM per_tree GROUP BY period, group_place_id, group_claimant_key, side
    )
    SELECT totals.period, totals.place_id, totals.claimant_key, totals.side, totals.claimant_statement_id,
      ${boundOut(Prisma.sql`totals.low`)} AS low, ${boundOut(Prisma.sql`totals.high`)} AS high,
      claim_exact(totals.low, totals.high, totals.approximate) AS exact, totals.approximate, totals.unquantified,
      totals.implied_forms, totals.figure_count, totals.incident_count
    FROM totals
    LEFT JOIN "Place" group_place ON group_place.id = totals.place_id
    ORDER BY totals.period NULLS LAST, group_place.name NULLS LAST, totals.claimant_label, totals.claimant_key, totals.side`;
}
