// Batch loaders for what Prisma query merging cannot reach: data behind recursive queries, and
// rows named by analyses computed in SQL. One loader set per request, so nothing is cached
// across requests; each loader is made the first time the request uses it (most use none, and a
// request that moves to another client, a replica or one with a deadline, takes a new set).
import DataLoader from 'dataloader';
import type { Figure, Incident, Prisma, PrismaClient } from '../generated/prisma/client.js';
import { revisionChains, type RevisionDirection } from '../claims/revisions.js';
import { visibleStatementWhere } from '../claims/filters.js';
import { trackRecords, type TrackRecord } from '../claims/track-record.js';
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
  /** Track records by claimant key, as the record stands now or at a moment. */
  trackRecord(asOf?: Date | null): DataLoader<string, TrackRecord>;
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

const revisionChain = (prisma: PrismaClient, direction: RevisionDirection) =>
  new DataLoader<number, Figure[]>((figureIds) => revisionChains(prisma, figureIds, direction));

function byId<Row extends { id: number }>(load: (ids: number[]) => Promise<Row[]>) {
  return new DataLoader<number, Row>(async (ids) => {
    const rows = new Map((await load([...ids])).map((row) => [row.id, row]));
    return ids.map((id) => rows.get(id) ?? new Error(`No row with id ${id}`));
  });
}

export function createLoaders(prisma: PrismaClient): Loaders {
  const made: Partial<Omit<Loaders, 'trackRecord'>> = {};
  const once = <Name extends keyof typeof made>(name: Name, make: () => NonNullable<(typeof made)[Name]>) =>
    (made[name] ??= make()) as NonNullable<(typeof made)[Name]>;
  const trackRecordLoaders = new Map<string, DataLoader<string, TrackRecord>>();
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
    trackRecord(asOf) {
      const moment = asOf?.toISOString() ?? 'now';
      let loader = trackRecordLoaders.get(moment);
      if (!loader) {
        loader = new DataLoader((keys) => trackRecords(prisma, keys, asOf));
        trackRecordLoaders.set(moment, loader);
      }
      return loader;
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
