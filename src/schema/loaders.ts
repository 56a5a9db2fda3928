// Batch loaders for what Prisma query merging cannot reach: data behind recursive queries, and
// rows named by analyses computed in SQL. One loader set per request, so nothing is cached
// across requests; each loader is made the first time the request uses it (most use none, and a
// request that moves to another client, a replica or one with a deadline, takes a new set).
import DataLoader from 'dataloader';
import type { Figure, Incident, Prisma, PrismaClient } from '../generated/prisma/client.js';
import { revisionChains, type RevisionDirection } from '../claims/revisions.js';
import { visibleStatementWhere } from '../claims/filters.js';
import { compareClaims, readsKeptPositions, type Spread } from '../claims/comparison.js';
import {
  type EntryCursor,
  encodeEntryCursor,
  keptPages,
  keptSummaries,
  pageOf,
  trackRecords,
  type TrackRecord,
  type TrackRecordPage,
  type TrackRecordSummary,
} from '../claims/track-record.js';
import { claimantSelection } from './claimant.js';

type StatementWithClaimant = Prisma.StatementGetPayload<{ include: typeof claimantSelection }>;

export interface Loaders {
  /** A figure's earlier versions, newest first (the figure it supersedes, then that one's...). */
  earlierVersions: DataLoader<number, Figure[]>;
  /** A figure's later versions, oldest first (the figure that supersedes it, then that one's...). */
  laterVersions: DataLoader<number, Figure[]>;
  figure: DataLoader<number, Figure>;
  /** Incidents named by analyses (a track record's comparisons, one per entry). */
  incident: DataLoader<number, Incident>;
  statementWithClaimant: DataLoader<number, StatementWithClaimant>;
  /** Track-record summaries by claimant key, as the record stands now (kept) or at a moment (recomputed). */
  trackRecordSummary(asOf: Date | null): DataLoader<string, TrackRecordSummary>;
  /** A page of track-record entries by claimant key, the same page for each. */
  trackRecordPage(asOf: Date | null, first: number, after: EntryCursor | null): DataLoader<string, TrackRecordPage>;
  /** The kept comparison of an incident, metric and side, by `<incident id>/<metric>/<side>`. */
  standingSpread: DataLoader<string, Spread>;
  /** An owner's external ID for a record, by `<owner>/<entity type>/<id>`. */
  externalId: DataLoader<string, string | null>;
  /** How many statements each incident has (retracted ones too, when asked), by incident id. */
  incidentStatementCount(includeRetracted: boolean): DataLoader<number, number>;
}

/**
 * Counts of the parents of a page in one grouped query over the link table, only when a count is
 * asked for: Prisma's own relation count groups the whole table, whatever the page.
 */
function incidentStatementCounts(prisma: PrismaClient, includeRetracted: boolean) {
  return new DataLoader<number, number>(async (incidentIds) => {
    const groups = await prisma.statementIncident.groupBy({
      by: ['incidentId'],
      where: { incidentId: { in: [...incidentIds] }, statement: visibleStatementWhere({ includeRetracted }) },
      _count: { _all: true },
    });
    const counts = new Map(groups.map((group) => [group.incidentId, group._count._all]));
    return incidentIds.map((id) => counts.get(id) ?? 0);
  });
}

/** Every record's external ID of one owner: one query per batch. */
function externalIds(prisma: PrismaClient) {
  return new DataLoader<string, string | null>(async (keys) => {
    const wanted = keys.map((key) => key.split('/'));
    const rows = await prisma.externalId.findMany({
      where: { OR: wanted.map(([owner, entityType, id]) => ({ ownerId: Number(owner), entityType, entityId: Number(id) })) },
      orderBy: { createdAt: 'asc' },
    });
    return wanted.map(
      ([owner, entityType, id]) =>
        rows.find((row) => row.ownerId === Number(owner) && row.entityType === entityType && row.entityId === Number(id))?.externalId ?? null,
    );
  });
}

/** Kept comparisons by `<incident id>/<metric>/<side>`: one statement for the incidents of a batch. */
function standingSpreads(prisma: PrismaClient) {
  return new DataLoader<string, Spread>(async (keys) => {
    const incidentIds = [...new Set(keys.map((key) => Number(key.split('/')[0])))];
    const spreads = new Map((await compareClaims(prisma, { incidentIds })).map((spread) => [`${spread.incidentId}/${spread.metric}/${spread.side}`, spread]));
    // Gone since the key was read (a write in between): the record changed under the request.
    return keys.map((key) => spreads.get(key) ?? new Error('The record changed while these comparisons were read: ask again.'));
  });
}

const revisionChain = (prisma: PrismaClient, direction: RevisionDirection) =>
  new DataLoader<number, Figure[]>((figureIds) => revisionChains(prisma, figureIds, direction));

function byId<Row extends { id: number }>(load: (ids: number[]) => Promise<Row[]>) {
  return new DataLoader<number, Row>(async (ids) => {
    const rows = new Map((await load([...ids])).map((row) => [row.id, row]));
    return ids.map((id) => rows.get(id) ?? new Error(`No row with id ${id}`));
  });
}

export function createLoaders(prisma: PrismaClient): Loaders {
  const made: Partial<Omit<Loaders, 'trackRecordSummary' | 'trackRecordPage'>> = {};
  const once = <Name extends keyof typeof made>(name: Name, make: () => NonNullable<(typeof made)[Name]>) =>
    (made[name] ??= make()) as NonNullable<(typeof made)[Name]>;
  const trackRecordLoaders = new Map<string, DataLoader<string, unknown>>();
  /** The loader of this name, made the first time it is asked for. */
  const memo = <Value>(name: string, make: () => DataLoader<string, Value>) => {
    let loader = trackRecordLoaders.get(name) as DataLoader<string, Value> | undefined;
    if (!loader) {
      loader = make();
      trackRecordLoaders.set(name, loader as DataLoader<string, unknown>);
    }
    return loader;
  };
  // As of a moment, the whole record is recomputed once, then summed up and paged.
  const recomputed = (asOf: Date) => memo<TrackRecord>(`record ${asOf.toISOString()}`, () => new DataLoader((keys) => trackRecords(prisma, keys, asOf)));
  const statementCountLoaders = new Map<boolean, DataLoader<number, number>>();
  return {
    incidentStatementCount(includeRetracted) {
      let loader = statementCountLoaders.get(includeRetracted);
      if (!loader) {
        loader = incidentStatementCounts(prisma, includeRetracted);
        statementCountLoaders.set(includeRetracted, loader);
      }
      return loader;
    },
    trackRecordSummary(asOf) {
      if (asOf && !readsKeptPositions({ asOf })) {
        const records = recomputed(asOf);
        return memo(
          `summary ${asOf.toISOString()}`,
          () => new DataLoader(async (keys) => (await records.loadMany(keys)).map((r) => (r instanceof Error ? r : r.summary))),
        );
      }
      return memo('summary now', () => new DataLoader((keys) => keptSummaries(prisma, keys)));
    },
    trackRecordPage(asOf, first, after) {
      const page = `page ${first} ${after ? encodeEntryCursor(after) : ''}`;
      if (asOf && !readsKeptPositions({ asOf })) {
        const records = recomputed(asOf);
        return memo(
          `${page} ${asOf.toISOString()}`,
          () => new DataLoader(async (keys) => (await records.loadMany(keys)).map((r) => (r instanceof Error ? r : pageOf(r, first, after)))),
        );
      }
      return memo(`${page} now`, () => new DataLoader((keys) => keptPages(prisma, keys, first, after)));
    },
    get standingSpread() {
      return once('standingSpread', () => standingSpreads(prisma));
    },
    get externalId() {
      return once('externalId', () => externalIds(prisma));
    },
    get earlierVersions() {
      return once('earlierVersions', () => revisionChain(prisma, 'earlier'));
    },
    get laterVersions() {
      return once('laterVersions', () => revisionChain(prisma, 'later'));
    },
    get figure() {
      return once('figure', () => byId((ids) => prisma.figure.findMany({ where: { id: { in: ids } } })));
    },
    get incident() {
      return once('incident', () => byId((ids) => prisma.incident.findMany({ where: { id: { in: ids } } })));
    },
    get statementWithClaimant() {
      return once('statementWithClaimant', () => byId((ids) => prisma.statement.findMany({ where: { id: { in: ids } }, include: claimantSelection })));
    },
  };
}
