// What every mutation does around its write: one transaction (once per idempotency key), the
// live-feed events published after it commits, and typed refusals. The writes themselves, and
// their rules, live in src/writes/.
import type { Context } from '../context.js';
import { writeTransaction, type Actor, type WriteSession } from '../writes/session.js';

export const IDEMPOTENCY_KEY =
  'Any string unique to this request (at most 200 characters): retrying with the same key returns the first result instead of writing again; the same key with other input is refused with a Conflict naming the fields that differ.';

export const actorOf = (ctx: Context): Actor => ({ apiKeyId: ctx.caller?.apiKeyId ?? null, owner: ctx.caller?.owner ?? 0 });

/** Runs `write` in one transaction, at most once per idempotency key, and publishes its events once committed. */
export async function runWrite<Result extends { replayed: boolean }>(
  ctx: Context,
  operation: string,
  input: unknown,
  idempotencyKey: string | null | undefined,
  write: (session: WriteSession) => Promise<Result>,
): Promise<Result> {
  const { result, replayed, events } = await writeTransaction(ctx.prisma, actorOf(ctx), write, { idempotency: { key: idempotencyKey, operation, input } });
  for (const event of events) ctx.events.publish(event);
  return { ...result, replayed: result.replayed || replayed };
}
