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
