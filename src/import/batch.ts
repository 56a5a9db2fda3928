// Writes one batch of import records in one transaction, each record through the same write
// functions as the GraphQL API. Every record is checked first (all rules that need no database,
// then its references by external ID); a bad record is reported with its line and reason and
// left out — also when the write itself refuses it (a Conflict, say), which is undone to a
// savepoint taken before the record, so it never spoils the batch. The file's checkpoint
// (ImportRun) belongs to the importer (an API key's owner, or the local operator), is moved on
// in the same transaction as the batch, and its totals are counted here from what committed:
// it never claims more than was written.
import type { Prisma, PrismaClient } from '../generated/prisma/client.js';
import type { ClaimEvent } from '../events/claim-events.js';
import { ConflictError, InvalidInputError, NotFoundError, type InputIssue } from '../rules/errors.js';
import type { EntityType } from '../rules/ids.js';
import { externalIdsFor } from '../writes/references.js';
import { writeTransaction, type Actor, type Tx, type WriteSession } from '../writes/session.js';
import { prepareAcled } from './acled.js';
import { prepareNdjson } from './ndjson.js';
import type { SourceRecord } from './read.js';
import type { BadLine, ExternalReference, ImportFormat, PreparedRecord, RecordOutcome } from './types.js';

export interface Totals {
  records: number;
  created: number;
  changed: number;
  alreadyPresent: number;
  bad: number;
}

export const zeroTotals = (): Totals => ({ records: 0, created: 0, changed: 0, alreadyPresent: 0, bad: 0 });

/** Where the file stands once this batch commits. */
export interface CheckpointUpdate {
  fileSha256: string;
  fileName: string;
  format: ImportFormat;
  /** The last line this batch covers, and the byte offset after it. */
  lastLine: number;
  nextByte: number;
  /** True for the file's last batch. */
  finished: boolean;
  /** True for the first batch of a run (from the file's start): the earlier run's totals are dropped. */
  fresh: boolean;
}

export interface Checkpoint extends Totals {
  fileSha256: string;
  fileName: string;
  format: string;
  lastLine: number;
  nextByte: number;
  badLines: BadLine[];
  startedAt: Date;
  finishedAt: Date | null;
}

export interface BatchResult {
  outcomes: RecordOutcome[];
  /** Live-feed events of the records written, to publish now that they have committed. */
  events: ClaimEvent[];
}

/** At most this many bad lines are kept with a checkpoint (all are always returned per batch). */
const KEPT_BAD_LINES = 1_000;
const BATCH_TIMEOUT_MS = 300_000;

export function totalsOf(outcomes: RecordOutcome[], before: Totals = zeroTotals()): Totals {
  const totals = { ...before };
  for (const outcome of outcomes) {
    totals.records++;
    if (outcome.status === 'CREATED') totals.created++;
    else if (outcome.status === 'CHANGED') totals.changed++;
    else if (outcome.status === 'ALREADY_PRESENT') totals.alreadyPresent++;
    else totals.bad++;
  }
  return totals;
}

const isRefusal = (error: unknown) => error instanceof InvalidInputError || error instanceof NotFoundError || error instanceof ConflictError;

function reasonOf(error: unknown): { reason: string; issues: InputIssue[] } {
  if (error instanceof InvalidInputError) return { reason: error.message, issues: error.issues };
  if (error instanceof NotFoundError)
    return { reason: error.message, issues: [{ field: error.field, rule: error.message.slice(error.field.length + 2), code: 'NOT_AN_ID' }] };
  if (error instanceof ConflictError) return { reason: error.message, issues: [{ field: error.field, rule: error.reason, code: 'NOT_ALLOWED' }] };
  // A database error: its last line says what was refused.
  const message =
    String((error as Error)?.message ?? error)
      .trim()
      .split('\n')
      .filter(Boolean)
      .pop() ?? 'unknown error';
  return { reason: `the database refused the record: ${message.slice(0, 300)}`, issues: [] };
}

const bad = (line: number, error: unknown, prepared?: PreparedRecord): RecordOutcome => ({
  line,
  status: 'BAD',
  entityType: prepared?.entityType ?? null,
  externalId: prepared?.externalId ?? null,
  ...reasonOf(error),
});

const key = (entityType: EntityType, externalId: string) => `${entityType}\u0000${externalId}`;

/** Which of the wanted external IDs name something the importer may point at. */
async function existing(prisma: PrismaClient, actor: Actor, wanted: ExternalReference[]): Promise<Set<string>> {
  const found = new Set<string>();
  const types = [...new Set(wanted.map((w) => w.entityType))];
  await prisma.$transaction(async (tx) => {
    const session: WriteSession = { tx, actor, changes: [], events: [] };
    for (const entityType of types) {
      const ids = await externalIdsFor(session, entityType, [...new Set(wanted.filter((w) => w.entityType === entityType).map((w) => w.externalId))]);
      for (const externalId of ids.keys()) found.add(key(entityType, externalId));
    }
  });
  return found;
}

/** Checks every record; returns the outcomes of bad ones and the records ready to write. */
export async function prepareBatch(
  prisma: PrismaClient,
  actor: Actor,
  format: ImportFormat,
  records: SourceRecord[],
  header: string[] | null,
): Promise<{ ready: PreparedRecord[]; refused: RecordOutcome[] }> {
  const refused: RecordOutcome[] = [];
  const prepared: PreparedRecord[] = [];
  for (const record of records) {
    try {
      if (format === 'ndjson') prepared.push(prepareNdjson(record.line, record.text));
      else {
        if (!header) throw new InvalidInputError([{ field: '(header)', rule: 'an ACLED file starts with its header row', code: 'REQUIRED' }]);
        prepared.push(prepareAcled(header, record.line, record.text));
      }
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      refused.push(bad(record.line, error));
    }
  }
  // References: each must exist already or be defined by an earlier good record of this batch.
  const defined = await existing(
    prisma,
    actor,
    prepared.flatMap((record) => record.needs),
  );
  const ready: PreparedRecord[] = [];
  for (const record of prepared) {
    const missing = record.needs.find((need) => !defined.has(key(need.entityType, need.externalId)));
    if (missing) {
      refused.push(bad(record.line, new NotFoundError(missing.field, missing.entityType, missing.externalId, 'externalId'), record));
      continue;
    }
    for (const name of record.defines) defined.add(key(name.entityType, name.externalId));
    ready.push(record);
  }
  return { ready, refused };
}

async function saveCheckpoint(tx: Tx, actor: Actor, checkpoint: CheckpointUpdate, outcomes: RecordOutcome[]) {
  const where = { ownerId_fileSha256: { ownerId: actor.owner, fileSha256: checkpoint.fileSha256 } };
  const run = await tx.importRun.findUnique({ where });
  if (!checkpoint.fresh) {
    if (!run) throw new ConflictError('checkpoint', 'no import of this file is under way for you: start it from its first line (fresh: true)');
    // Only forward; the same line again only to mark the file finished (an empty last batch).
    if (run.lastLine > checkpoint.lastLine || (run.lastLine === checkpoint.lastLine && outcomes.length > 0)) {
      throw new ConflictError('checkpoint.lastLine', `the import of this file has already committed up to line ${run.lastLine}: go on from there`);
    }
  }
  const before = checkpoint.fresh || !run ? zeroTotals() : run;
  const { records, created, changed, alreadyPresent, bad } = totalsOf(outcomes, before);
  const newBad = outcomes.filter((o) => o.status === 'BAD').map((o) => ({ line: o.line, reason: o.reason ?? '' }));
  const earlier = !checkpoint.fresh && run ? (run.badLines as unknown as BadLine[]) : [];
  const data = {
    fileName: checkpoint.fileName,
    format: checkpoint.format,
    lastLine: checkpoint.lastLine,
    nextByte: BigInt(checkpoint.nextByte),
    records,
    created,
    changed,
    alreadyPresent,
    bad,
    badLines: [...earlier, ...newBad].slice(0, KEPT_BAD_LINES) as unknown as Prisma.InputJsonValue,
    finishedAt: checkpoint.finished ? new Date() : null,
    ...(checkpoint.fresh ? { startedAt: new Date() } : {}),
  };
  await tx.importRun.upsert({ where, create: { ownerId: actor.owner, fileSha256: checkpoint.fileSha256, ...data }, update: data });
}

/** The importer's checkpoint for a file, or null when it never imported it. */
export async function loadCheckpoint(prisma: PrismaClient, actor: Actor, fileSha256: string): Promise<Checkpoint | null> {
  const run = await prisma.importRun.findUnique({ where: { ownerId_fileSha256: { ownerId: actor.owner, fileSha256 } } });
  if (!run) return null;
  return { ...run, nextByte: Number(run.nextByte), badLines: run.badLines as unknown as BadLine[] };
}

/** Writes the ready records, each undone to its own savepoint if the write refuses it. */
async function writeAll(session: WriteSession, ready: PreparedRecord[]): Promise<RecordOutcome[]> {
  const { tx } = session;
  const outcomes: RecordOutcome[] = [];
  for (const record of ready) {
    const mark = { changes: session.changes.length, events: session.events.length };
    await tx.$executeRaw`SAVEPOINT import_record`;
    try {
      const status = await record.write(session);
      await tx.$executeRaw`RELEASE SAVEPOINT import_record`;
      outcomes.push({ line: record.line, status, entityType: record.entityType, externalId: record.externalId, reason: null, issues: [] });
    } catch (error) {
      if (!isRefusal(error)) throw error;
      await tx.$executeRaw`ROLLBACK TO SAVEPOINT import_record`;
      session.changes.length = mark.changes;
      session.events.length = mark.events;
      outcomes.push(bad(record.line, error, record));
    }
  }
  return outcomes;
}

/**
 * Imports one batch: bad records are reported and skipped, the good ones are committed together
 * (or, if the database refuses the batch for a reason no check foresaw, one by one). Outcomes
 * come back in line order.
 */
export async function importBatch(
  prisma: PrismaClient,
  actor: Actor,
  format: ImportFormat,
  records: SourceRecord[],
  options: { header?: string[] | null; checkpoint?: CheckpointUpdate | null } = {},
): Promise<BatchResult> {
  const checkpoint = options.checkpoint ?? null;
  const { ready, refused } = await prepareBatch(prisma, actor, format, records, options.header ?? null);
  const inOrder = (outcomes: RecordOutcome[]) => [...outcomes, ...refused].sort((a, b) => a.line - b.line);
  const timeoutMs = BATCH_TIMEOUT_MS;
  try {
    const { result, events } = await writeTransaction(
      prisma,
      actor,
      async (session) => {
        const outcomes = await writeAll(session, ready);
        if (checkpoint) await saveCheckpoint(session.tx, actor, checkpoint, [...outcomes, ...refused]);
        return outcomes;
      },
      { timeoutMs },
    );
    return { outcomes: inOrder(result), events };
  } catch (error) {
    if (isRefusal(error)) throw error; // the checkpoint itself was refused
    // A record the checks could not foresee (a race, a constraint): write them one at a time.
    const outcomes: RecordOutcome[] = [];
    const events: ClaimEvent[] = [];
    for (const record of ready) {
      try {
        const one = await writeTransaction(prisma, actor, async (session) => writeAll(session, [record]), { timeoutMs });
        outcomes.push(...one.result);
        events.push(...one.events);
      } catch (failure) {
        outcomes.push(bad(record.line, failure, record));
      }
    }
    if (checkpoint) await prisma.$transaction((tx) => saveCheckpoint(tx, actor, checkpoint, [...outcomes, ...refused]));
    return { outcomes: inOrder(outcomes), events };
  }
}
