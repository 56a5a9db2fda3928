// A claimant's track record: on every incident where it claimed figures, how its numbers
// compared with other claimants' for the same metric and side (relations and ratios as
// interval.ts defines them).
import { Prisma, type PrismaClient } from '../generated/prisma/client.js';
import { compareClaims, readsKeptPositions, type Position, type Spread } from './comparison.js';
import { relationOf, relativeRatio, type Relation } from './interval.js';
import { claimantKeySql, standingFigureSql } from './standing.js';

export type { Relation } from './interval.js';

export interface TrackRecordEntry {
  spread: Spread;
  own: Position;
  relation: Relation;
  /** How many times the others' claims its claim is, where it stands clear of them (interval.ts `relativeRatio`). */
  ratio: number | null;
}

export interface TrackRecord {
  entries: TrackRecordEntry[];
  summary: Record<Relation, number> & { comparisons: number; medianRatio: number | null };
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Track records for several claimants at once: two SQL statements, whatever their number. */
export async function trackRecords(prisma: PrismaClient, claimantKeys: readonly string[], asOf?: Date | null): Promise<TrackRecord[]> {
  const keys = Prisma.join([...claimantKeys]);
  // The top-level incidents above every incident these claimants gave a standing figure for:
  // those they hold a position on (kept, standing-positions.ts), or, as of a past moment, found
  // from the figures.
  const roots = !readsKeptPositions({ asOf })
    ? await prisma.$queryRaw<{ id: number }[]>`
    WITH RECURSIVE up(id, parent) AS (
      SELECT i.id, i."parentId" FROM "Incident" i WHERE i.id IN (
        SELECT f."incidentId" FROM "Figure" f JOIN "Statement" s ON s.id = f."statementId"
        WHERE ${claimantKeySql} IN (${keys}) AND ${standingFigureSql(asOf)})
      UNION
      SELECT parent.id, parent."parentId" FROM "Incident" parent JOIN up ON up.parent = parent.id
    )
    SELECT id FROM up WHERE parent IS NULL`
    : await prisma.$queryRaw<{ id: number }[]>`
    SELECT DISTINCT p."incidentId" AS id FROM "StandingPosition" p JOIN "Incident" i ON i.id = p."incidentId"
    WHERE p.claimant IN (${keys}) AND i."parentId" IS NULL`;
  // Only the groups they hold a position in: the others' groups in the same trees are no entry of theirs.
  const spreads = await compareClaims(prisma, { incidentIds: roots.map((root) => Number(root.id)), heldBy: [...claimantKeys], asOf });
  return claimantKeys.map((claimantKey) => recordOf(claimantKey, spreads));
}

function recordOf(claimantKey: string, spreads: Spread[]): TrackRecord {
  const entries: TrackRecordEntry[] = [];
  for (const spread of spreads) {
    const own = spread.positions.find((position) => position.claimantKey === claimantKey);
    if (!own) continue;
    const others = spread.positions.filter((position) => position !== own);
    entries.push({ spread, own, relation: relationOf(own, others), ratio: relativeRatio(own, others) });
  }
  const count = (relation: Relation) => entries.filter((entry) => entry.relation === relation).length;
  return {
    entries,
    summary: {
      comparisons: entries.filter((entry) => entry.relation !== 'NO_COMPARISON').length,
      HIGHER: count('HIGHER'),
      LOWER: count('LOWER'),
      EQUAL: count('EQUAL'),
      OVERLAPPING: count('OVERLAPPING'),
      NO_COMPARISON: count('NO_COMPARISON'),
      medianRatio: median(entries.flatMap((entry) => (entry.ratio === null ? [] : [entry.ratio]))),
    },
  };
}
