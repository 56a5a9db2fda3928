// Every state change of every record is recorded: who, when, what, and the record before and
// after, whole (with the rows it owns: a statement's source chain and incidents, a figure's
// breakdown, an incident's places and participants, an official's roles). That makes the
// audit trail complete and the change feed replayable: applying every change's `after` in feed
// order rebuilds today's records exactly (test/record-properties.test.ts checks it as a property).
import type { Prisma } from '../generated/prisma/client.js';
import type { EntityType } from '../rules/ids.js';

export type Operation = 'CREATE' | 'REVISE' | 'RETRACT' | 'MERGE' | 'UPDATE' | 'SUPERSEDE';

type Tx = Prisma.TransactionClient;

/** The rows each record owns, included in its snapshot. */
const OWNED = {
  Statement: {
    sources: { orderBy: { position: 'asc' }, select: { sourceId: true, position: true } },
    incidents: { orderBy: { incidentId: 'asc' }, select: { incidentId: true } },
  },
  Figure: { breakdown: { orderBy: { position: 'asc' }, select: { label: true, count: true, position: true } } },
  Incident: {
    places: { orderBy: { placeId: 'asc' }, select: { placeId: true } },
    participants: { orderBy: { id: 'asc' }, select: { id: true, role: true, organisationId: true, officialId: true, description: true, basisId: true } },
  },
  Official: {
    roles: { orderBy: { id: 'asc' }, select: { id: true, title: true, organisationId: true, placeId: true, startedOn: true, endedOn: true } },
  },
  Organisation: {},
  Place: {},
  Source: {},
} as const satisfies Record<EntityType, object>;

type Delegate = { findMany(args: { where: { id: { in: number[] } }; include: object }): Promise<{ id: number }[]> };

const delegate = (tx: Tx, entityType: EntityType) => (tx as unknown as Record<string, Delegate>)[entityType.charAt(0).toLowerCase() + entityType.slice(1)]!;

/** JSON-safe copy (dates as ISO strings). */
const json = (row: object): Prisma.InputJsonObject => JSON.parse(JSON.stringify(row)) as Prisma.InputJsonObject;

/** The records as they are now, whole, by id (absent ids are missing from the map). */
export async function snapshots(tx: Tx, entityType: EntityType, ids: readonly number[]): Promise<Map<number, Prisma.InputJsonObject>> {
  if (ids.length === 0) return new Map();
  const rows = await delegate(tx, entityType).findMany({ where: { id: { in: [...new Set(ids)] } }, include: OWNED[entityType] });
  return new Map(rows.map((row) => [row.id, json(row)]));
}

export async function snapshot(tx: Tx, entityType: EntityType, id: number): Promise<Prisma.InputJsonObject | null> {
  return (await snapshots(tx, entityType, [id])).get(id) ?? null;
}

export interface PendingChange {
  operation: Operation;
  entityType: EntityType;
  entityId: number;
  before: Prisma.InputJsonObject | null;
  after: Prisma.InputJsonObject | null;
}

/** A MERGE's record of the duplicate, which no longer exists. */
export const mergedAway = (merge: object): Prisma.InputJsonObject => json({ deleted: true, merge });

/**
 * The latest change recorded (null before any write): every write records one in
 * its own transaction, so anything derived from the data — a chart, a page — is the same for as
 * long as this is. HTTP validators (ETag, Last-Modified) are built on it.
 */
export async function lastChange(prisma: Pick<Prisma.TransactionClient, 'change'>): Promise<{ id: number; at: Date } | null> {
  return prisma.change.findFirst({ orderBy: { id: 'desc' }, select: { id: true, at: true } });
}
