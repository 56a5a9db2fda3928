// The kept positions (tables StandingPosition, StandingSpread and StandingRelation): every
// incident's positions and spreads as the record stands now, words read as no number, and how
// each claimant's position on a top-level incident compares with the others' there (a track
// record's entries), so that discrepancies, track records and comparisons read them instead of
// recomputing them from every figure. Kept by
// recomputation, never by arithmetic: at the end of every write transaction (writes/session.ts)
// the (claimant, incident) keys the write touched are recomputed with the SQL of positions.ts,
// for the incident and every incident above it. test/standing-positions.test.ts checks, on
// random write sequences, that the tables equal a full recomputation.
import { Prisma } from '../generated/prisma/client.js';
import { positionsSql, spreadAggregatesSql, spreadVerdictSql, treeSql } from './positions.js';
import { claimantKeySql } from './standing.js';

type Tx = Prisma.TransactionClient;

/** Writes recomputing the same incident wait for each other (per incident, until commit). */
const STANDING_LOCK = 7_310_202;

/** The positions of the trees under incidents `roots` (claimants: all, or only these), as the table's columns. */
function positionRows(roots: Prisma.Sql, claimants: string[] | null, small: boolean): Prisma.Sql {
  return Prisma.sql`${treeSql(roots)}${positionsSql({ claimants: claimants ?? undefined, small })}
    SELECT root, metric::"FigureMetric", side::"Side", claimant, statement_id, figure_ids, low, high, approximate, whole, questioned, affiliations
    FROM positions`;
}

const POSITION_COLUMNS = Prisma.sql`("incidentId", metric, side, claimant, "statementId", "figureIds", low, high, approximate, "coversWholeIncident", questioned, affiliations)`;

/** The spreads of the kept positions of the incidents `p` that satisfy `where`, as the table's columns. */
function spreadRows(where: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`
    SELECT "incidentId", metric, side, quantified_claimants, lowest, highest, ${spreadVerdictSql}
    FROM (SELECT p."incidentId", p.metric, p.side, ${spreadAggregatesSql()}
          FROM "StandingPosition" p WHERE ${where} GROUP BY p."incidentId", p.metric, p.side) aggregates`;
}

const SPREAD_COLUMNS = Prisma.sql`("incidentId", metric, side, "quantifiedClaimants", lowest, highest, ratio, agreement)`;

/**
 * How each kept position `p` on a top-level incident that satisfies `where` compares with the
 * other claimants' there (SQL `claim_relation`, `claim_relative_ratio`, twins of interval.ts
 * `relationOf` and `relativeRatio`), as the table's columns. The others are the window without
 * the position's own row: one claimant holds one position per incident, metric and side.
 */
function relationRows(where: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`
    SELECT "incidentId", metric, side, claimant, "startedAt", relation, claim_relative_ratio(relation, low, high, others_min_low, others_max_high)
    FROM (SELECT others.*, claim_relation(low, high, approximate, others_numbers, others_min_low, others_max_high, others_all_exact) AS relation
          FROM (SELECT p."incidentId", p.metric, p.side, p.claimant, i."startedAt", p.low, p.high, p.approximate,
                       count(p.low) OVER others AS others_numbers, min(p.low) OVER others AS others_min_low,
                       max(p.high) FILTER (WHERE p.low IS NOT NULL) OVER others AS others_max_high,
                       coalesce(bool_and(claim_exact(p.low, p.high, p.approximate)) FILTER (WHERE p.low IS NOT NULL) OVER others, TRUE) AS others_all_exact
                FROM "StandingPosition" p JOIN "Incident" i ON i.id = p."incidentId"
                WHERE i."parentId" IS NULL AND ${where}
                WINDOW others AS (PARTITION BY p."incidentId", p.metric, p.side ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING EXCLUDE CURRENT ROW)) others
         ) related`;
}

const RELATION_COLUMNS = Prisma.sql`("incidentId", metric, side, claimant, "startedAt", relation, ratio)`;

/**
 * Every position and spread recomputed: the statements of a full rebuild, with no parameters
 * (the migration `standing_positions` backfilled with this text).
 */
export function rebuildStatements(): Prisma.Sql[] {
  return [
    Prisma.sql`DELETE FROM "StandingRelation"`,
    Prisma.sql`DELETE FROM "StandingSpread"`,
    Prisma.sql`DELETE FROM "StandingPosition"`,
    Prisma.sql`INSERT INTO "StandingPosition" ${POSITION_COLUMNS} ${positionRows(Prisma.sql`TRUE`, null, false)}`,
    Prisma.sql`INSERT INTO "StandingSpread" ${SPREAD_COLUMNS} ${spreadRows(Prisma.sql`TRUE`)}`,
    Prisma.sql`INSERT INTO "StandingRelation" ${RELATION_COLUMNS} ${relationRows(Prisma.sql`TRUE`)}`,
  ];
}

/** Every position and spread recomputed (after a bulk load that bypassed the writes, such as synth). */
export async function rebuildStandings(tx: Pick<Tx, '$executeRaw'>): Promise<void> {
  for (const statement of rebuildStatements()) await tx.$executeRaw(statement);
}

/** What a write touched: claimants, and incidents whose trees (and the trees above) hold their figures. */
export interface StandingScope {
  claimants: string[];
  incidentIds: number[];
}

/**
 * The positions of these claimants on these incidents and every incident above them, recomputed;
 * their spreads with them, and every claimant's relation on those incidents (another claimant's
 * new figure changes yours).
 */
export async function refreshStandings(tx: Tx, scope: StandingScope): Promise<void> {
  if (scope.claimants.length === 0 || scope.incidentIds.length === 0) return;
  const rows = await tx.$queryRaw<{ id: number }[]>`
    WITH RECURSIVE up(id, parent) AS (
      SELECT id, "parentId" FROM "Incident" WHERE id IN (${Prisma.join(scope.incidentIds)})
      UNION
      SELECT i.id, i."parentId" FROM "Incident" i JOIN up ON up.parent = i.id
    )
    SELECT id FROM up ORDER BY id`;
  const roots = rows.map((row) => Number(row.id));
  if (roots.length === 0) return;
  await tx.$queryRaw`SELECT count(pg_advisory_xact_lock(${STANDING_LOCK}::int, id))::int AS n FROM (SELECT unnest(${roots}::int[]) AS id ORDER BY 1) ids`;
  const inRoots = (column: Prisma.Sql) => Prisma.sql`${column} IN (${Prisma.join(roots)})`;
  await tx.$executeRaw`DELETE FROM "StandingPosition" WHERE ${inRoots(Prisma.sql`"incidentId"`)} AND claimant IN (${Prisma.join(scope.claimants)})`;
  await tx.$executeRaw`INSERT INTO "StandingPosition" ${POSITION_COLUMNS} ${positionRows(inRoots(Prisma.sql`i.id`), scope.claimants, true)}`;
  await tx.$executeRaw`DELETE FROM "StandingSpread" WHERE ${inRoots(Prisma.sql`"incidentId"`)}`;
  await tx.$executeRaw`INSERT INTO "StandingSpread" ${SPREAD_COLUMNS} ${spreadRows(inRoots(Prisma.sql`p."incidentId"`))}`;
  await tx.$executeRaw`DELETE FROM "StandingRelation" WHERE ${inRoots(Prisma.sql`"incidentId"`)}`;
  await tx.$executeRaw`INSERT INTO "StandingRelation" ${RELATION_COLUMNS} ${relationRows(inRoots(Prisma.sql`p."incidentId"`))}`;
}

/** A change as the write session records it: the record before and after, as JSON. */
export interface RecordedChange {
  entityType: string;
  entityId: number;
  before: Prisma.InputJsonObject | null;
  after: Prisma.InputJsonObject | null;
}

const idOf = (snapshot: Prisma.InputJsonObject | null, key: string): number[] => {
  const value = snapshot?.[key];
  return typeof value === 'number' ? [value] : [];
};

/**
 * The keys a transaction's changes touch, before and after: a figure's claimant and incident;
 * a statement's claimants (a merge moves it to another) on its figures' incidents; an incident
 * moved under another parent (or redated), the claimants of its tree on it and its old and new parents.
 */
export async function scopeOfChanges(tx: Tx, changes: readonly RecordedChange[]): Promise<StandingScope> {
  const statementIds = new Set<number>();
  const incidentIds = new Set<number>();
  const movedIncidents = new Set<number>();
  const claimantRows: Prisma.Sql[] = [];
  for (const change of changes) {
    const states = [change.before, change.after];
    if (change.entityType === 'Figure') {
      for (const state of states) {
        idOf(state, 'statementId').forEach((id) => statementIds.add(id));
        idOf(state, 'incidentId').forEach((id) => incidentIds.add(id));
      }
    } else if (change.entityType === 'Statement') {
      statementIds.add(change.entityId);
      for (const state of states) {
        if (!state || typeof state.claimantKind !== 'string') continue;
        const [official] = idOf(state, 'officialId');
        const [organisation] = idOf(state, 'organisationId');
        claimantRows.push(
          Prisma.sql`(${state.claimantKind}::text, ${official ?? null}::int, ${organisation ?? null}::int, ${String(state.claimantDescription ?? '')}::text)`,
        );
      }
    } else if (change.entityType === 'Incident') {
      // A new incident holds no figures yet; an incident with figures cannot be deleted. A moved
      // one changes the trees above it; a redated one, where its track-record entries are listed.
      const [was] = idOf(change.before, 'parentId');
      const [is] = idOf(change.after, 'parentId');
      if (!change.before || !change.after || (was === is && change.before.startedAt === change.after.startedAt)) continue;
      movedIncidents.add(change.entityId);
      for (const parent of [was, is]) if (parent !== undefined) incidentIds.add(parent);
    }
  }
  if (statementIds.size === 0 && movedIncidents.size === 0) return { claimants: [], incidentIds: [] };
  const statements = [...statementIds, 0];
  const moved = [...movedIncidents, 0];
  const snapshotClaimants = claimantRows.length
    ? Prisma.sql`UNION SELECT ${claimantKeySql} FROM (VALUES ${Prisma.join(claimantRows)}) AS s("claimantKind", "officialId", "organisationId", "claimantDescription")`
    : Prisma.empty;
  const [found] = await tx.$queryRaw<{ claimants: string[] | null; incidents: number[] | null }[]>`
    WITH RECURSIVE subtree(id) AS (
      SELECT id FROM "Incident" WHERE id IN (${Prisma.join(moved)})
      UNION
      SELECT child.id FROM "Incident" child JOIN subtree ON child."parentId" = subtree.id
    ),
    claimants(claimant) AS (
      SELECT ${claimantKeySql} FROM "Statement" s WHERE s.id IN (${Prisma.join(statements)})
      UNION SELECT ${claimantKeySql} FROM "Statement" s JOIN "Figure" f ON f."statementId" = s.id JOIN subtree ON subtree.id = f."incidentId"
      ${snapshotClaimants}
    )
    SELECT (SELECT array_agg(claimant) FROM claimants) AS claimants,
           (SELECT array_agg(DISTINCT f."incidentId") FROM "Figure" f WHERE f."statementId" IN (${Prisma.join(statements)}) AND f."incidentId" IS NOT NULL) AS incidents`;
  return {
    claimants: found?.claimants ?? [],
    incidentIds: [...new Set([...incidentIds, ...movedIncidents, ...(found?.incidents ?? []).map(Number)])],
  };
}
