// A partner's own IDs for the records it creates. They belong to the writer's owner (an API key,
// or the local operator), so two partners may use the same string for different records. A
// creation sent again with the same ID is a replay when its content is the same (the record is
// returned, nothing is written) and a Conflict naming the fields that differ when it is not:
// another partner's "99 injured" is never dropped as a repeat of someone's "5 killed".
import type { Prisma } from '../generated/prisma/client.js';
import { ConflictError } from '../rules/errors.js';
import { differingFields } from '../rules/differences.js';
import type { EntityType } from '../rules/ids.js';
import type { WriteSession } from './session.js';

/** The content a creation is compared by: its input with references resolved, as JSON. */
export const contentOf = (input: object): Prisma.InputJsonValue => JSON.parse(JSON.stringify(input)) as Prisma.InputJsonValue;

/**
 * The record an earlier creation with this external ID made, when `content` is the same, or
 * null when the ID is new. Holds a lock on the ID until the transaction ends, so two requests
 * creating it at once do not both create: the second waits and replays the first.
 */
export async function replayOf(
  session: WriteSession,
  entityType: EntityType,
  externalId: string,
  content: Prisma.InputJsonValue,
  field = 'externalId',
): Promise<number | null> {
  const owner = session.actor.owner;
  await session.tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`external-id:${owner}:${entityType}:${externalId}`}, 0))`;
  const earlier = await session.tx.externalId.findUnique({
    where: { ownerId_entityType_externalId: { ownerId: owner, entityType, externalId } },
  });
  if (!earlier) return null;
  // IDs recorded before inputs were kept compare as the same.
  const fields = earlier.input === null ? [] : differingFields(earlier.input, content);
  if (fields.length > 0) {
    throw new ConflictError(
      field,
      `"${externalId}" is already your external ID for another ${entityType.toLowerCase()} (created ${earlier.createdAt.toISOString()}); these fields differ from it: ${fields.join(', ')}. Use a new external ID for a new record, or update the existing one`,
      { differingFields: fields },
    );
  }
  return earlier.entityId;
}

/** Keeps `externalId` as the writer's name for the record just created. */
export async function keepExternalId(session: WriteSession, entityType: EntityType, externalId: string, entityId: number, content: Prisma.InputJsonValue) {
  await session.tx.externalId.create({ data: { ownerId: session.actor.owner, entityType, externalId, entityId, input: content } });
}

/** Refuses a figure's external ID the writer already uses for another figure. */
export async function refuseTakenExternalIds(session: WriteSession, entityType: EntityType, wanted: { field: string; externalId: string }[]) {
  if (wanted.length === 0) return;
  const taken = await session.tx.externalId.findMany({
    where: { ownerId: session.actor.owner, entityType, externalId: { in: wanted.map((w) => w.externalId) } },
    select: { externalId: true },
  });
  const first = wanted.find((w) => taken.some((t) => t.externalId === w.externalId));
  if (first) throw new ConflictError(first.field, `"${first.externalId}" is already your external ID for another ${entityType.toLowerCase()}`);
}
