// One write transaction, whoever asks for it (a GraphQL mutation, an import batch, the seed):
// the writes run in it, every change they record is added to the change feed at the end, in
// commit order, and the live-feed events are handed back to publish once it has committed.
// Idempotency keys are honoured here too: a retry with the same key and input returns the first
// result; the same key with other input is a Conflict naming the fields that differ.
import { createHash } from 'node:crypto';
import type { ClaimEvent } from '../events/claim-events.js';
import { Prisma, type PrismaClient } from '../generated/prisma/client.js';
import { ConflictError } from '../rules/errors.js';
import { differingFields } from '../rules/differences.js';
import { parseInput } from '../rules/parse.js';
import { words } from '../rules/text.js';
import { refreshStandings, scopeOfChanges } from '../claims/standing-positions.js';
import { snapshot, type Operation, type PendingChange } from './audit.js';
import type { EntityType } from '../rules/ids.js';

export type Tx = Prisma.TransactionClient;

/** Who writes. */
export interface Actor {
  /** The API key, for the audit trail (null: the local command line, the seed). */
  apiKeyId: number | null;
  /** Whose external IDs and idempotency keys these are: the key's owner, 0 for the local operator. */
  owner: number;
}

export const LOCAL_OPERATOR: Actor = { apiKeyId: null, owner: 0 };

export interface WriteSession {
  tx: Tx;
  actor: Actor;
  /** Changes recorded so far, added to the feed when the transaction ends. */
  readonly changes: PendingChange[];
  /** Live-feed events, published after commit. */
  readonly events: ClaimEvent[];
}

/** Records a change; `after` is read now (the record as this write left it) unless given. */
export async function recordChange(
  session: WriteSession,
  change: { operation: Operation; entityType: EntityType; entityId: number; before: Prisma.InputJsonObject | null; after?: Prisma.InputJsonObject | null },
): Promise<void> {
  const after = change.after !== undefined ? change.after : await snapshot(session.tx, change.entityType, change.entityId);
  session.changes.push({ ...change, after });
}

/**
 * The change feed is read in id order, so ids must follow commit order: a change that commits
 * later must never get a smaller id than one a reader has already seen. Changes are therefore
 * inserted at the very end of their transaction under one lock, held until commit.
 */
const CHANGE_FEED_LOCK = 7_310_201;

/** The end of every write: the kept positions of what it touched recomputed, then its changes added to the feed. */
async function finish(session: WriteSession): Promise<void> {
  if (session.changes.length === 0) return;
  await refreshStandings(session.tx, await scopeOfChanges(session.tx, session.changes));
  await flushChanges(session);
}

async function flushChanges(session: WriteSession): Promise<void> {
  await session.tx.$executeRaw`SELECT pg_advisory_xact_lock(${CHANGE_FEED_LOCK}::bigint)`;
  const at = new Date();
  await session.tx.change.createMany({
    data: session.changes.map((change) => ({
      at,
      apiKeyId: session.actor.apiKeyId,
      operation: change.operation,
      entityType: change.entityType,
      entityId: change.entityId,
      before: change.before ?? Prisma.DbNull,
      after: change.after ?? Prisma.DbNull,
    })),
  });
}

const idempotencyKeyRule = words(200);

export interface Idempotency {
  key: string | null | undefined;
  /** The mutation, so one key cannot be replayed as another operation. */
  operation: string;
  /** The request's input as sent: a retry must send the same. */
  input: unknown;
}

const WRITE_TIMEOUT_MS = 30_000;

/**
 * Runs `write` in one transaction. With an idempotency key, at most once per key: the first
 * result is stored with the key (the `events` are not: they were published the first time).
 */
export async function writeTransaction<Result extends object>(
  prisma: PrismaClient,
  actor: Actor,
  write: (session: WriteSession) => Promise<Result>,
  options: { idempotency?: Idempotency; timeoutMs?: number } = {},
): Promise<{ result: Result; replayed: boolean; events: ClaimEvent[] }> {
  const idempotency = options.idempotency?.key != null ? options.idempotency : null;
  // A key the database would store mangled (an unpaired surrogate) could match another one.
  const key = idempotency ? parseInput(idempotencyKeyRule, idempotency.key, 'idempotencyKey') : null;
  const input = idempotency ? (JSON.parse(JSON.stringify(idempotency.input ?? null)) as Prisma.InputJsonValue) : null;
  const requestHash = idempotency ? createHash('sha256').update(JSON.stringify(input)).digest('hex') : null;
  const timeout = options.timeoutMs ?? WRITE_TIMEOUT_MS;
  return prisma.$transaction(
    async (tx) => {
      const session: WriteSession = { tx, actor, changes: [], events: [] };
      if (idempotency && key !== null) {
        const where = { ownerId_key: { ownerId: actor.owner, key } };
        // Two retries racing with one key: the second waits for the first, then replays it.
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`idempotency:${actor.owner}:${key}`}, 0))`;
        const earlier = await tx.idempotencyRecord.findUnique({ where });
        if (earlier) {
          if (earlier.requestHash !== requestHash || earlier.operation !== idempotency.operation) {
            const fields = earlier.operation !== idempotency.operation ? [] : earlier.input === null ? [] : differingFields(earlier.input, input);
            throw new ConflictError(
              'idempotencyKey',
              earlier.operation !== idempotency.operation
                ? `was already used for a ${earlier.operation} request: use a new key for each request`
                : `was already used for a different request${fields.length ? ` (these fields differ: ${fields.join(', ')})` : ''}: use a new key for each request`,
              { differingFields: fields },
            );
          }
          return { result: earlier.result as Result, replayed: true, events: [] };
        }
        const result = await write(session);
        await tx.idempotencyRecord.create({
          data: {
            ownerId: actor.owner,
            key,
            operation: idempotency.operation,
            requestHash: requestHash!,
            input: input ?? Prisma.DbNull,
            result: JSON.parse(JSON.stringify(result)),
          },
        });
        await finish(session);
        return { result, replayed: false, events: session.events };
      }
      const result = await write(session);
      await finish(session);
      return { result, replayed: false, events: session.events };
    },
    { timeout, maxWait: timeout },
  );
}
