// Comparing claimants. Figures are comparable when they count the same metric for the same
// side (the BLA's "84 security personnel" and officials' "some 10 police and security
// personnel" are both state forces killed); the data model says so, not string matching.
//
// For one incident tree, each claimant has one *position* per metric and side, and the spread
// between the positions says whether the claims can all be true: both as interval.ts defines
// them, computed in one SQL statement with the SQL twin of its rules (positions.ts; window
// functions for the spread). As the record stands now, they are read from the kept tables
// (standing-positions.ts) instead of recomputed from every figure.
import { Prisma, type PrismaClient } from '../generated/prisma/client.js';
import { FigureMetric, Side } from '../generated/prisma/enums.js';
import type { Period } from '../rules/dates.js';
import { boundOut, wordOfForm, type Agreement, type VagueWordReading } from './interval.js';
import { incidentOverlapsSql, incidentPeriodIndexSql } from './periods.js';
import { positionsSql, spreadAggregatesSql, spreadVerdictSql, treeSql } from './positions.js';
import { withDescendants } from './trees.js';
import type { VagueWord } from './vague-words.js';

export type { Agreement } from './interval.js';

/** A bound a vague word implied for one figure (only when the client asked for implied bounds). */
export interface ImpliedBound {
  figureId: number;
  word: VagueWord;
}

export interface Position {
  incidentId: number;
  metric: FigureMetric;
  side: Side;
  claimantKey: string;
  /** A statement of this claimant, to name it by. */
  statementId: number;
  figureIds: number[];
  /** Null when the claimant gave only words ("dozens"). */
  low: number | null;
  /** Null when open ("at least 67", or only parts counted) or unquantified. */
  high: number | null;
  approximate: boolean;
  /** No number: only words (that imply none, or not asked to). */
  unquantified: boolean;
  /** One number, not said approximately (interval.ts `isExact`). */
  exact: boolean;
  /** Bounds taken from vague words, each with its word. */
  impliedBounds: ImpliedBound[];
  /** False when the claimant counted only parts of the incident. */
  coversWholeIncident: boolean;
  /** Some figure rests on a statement reported as unverified, disputed or false. */
  questioned: boolean;
  affiliations: string[];
}

export interface Spread {
  incidentId: number;
  metric: FigureMetric;
  side: Side;
  /** Claimants with a number (positions that are not words only). */
  quantifiedClaimants: number;
  /** The lowest number any claimant allows. */
  lowest: number | null;
  /** The highest number any claimant allows; null when some claim is open-ended. */
  highest: number | null;
  /** The smallest factor that separates the claims: highest low ÷ lowest high (≤ 1 when they overlap); null for one claim. */
  ratio: number | null;
  agreement: Agreement;
  positions: Position[];
}

export interface ComparisonQuery {
  /** Compare within these incidents' trees; by default every top-level incident. */
  incidentIds?: number[];
  /** Top-level incidents whose period overlaps this one (undated incidents are left out; see periods.ts). */
  between?: Period | null;
  /** Top-level incidents at this place or a place inside it. */
  placeId?: number | null;
  metric?: FigureMetric | null;
  side?: Side | null;
  /** Only these claimants' positions (claimant keys). */
  claimantKeys?: string[] | null;
  /** Only the groups in which one of these claimants (keys) holds a position, with every position in them. */
  heldBy?: string[] | null;
  asOf?: Date | null;
  /** How words without a number are read (default: no number). */
  vagueWords?: VagueWordReading | null;
  /** Only groups with at least this many quantified claimants. */
  minClaimants?: number;
  /** At most this many groups, largest ratio first. */
  limit?: number;
  /** Only the groups after this one in that order (a page's last group). */
  after?: ComparisonCursor | null;
}

/**
 * A group's place in the order comparisons are listed in: largest ratio first (no ratio last),
 * ties broken by incident, metric and side, so that every group has one place and a page
 * resumes where the last one ended even when many groups share a ratio.
 */
export interface ComparisonCursor {
  ratio: number | null;
  incidentId: number;
  metric: FigureMetric;
  side: Side;
}

/** A cursor as the opaque text clients pass back as `after`. */
export function encodeComparisonCursor(spread: Spread): string {
  return Buffer.from(JSON.stringify([spread.ratio, spread.incidentId, spread.metric, spread.side])).toString('base64url');
}

/** The cursor in `after`, or null when it is not one `encodeComparisonCursor` made. */
export function decodeComparisonCursor(after: string): ComparisonCursor | null {
  try {
    const [ratio, incidentId, metric, side] = JSON.parse(Buffer.from(after, 'base64url').toString('utf8')) as unknown[];
    const ratioOk = ratio === null || (typeof ratio === 'number' && Number.isFinite(ratio));
    if (ratioOk && Number.isSafeInteger(incidentId) && Object.hasOwn(FigureMetric, metric as string) && Object.hasOwn(Side, side as string)) {
      return { ratio: ratio as number | null, incidentId: incidentId as number, metric: metric as FigureMetric, side: side as Side };
    }
  } catch {
    // not base64url JSON: not a cursor
  }
  return null;
}

/** The columns of a group's place in the listing order, as a statement names them. */
interface GroupColumns {
  ratio: Prisma.Sql;
  root: Prisma.Sql;
  metric: Prisma.Sql;
  side: Prisma.Sql;
}

const computedGroup: GroupColumns = { ratio: Prisma.raw('ratio'), root: Prisma.raw('root'), metric: Prisma.raw('metric'), side: Prisma.raw('side') };

/** The groups after `cursor` in the listing order (ratio DESC NULLS LAST, root, metric, side as text). */
function afterSql(cursor: ComparisonCursor | null | undefined, group: GroupColumns = computedGroup): Prisma.Sql {
  if (!cursor) return Prisma.sql`TRUE`;
  const { ratio, root, metric, side } = group;
  const rest = Prisma.sql`(${root}, ${metric}::text, ${side}::text) > (${cursor.incidentId}::int, ${cursor.metric}::text, ${cursor.side}::text)`;
  if (cursor.ratio === null) return Prisma.sql`(${ratio} IS NULL AND ${rest})`;
  return Prisma.sql`(${ratio} < ${cursor.ratio}::float8 OR ${ratio} IS NULL OR (${ratio} = ${cursor.ratio}::float8 AND ${rest}))`;
}

interface Row {
  root: number;
  metric: FigureMetric;
  side: Side;
  claimant: string;
  statement_id: number;
  figure_ids: number[];
  implied_figure_ids: number[] | null;
  implied_forms: number[] | null;
  low: number | null;
  high: number | null;
  approximate: boolean;
  exact: boolean;
  whole: boolean;
  questioned: boolean;
  affiliations: string[];
  quantified_claimants: number;
  lowest: number | null;
  highest: number | null;
  ratio: number | null;
  agreement: Agreement;
}

async function rootCondition(prisma: PrismaClient, query: ComparisonQuery): Promise<Prisma.Sql> {
  // One array parameter: a track record as of a past moment can span more incidents than a
  // statement may have parameters (32,767).
  if (query.incidentIds) return Prisma.sql`i.id = ANY(${query.incidentIds}::int[])`;
  const conditions = [Prisma.sql`i."parentId" IS NULL`];
  if (query.between) conditions.push(incidentOverlapsSql(Prisma.raw('i'), query.between), incidentPeriodIndexSql(Prisma.raw('i'), query.between));
  if (query.placeId) {
    const placeIds = await withDescendants(prisma, 'place', [query.placeId]);
    conditions.push(Prisma.sql`EXISTS (SELECT 1 FROM "IncidentPlace" ip WHERE ip."incidentId" = i.id AND ip."placeId" IN (${Prisma.join(placeIds)}))`);
  }
  return Prisma.join(conditions, ' AND ');
}

/** A tree under a tenth of all incidents is small: its figures are looked up per incident. */
const SMALL_TREE_SHARE = 10;

/** Positions recomputed from the figures (a past moment, or implied bounds): CTEs up to `positions`. */
async function recomputedPositions(prisma: PrismaClient, query: ComparisonQuery, roots: Prisma.Sql): Promise<Prisma.Sql> {
  const figureConditions: Prisma.Sql[] = [];
  // Compared as the enum, not as text, so the planner can use statistics and the (metric, side) index.
  if (query.metric) figureConditions.push(Prisma.sql`f.metric = ${query.metric}::"FigureMetric"`);
  if (query.side) figureConditions.push(Prisma.sql`f.side = ${query.side}::"Side"`);
  const tree = treeSql(roots);
  // The planner cannot estimate a recursive tree (it guessed 2 million incidents for 6,908), so
  // it reads every figure of the metric and joins. That is right for a large tree; for a small
  // one (a month, a place) looking the figures up incident by incident is faster (at 1M figures:
  // one month 810 → 500 ms; everything 2.8 s either way only with the join). The tree's size,
  // against the table's, decides (docs/query-plans.md).
  // Counting stops at the threshold: the recursion is not run to the end for a large tree.
  const [{ small }] = await prisma.$queryRaw<{ small: boolean }[]>`
    ${tree}, threshold AS (SELECT (reltuples / ${SMALL_TREE_SHARE})::bigint AS n FROM pg_class WHERE oid = '"Incident"'::regclass)
    SELECT (SELECT count(*) FROM (SELECT 1 FROM tree LIMIT (SELECT n FROM threshold)) counted) < (SELECT n FROM threshold) AS small`;
  return Prisma.sql`${tree}${positionsSql({ figureConditions, asOf: query.asOf, vagueWords: query.vagueWords, small })}`;
}

/** Conditions on the kept rows `alias` for the query's metric and side. */
function keptConditions(alias: Prisma.Sql, query: ComparisonQuery): Prisma.Sql[] {
  const conditions: Prisma.Sql[] = [];
  if (query.metric) conditions.push(Prisma.sql`${alias}.metric = ${query.metric}::"FigureMetric"`);
  if (query.side) conditions.push(Prisma.sql`${alias}.side = ${query.side}::"Side"`);
  return conditions;
}

/** Positions read from the kept table (standing-positions.ts), as CTE `positions`. */
function keptPositions(query: ComparisonQuery, roots: Prisma.Sql): Prisma.Sql {
  const p = Prisma.raw('p');
  return Prisma.sql`WITH positions AS (
      SELECT p."incidentId" AS root, p.metric::text AS metric, p.side::text AS side, p.claimant, p."statementId" AS statement_id,
             p."figureIds" AS figure_ids, NULL::int[] AS implied_figure_ids, NULL::int[] AS implied_forms,
             p."coversWholeIncident" AS whole, p.approximate, p.questioned, p.affiliations, p.low, p.high
      FROM "StandingPosition" p JOIN "Incident" i ON i.id = p."incidentId"
      WHERE ${Prisma.join([roots, ...keptConditions(p, query)], ' AND ')}
    )`;
}

const keysSql = (keys: string[]) => Prisma.join(keys.length ? keys : ['']);

/** The spreads computed over `positions` (only the query's claimants), as CTE `spread`, one row per position. */
function spreadSql(query: ComparisonQuery, positions: Prisma.Sql): Prisma.Sql {
  const claimantCondition = query.claimantKeys ? Prisma.sql`claimant IN (${keysSql(query.claimantKeys)})` : Prisma.sql`TRUE`;
  return Prisma.sql`
    ${positions},
    compared AS (
      SELECT p.*, claim_exact(low, high, approximate) AS exact, ${spreadAggregatesSql(Prisma.sql`OVER g`)}
      FROM positions p WHERE ${claimantCondition}
      WINDOW g AS (PARTITION BY root, metric, side)
    ),
    spread AS (
      SELECT c.*, ${spreadVerdictSql} FROM compared c WHERE quantified_claimants >= ${query.minClaimants ?? 0}
        AND ${query.heldBy ? Prisma.sql`(root, metric, side) IN (SELECT root, metric, side FROM compared WHERE claimant IN (${keysSql(query.heldBy)}))` : Prisma.sql`TRUE`}
    )`;
}

/** The spreads of `spreadSql`, ranked, with their positions. */
function comparedSql(query: ComparisonQuery, positions: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`
    ${spreadSql(query, positions)},
    ranked AS (
      SELECT r.*, dense_rank() OVER (ORDER BY ratio DESC NULLS LAST, root, metric, side) AS group_rank
      FROM spread r WHERE ${afterSql(query.after)}
    )
    SELECT root, metric, side, claimant, statement_id, figure_ids, implied_figure_ids, implied_forms,
           ${boundOut(Prisma.sql`low`)} AS low, ${boundOut(Prisma.sql`high`)} AS high, approximate, exact, whole,
           questioned, affiliations, quantified_claimants::int, ${boundOut(Prisma.sql`lowest`)} AS lowest,
           ${boundOut(Prisma.sql`highest`)} AS highest, ratio, agreement
    FROM ranked WHERE ${query.limit === undefined ? Prisma.sql`TRUE` : Prisma.sql`group_rank <= ${query.limit}`}
    ORDER BY group_rank, low IS NULL, low DESC, claimant`;
}

const keptSpreads = Prisma.sql`"StandingSpread" sp JOIN "Incident" i ON i.id = sp."incidentId"`;

/** The conditions on the kept spreads `sp` (of incidents `i`) that the query lists. */
function keptSpreadConditions(query: ComparisonQuery, roots: Prisma.Sql): Prisma.Sql {
  const sp = Prisma.raw('sp');
  const held = query.heldBy
    ? [
        Prisma.sql`EXISTS (SELECT 1 FROM "StandingPosition" held WHERE held."incidentId" = sp."incidentId" AND held.metric = sp.metric
        AND held.side = sp.side AND held.claimant IN (${keysSql(query.heldBy)}))`,
      ]
    : [];
  return Prisma.join([roots, ...keptConditions(sp, query), Prisma.sql`sp."quantifiedClaimants" >= ${query.minClaimants ?? 0}`, ...held], ' AND ');
}

/**
 * The kept spreads, read off their ratio index in the order `comparedSql` ranks them (text order
 * of metric and side, as there), with their kept positions: no figure is read.
 */
function keptSpreadsSql(query: ComparisonQuery, roots: Prisma.Sql): Prisma.Sql {
  const group: GroupColumns = { ratio: Prisma.sql`sp.ratio`, root: Prisma.sql`sp."incidentId"`, metric: Prisma.sql`sp.metric`, side: Prisma.sql`sp.side` };
  return Prisma.sql`
    WITH groups AS (
      SELECT sp.* FROM ${keptSpreads}
      WHERE ${keptSpreadConditions(query, roots)} AND ${afterSql(query.after, group)}
      ORDER BY sp.ratio DESC NULLS LAST, sp."incidentId", sp.metric::text, sp.side::text
      ${query.limit === undefined ? Prisma.empty : Prisma.sql`LIMIT ${query.limit}`}
    ),
    page AS (
      SELECT g."incidentId" AS root, g.metric::text AS metric, g.side::text AS side, p.claimant, p."statementId" AS statement_id,
             p."figureIds" AS figure_ids, NULL::int[] AS implied_figure_ids, NULL::int[] AS implied_forms,
             ${boundOut(Prisma.sql`p.low`)} AS low, ${boundOut(Prisma.sql`p.high`)} AS high, p.approximate,
             claim_exact(p.low, p.high, p.approximate) AS exact, p."coversWholeIncident" AS whole, p.questioned, p.affiliations,
             g."quantifiedClaimants" AS quantified_claimants, ${boundOut(Prisma.sql`g.lowest`)} AS lowest,
             ${boundOut(Prisma.sql`g.highest`)} AS highest, g.ratio, g.agreement, p.low IS NULL AS unquantified, p.low AS low_order
      FROM groups g JOIN "StandingPosition" p ON p."incidentId" = g."incidentId" AND p.metric = g.metric AND p.side = g.side
    )
    SELECT * FROM page ORDER BY ratio DESC NULLS LAST, root, metric, side, unquantified, low_order DESC, claimant`;
}

/** The record as it stands now, with words read as no number: what the kept tables hold. */
export const readsKeptPositions = (query: Pick<ComparisonQuery, 'asOf' | 'vagueWords'>) => !query.asOf && (query.vagueWords ?? 'NO_NUMBER') === 'NO_NUMBER';

export async function compareClaims(prisma: PrismaClient, query: ComparisonQuery): Promise<Spread[]> {
  return spreadsOf(await comparisonRows(prisma, query));
}

export interface ComparisonPage {
  spreads: Spread[];
  hasNextPage: boolean;
}

/** `first` groups after `query.after` (not counted: see `countComparisonGroups`). */
export async function compareClaimsPage(prisma: PrismaClient, query: Omit<ComparisonQuery, 'limit'>, first: number): Promise<ComparisonPage> {
  const spreads = spreadsOf(await comparisonRows(prisma, { ...query, limit: first + 1 }));
  return { spreads: spreads.slice(0, first), hasNextPage: spreads.length > first };
}

/** How many groups the query lists across all pages, counting no further than `take`. */
export async function countComparisonGroups(prisma: PrismaClient, query: Omit<ComparisonQuery, 'limit' | 'after'>, take: number): Promise<number> {
  const roots = await rootCondition(prisma, query);
  const positions = await positionsOf(prisma, query, roots);
  const groups = positions
    ? Prisma.sql`${spreadSql(query, positions)} SELECT DISTINCT root, metric, side FROM spread`
    : Prisma.sql`SELECT 1 FROM ${keptSpreads} WHERE ${keptSpreadConditions(query, roots)}`;
  const [row] = await prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM (${groups} LIMIT ${take}) counted`;
  return row?.n ?? 0;
}

/** The positions to compute the spreads over (CTE `positions`), or null when the kept spreads answer the query. */
async function positionsOf(prisma: PrismaClient, query: ComparisonQuery, roots: Prisma.Sql): Promise<Prisma.Sql | null> {
  if (!readsKeptPositions(query)) return recomputedPositions(prisma, query, roots);
  return query.claimantKeys ? keptPositions(query, roots) : null;
}

async function comparisonRows(prisma: PrismaClient, query: ComparisonQuery): Promise<Row[]> {
  const roots = await rootCondition(prisma, query);
  const positions = await positionsOf(prisma, query, roots);
  return prisma.$queryRaw<Row[]>(positions ? comparedSql(query, positions) : keptSpreadsSql(query, roots));
}

function spreadsOf(rows: Row[]): Spread[] {
  const spreads = new Map<string, Spread>();
  for (const row of rows) {
    const key = `${row.root}/${row.metric}/${row.side}`;
    let spread = spreads.get(key);
    if (!spread) {
      spread = {
        incidentId: Number(row.root),
        metric: row.metric,
        side: row.side,
        quantifiedClaimants: Number(row.quantified_claimants),
        lowest: row.lowest,
        highest: row.highest,
        ratio: row.ratio,
        agreement: row.agreement,
        positions: [],
      };
      spreads.set(key, spread);
    }
    spread.positions.push({
      incidentId: Number(row.root),
      metric: row.metric,
      side: row.side,
      claimantKey: row.claimant,
      statementId: Number(row.statement_id),
      figureIds: row.figure_ids.map(Number),
      low: row.low,
      high: row.high,
      approximate: row.approximate,
      unquantified: row.low === null,
      exact: row.exact,
      impliedBounds: (row.implied_figure_ids ?? []).map((figureId, i) => ({ figureId: Number(figureId), word: wordOfForm(row.implied_forms![i]!) })),
      coversWholeIncident: row.whole,
      questioned: row.questioned,
      affiliations: row.affiliations,
    });
  }
  return [...spreads.values()];
}
