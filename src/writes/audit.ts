// Every write records what it changed, by whom, before and after: the audit trail admins query
// and the change feed partners sync from. Written in the same transaction as the change itself.
import type { Prisma } from '../generated/prisma/client.js';

export type Operation = 'CREATE' | 'REVISE' | 'RETRACT' | 'MERGE' | 'UPDATE' | 'DELETE';

export interface Actor {
  apiKeyId: number | null;
}

/** JSON-safe snapshot of a row (dates as ISO strings). */
function snapshot(row: object | null | undefined): Prisma.InputJsonValue | undefined {
  return row ? (JSON.parse(JSON.stringify(row)) as Prisma.InputJsonValue) : undefined;
}

export async function recordChange(
  tx: Prisma.TransactionClient,
  actor: Actor,
  change: { operation: Operation; entityType: string; entityId: number; before?: object | null; after?: object | null },
) {
  await tx.change.create({
    data: {
      apiKeyId: actor.apiKeyId,
      operation: change.operation,
      entityType: change.entityType,
      entityId: change.entityId,
      before: snapshot(change.before),
      after: snapshot(change.after),
    },
  });
}

/**
 * The latest change recorded (null before any write after the seed): every write records one in
 * its own transaction, so anything derived from the data — a chart, a page — is the same for as
 * long as this is. HTTP validators (ETag, Last-Modified) are built on it.
 */
export async function lastChange(prisma: Pick<Prisma.TransactionClient, 'change'>): Promise<{ id: number; at: Date } | null> {
  return prisma.change.findFirst({ orderBy: { id: 'desc' }, select: { id: true, at: true } });
}
