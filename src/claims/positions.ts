// Claimants' positions (interval.ts rule 3) in SQL: the one statement that computes them from the
// standing figures, and how positions on one incident, metric and side compare (rule 4). The
// comparisons recompute them for a past moment (`asOf`) or with implied bounds; as the record
// stands now, with words read as no number, they are kept in the tables StandingPosition and
// StandingSpread, which the writes recompute with this same SQL (standing-positions.ts).
import { Prisma } from '../generated/prisma/client.js';
import { figureBoundsSql, type VagueWordReading } from './interval.js';
import { claimantKeySql, standingFigureSql } from './standing.js';

/** The trees under the incidents `i` that satisfy `roots`: CTE `tree(id, root, path)`. */
export function treeSql(roots: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`
    WITH RECURSIVE tree(id, root, path) AS (
      SELECT i.id, i.id, ARRAY[i.id] FROM "Incident" i WHERE ${roots}
      UNION ALL
      SELECT child.id, tree.root, tree.path || child.id FROM "Incident" child JOIN tree ON child."parentId" = tree.id
    )`;
}

export interface PositionsQuery {
  /** Conditions on the figure `f` and its statement `s`, besides standing. */
  figureConditions?: Prisma.Sql[];
  /** Only these claimants (claimant keys). */
  claimants?: string[];
  asOf?: Date | null;
  vagueWords?: VagueWordReading | null;
  /** The tree is small: its figures are looked up incident by incident (see comparison.ts). */
  small: boolean;
}

/**
 * After `treeSql`: CTEs `standing` (the standing figures of the trees), `chosen` (those at the
 * highest level each claimant counted) and `positions` (root, metric, side, claimant,
 * statement_id, figure_ids, implied_figure_ids, implied_forms, whole, approximate, questioned,
 * affiliations, low, high: bounds as float8, high 'Infinity' when open).
 */
export function positionsSql(query: PositionsQuery): Prisma.Sql {
  const conditions = [standingFigureSql(query.asOf), ...(query.figureConditions ?? [])];
  if (query.claimants) conditions.push(Prisma.sql`${claimantKeySql} IN (${Prisma.join(query.claimants.length ? query.claimants : [''])})`);
  const bounds = figureBoundsSql(query.vagueWords ?? 'NO_NUMBER');
  const figuresOfTree = query.small
    ? Prisma.sql`tree CROSS JOIN LATERAL (SELECT * FROM "Figure" f WHERE f."incidentId" = tree.id OFFSET 0) f JOIN "Statement" s ON s.id = f."statementId"`
    : Prisma.sql`"Figure" f JOIN "Statement" s ON s.id = f."statementId" JOIN tree ON tree.id = f."incidentId"`;
  return Prisma.sql`,
    standing AS (
      SELECT f.id, f."incidentId" AS incident, f.metric::text AS metric, f.side::text AS side,
             ${bounds.low} AS low, ${bounds.high} AS high, ${bounds.impliedForm} AS implied_form,
             f."quantityKind" = 'APPROXIMATE' AS approximate, tree.root, tree.path, s.id AS statement_id,
             s.verification::text IN ('UNVERIFIED', 'DISPUTED', 'FALSE') AS questioned,
             s."claimantAffiliation"::text AS affiliation, ${claimantKeySql} AS claimant
      FROM ${figuresOfTree}
      WHERE ${Prisma.join(conditions, ' AND ')}
    ),
    chosen AS (
      -- a figure for a part is dropped when the same claimant counted an incident above it
      SELECT a.* FROM standing a WHERE NOT EXISTS (
        SELECT 1 FROM standing b
        WHERE b.claimant = a.claimant AND b.metric = a.metric AND b.side = a.side AND b.root = a.root
          AND b.incident <> a.incident AND b.incident = ANY (a.path)
      )
    ),
    positions AS (
      SELECT root, metric, side, claimant,
             min(statement_id) AS statement_id,
             array_agg(id ORDER BY id) AS figure_ids,
             array_agg(id ORDER BY id) FILTER (WHERE implied_form IS NOT NULL) AS implied_figure_ids,
             array_agg(implied_form ORDER BY id) FILTER (WHERE implied_form IS NOT NULL) AS implied_forms,
             bool_and(incident = root) AS whole,
             bool_or(approximate) AS approximate,
             bool_or(questioned) AS questioned,
             array_agg(DISTINCT affiliation) AS affiliations,
             sum(low) AS low,
             claim_position_high(claim_sum_high(count(*), count(low), sum(high)), bool_and(incident = root)) AS high
      FROM chosen GROUP BY root, metric, side, claimant
    )`;
}

/**
 * How the positions of one incident, metric and side compare, as aggregates over rows with
 * `low`, `high` and `approximate`: `over` is a window (`OVER g`) or empty (GROUP BY). Gives
 * quantified_claimants, lowest, highest, max_low, min_high, all_exact; `spreadVerdictSql` the rest.
 */
export function spreadAggregatesSql(over: Prisma.Sql = Prisma.empty): Prisma.Sql {
  return Prisma.sql`count(low) ${over} AS quantified_claimants,
             min(low) ${over} AS lowest, max(high) ${over} AS highest,
             max(low) ${over} AS max_low, min(high) ${over} AS min_high,
             coalesce(bool_and(claim_exact(low, high, approximate)) FILTER (WHERE low IS NOT NULL) ${over}, FALSE) AS all_exact`;
}

/** The ratio and the agreement, from the columns of `spreadAggregatesSql`. */
export const spreadVerdictSql = Prisma.sql`claims_ratio(quantified_claimants, max_low, min_high) AS ratio,
             claims_agreement(quantified_claimants, max_low, min_high, lowest, highest, all_exact) AS agreement`;
