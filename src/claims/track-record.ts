// A claimant's track record: on every incident where it claimed figures, how its numbers
// compared with other claimants' for the same metric and side (relations and ratios as
// interval.ts defines them). As the record stands now, the entries are kept rows
// (StandingRelation, standing-positions.ts): the summary is one aggregate over the claimant's
// rows and a page one range of its index. As of a past moment, they are recomputed from the
// comparisons, then counted and paged the same way in TypeScript.
import { Prisma, type PrismaClient } from '../generated/prisma/client.js';
import { FigureMetric, Side } from '../generated/prisma/enums.js';
import { compareClaims, type Spread } from './comparison.js';
import { relationOf, relativeRatio, type Relation } from './interval.js';
import { claimantKeySql, standingFigureSql } from './standing.js';

export type { Relation } from './interval.js';

export interface TrackRecordEntry {
  claimantKey: string;
  /** The top-level incident compared (its parts included). */
  incidentId: number;
  metric: FigureMetric;
  side: Side;
  /** The incident's start, for the order: newest first, undated last. */
  startedAt: Date | null;
  relation: Relation;
  /** How many times the others' claims its claim is, where it stands clear of them (interval.ts `relativeRatio`). */
  ratio: number | null;
  /** Every claimant's position, when recomputed with the entry (a past moment); else read when asked for. */
  spread?: Spread;
}

export type TrackRecordSummary = Record<Relation, number> & {
  comparisons: number;
  medianRatio: number | null;
  /** Entries across all pages. */
  entries: number;
};

export interface TrackRecordPage {
  entries: TrackRecordEntry[];
  hasNextPage: boolean;
}

/** An entry's place in the order: incident start DESC NULLS LAST, incident id DESC, metric, side (as declared). */
export type EntryCursor = Pick<TrackRecordEntry, 'startedAt' | 'incidentId' | 'metric' | 'side'>;

export function encodeEntryCursor(entry: EntryCursor): string {
  return Buffer.from(JSON.stringify([entry.startedAt?.toISOString() ?? null, entry.incidentId, entry.metric, entry.side])).toString('base64url');
}

/** The cursor in `after`, or null when it is not one `encodeEntryCursor` made. */
export function decodeEntryCursor(after: string): EntryCursor | null {
  try {
    const [at, incidentId, metric, side] = JSON.parse(Buffer.from(after, 'base64url').toString('utf8')) as unknown[];
    const startedAt = typeof at === 'string' ? new Date(at) : null;
    const dateOk = at === null || (startedAt !== null && !Number.isNaN(startedAt.getTime()));
    if (dateOk && Number.isSafeInteger(incidentId) && Object.hasOwn(FigureMetric, metric as string) && Object.hasOwn(Side, side as string)) {
      return { startedAt, incidentId: incidentId as number, metric: metric as FigureMetric, side: side as Side };
    }
  } catch {
    // not base64url JSON: not a cursor
  }
  return null;
}

const METRICS = Object.values(FigureMetric);
const SIDES = Object.values(Side);

/** The entries' order in TypeScript, as the kept index orders them (enums in declaration order). */
function compareEntries(a: EntryCursor, b: EntryCursor): number {
  const at = (entry: EntryCursor) => entry.startedAt?.getTime() ?? -Infinity;
  return at(b) - at(a) || b.incidentId - a.incidentId || METRICS.indexOf(a.metric) - METRICS.indexOf(b.metric) || SIDES.indexOf(a.side) - SIDES.indexOf(b.side);
}

const RELATIONS: Relation[] = ['HIGHER', 'LOWER', 'EQUAL', 'OVERLAPPING', 'NO_COMPARISON'];

// --- As the record stands now: the kept rows --------------------------------------------------

interface SummaryRow {
  claimant: string;
  entries: number;
  comparisons: number;
  higher: number;
  lower: number;
  equal: number;
  overlapping: number;
  median_ratio: number | null;
}

/**
 * The summaries of several claimants in one statement. The median is the mean of the two middle
 * ratios, taken as the lower middle (percentile_disc over the ratios) and the upper middle (the
 * same over their negatives), as `median` below computes it: percentile_cont interpolates, which
 * can differ from it in the last bit.
 */
export async function keptSummaries(prisma: PrismaClient, claimantKeys: readonly string[]): Promise<TrackRecordSummary[]> {
  const rows = await prisma.$queryRaw<SummaryRow[]>`
    SELECT claimant, count(*)::int AS entries, count(*) FILTER (WHERE relation <> 'NO_COMPARISON')::int AS comparisons,
           count(*) FILTER (WHERE relation = 'HIGHER')::int AS higher, count(*) FILTER (WHERE relation = 'LOWER')::int AS lower,
           count(*) FILTER (WHERE relation = 'EQUAL')::int AS equal, count(*) FILTER (WHERE relation = 'OVERLAPPING')::int AS overlapping,
           (percentile_disc(0.5) WITHIN GROUP (ORDER BY ratio) - percentile_disc(0.5) WITHIN GROUP (ORDER BY -ratio)) / 2 AS median_ratio
    FROM "StandingRelation" WHERE claimant IN (${Prisma.join([...claimantKeys])}) GROUP BY claimant`;
  const byClaimant = new Map(rows.map((row) => [row.claimant, row]));
  return claimantKeys.map((key) => {
    const row = byClaimant.get(key);
    const [entries, comparisons, higher, lower, equal, overlapping] = row
      ? [row.entries, row.comparisons, row.higher, row.lower, row.equal, row.overlapping]
      : [0, 0, 0, 0, 0, 0];
    const NO_COMPARISON = entries - comparisons;
    return {
      entries,
      comparisons,
      HIGHER: higher,
      LOWER: lower,
      EQUAL: equal,
      OVERLAPPING: overlapping,
      NO_COMPARISON,
      medianRatio: row?.median_ratio ?? null,
    };
  });
}

interface EntryRow {
  claimant: string;
  incident_id: number;
  metric: FigureMetric;
  side: Side;
  started_at: Date | null;
  relation: Relation;
  ratio: number | null;
}

/** The rows `r` of claimant `k.claimant` after `after` in the entries' order: each run of the order (dated, undated) is one index range. */
function keptPageSql(after: EntryCursor | null, take: number): Prisma.Sql {
  const columns = Prisma.sql`r."incidentId" AS incident_id, r.metric, r.side, r."startedAt" AS started_at, r.relation, r.ratio`;
  const order = Prisma.sql`ORDER BY r."startedAt" DESC NULLS LAST, r."incidentId" DESC, r.metric, r.side LIMIT ${take}`;
  const run = (condition: Prisma.Sql) => Prisma.sql`(SELECT ${columns} FROM "StandingRelation" r WHERE r.claimant = k.claimant AND ${condition} ${order})`;
  if (!after) return run(Prisma.sql`TRUE`);
  const rest = Prisma.sql`(r."incidentId" < ${after.incidentId}::int OR (r."incidentId" = ${after.incidentId}::int
    AND (r.metric, r.side) > (${after.metric}::"FigureMetric", ${after.side}::"Side")))`;
  const undated = run(after.startedAt ? Prisma.sql`r."startedAt" IS NULL` : Prisma.sql`r."startedAt" IS NULL AND ${rest}`);
  if (!after.startedAt) return undated;
  const dated = run(Prisma.sql`r."startedAt" <= ${after.startedAt}::timestamp AND (r."startedAt" < ${after.startedAt}::timestamp OR ${rest})`);
  return Prisma.sql`(SELECT * FROM (${dated} UNION ALL ${undated}) runs ORDER BY started_at DESC NULLS LAST, incident_id DESC, metric, side LIMIT ${take})`;
}

/** A page of `first` entries after `after` for each claimant, in one statement. */
export async function keptPages(prisma: PrismaClient, claimantKeys: readonly string[], first: number, after: EntryCursor | null): Promise<TrackRecordPage[]> {
  const rows = await prisma.$queryRaw<EntryRow[]>`
    SELECT k.claimant, page.* FROM unnest(${[...claimantKeys]}::text[]) AS k(claimant)
    CROSS JOIN LATERAL ${keptPageSql(after, first + 1)} page`;
  return claimantKeys.map((claimantKey) => {
    const entries: TrackRecordEntry[] = rows
      .filter((row) => row.claimant === claimantKey)
      .map((row) => ({
        claimantKey,
        incidentId: Number(row.incident_id),
        metric: row.metric,
        side: row.side,
        startedAt: row.started_at,
        relation: row.relation,
        ratio: row.ratio,
      }))
      .sort(compareEntries);
    return { entries: entries.slice(0, first), hasNextPage: entries.length > first };
  });
}

// --- As of a moment: recomputed -----------------------------------------------------------------

export interface TrackRecord {
  /** Every entry, in the entries' order. */
  entries: TrackRecordEntry[];
  summary: TrackRecordSummary;
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Track records recomputed for several claimants at once, as of `asOf`: two SQL statements, whatever their number. */
export async function trackRecords(prisma: PrismaClient, claimantKeys: readonly string[], asOf?: Date | null): Promise<TrackRecord[]> {
  const keys = Prisma.join([...claimantKeys]);
  // The top-level incidents above every incident these claimants gave a standing figure for.
  const roots = await prisma.$queryRaw<{ id: number; started_at: Date | null }[]>`
    WITH RECURSIVE up(id, parent) AS (
      SELECT i.id, i."parentId" FROM "Incident" i WHERE i.id IN (
        SELECT f."incidentId" FROM "Figure" f JOIN "Statement" s ON s.id = f."statementId"
        WHERE ${claimantKeySql} IN (${keys}) AND ${standingFigureSql(asOf)})
      UNION
      SELECT parent.id, parent."parentId" FROM "Incident" parent JOIN up ON up.parent = parent.id
    )
    SELECT up.id, i."startedAt" AS started_at FROM up JOIN "Incident" i ON i.id = up.id WHERE up.parent IS NULL`;
  const startedAt = new Map(roots.map((root) => [Number(root.id), root.started_at]));
  // Only the groups they hold a position in: the others' groups in the same trees are no entry of theirs.
  const spreads = await compareClaims(prisma, { incidentIds: [...startedAt.keys()], heldBy: [...claimantKeys], asOf });
  return claimantKeys.map((claimantKey) => recordOf(claimantKey, spreads, startedAt));
}

function recordOf(claimantKey: string, spreads: Spread[], startedAt: Map<number, Date | null>): TrackRecord {
  const entries: TrackRecordEntry[] = [];
  for (const spread of spreads) {
    const own = spread.positions.find((position) => position.claimantKey === claimantKey);
    if (!own) continue;
    const others = spread.positions.filter((position) => position !== own);
    const { incidentId, metric, side } = spread;
    const at = startedAt.get(incidentId) ?? null;
    entries.push({ claimantKey, incidentId, metric, side, startedAt: at, relation: relationOf(own, others), ratio: relativeRatio(own, others), spread });
  }
  entries.sort(compareEntries);
  const count = (relation: Relation) => entries.filter((entry) => entry.relation === relation).length;
  const counts = Object.fromEntries(RELATIONS.map((relation) => [relation, count(relation)])) as Record<Relation, number>;
  return {
    entries,
    summary: {
      ...counts,
      entries: entries.length,
      comparisons: entries.length - counts.NO_COMPARISON,
      medianRatio: median(entries.flatMap((entry) => (entry.ratio === null ? [] : [entry.ratio]))),
    },
  };
}

/** The `first` entries of a recomputed record after `after`, as a kept page gives them. */
export function pageOf(record: TrackRecord, first: number, after: EntryCursor | null): TrackRecordPage {
  const rest = after ? record.entries.filter((entry) => compareEntries(entry, after) > 0) : record.entries;
  return { entries: rest.slice(0, first), hasNextPage: rest.length > first };
}
