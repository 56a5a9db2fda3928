// Writes one batch of import records in one transaction. Every record is validated first (all
// rules that need no database, then its references by external ID); a bad record is reported
// with its line and reason and left out, so it never spoils the batch. If the database still
// refuses the batch, it is retried record by record, each in its own transaction, so one bad
// record cannot lose the others. The file's checkpoint (ImportRun) is updated in the same
// transaction as the batch: it never claims more than what was committed.
import type { Prisma, PrismaClient } from '../generated/prisma/client.js';
import type { ClaimEvent } from '../events/claim-events.js';
import type { Actor } from '../writes/audit.js';
import { ConflictError, InvalidInputError, NotFoundError, type InputIssue } from '../writes/errors.js';
import { prepareAcled } from './acled.js';
import { prepareNdjson } from './ndjson.js';
import type { SourceRecord } from './read.js';
import type { BadLine, EntityType, ImportFormat, PreparedRecord, RecordOutcome, Reference, Tx, WriteContext } from './types.js';

export interface Totals {
  records: number;
  created: number;
  alreadyPresent: number;
  bad: number;
}

export const zeroTotals = (): Totals => ({ records: 0, created: 0, alreadyPresent: 0, bad: 0 });

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
  /** The run's totals before this batch (zeros when the run starts). */
  before: Totals;
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
  /** Live-feed events of the statements written, to publish now that they have committed. */
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
    else if (outcome.status === 'ALREADY_PRESENT') totals.alreadyPresent++;
    else totals.bad++;
  }
  return totals;
}

function reasonOf(error: unknown): { reason: string; issues: InputIssue[] } {
  if (error instanceof InvalidInputError) return { reason: error.message, issues: error.issues };
  if (error instanceof NotFoundError) return { reason: error.message, issues: [{ field: error.field, rule: `no ${error.entityType} with this ${typeof error.id === 'string' ? 'external ID' : 'id'}` }] };
  if (error instanceof ConflictError) return { reason: error.message, issues: [{ field: error.field, rule: error.message }] };
  // A database error: its first line says what was refused.
  const message = String((error as Error)?.message ?? error).trim().split('\n').filter(Boolean).pop() ?? 'unknown error';
  return { reason: `the database refused the record: ${message.slice(0, 300)}`, issues: [] };
}

const bad = (line: number, error: unknown, prepared?: PreparedRecord): RecordOutcome => ({
  line,
  status: 'BAD',
  entityType: prepared?.entityType ?? null,
  externalId: prepared?.externalId ?? null,
  ...reasonOf(error),
});

/** A reference by external ID that names nothing in the database or earlier in the file. */
class ExternalIdNotFoundError extends NotFoundError {
  constructor(field: string, entityType: string, externalId: string) {
    super(field, entityType, externalId);
    this.message = `${field}: no ${entityType} with external ID "${externalId}" (neither in the database nor earlier in the file)`;
  }
}

const key = (entityType: EntityType, externalId: string) => `${entityType}\u0000${externalId}`;

async function existingExternalIds(db: Tx | PrismaClient, wanted: Map<EntityType, Set<string>>): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  const select = { id: true, externalId: true } as const;
  for (const [entityType, ids] of wanted) {
    if (ids.size === 0) continue;
    const where = { externalId: { in: [...ids] } };
    const rows: { id: number; externalId: string | null }[] =
      entityType === 'Place' ? await db.place.findMany({ where, select })
      : entityType === 'Organisation' ? await db.organisation.findMany({ where, select })
      : entityType === 'Official' ? await db.official.findMany({ where, select })
      : entityType === 'Source' ? await db.source.findMany({ where, select })
      : entityType === 'Incident' ? await db.incident.findMany({ where, select })
      : entityType === 'Statement' ? await db.statement.findMany({ where, select })
      : await db.figure.findMany({ where, select });
    for (const row of rows) found.set(key(entityType, row.externalId!), row.id);
  }
  return found;
}

function wantedOf(prepared: PreparedRecord[]): Map<EntityType, Set<string>> {
  const wanted = new Map<EntityType, Set<string>>();
  const want = (entityType: EntityType, externalId: string) => {
    if (!wanted.has(entityType)) wanted.set(entityType, new Set());
    wanted.get(entityType)!.add(externalId);
  };
  for (const record of prepared) {
    for (const need of record.needs) want(need.entityType, need.externalId);
    want(record.entityType, record.externalId);
    for (const figure of record.figureExternalIds ?? []) want('Figure', figure);
  }
  return wanted;
}

function writeContext(actor: Actor, known: Map<string, number>, events: ClaimEvent[], tx: Tx): WriteContext {
  return {
    actor,
    events,
    remember: (entityType, externalId, id) => void known.set(key(entityType, externalId), id),
    async resolve(ref: Reference) {
      const cached = known.get(key(ref.entityType, ref.externalId));
      if (cached !== undefined) return cached;
      const found = await existingExternalIds(tx, new Map([[ref.entityType, new Set([ref.externalId])]]));
      const id = found.get(key(ref.entityType, ref.externalId));
      if (id === undefined) throw new ExternalIdNotFoundError(ref.field, ref.entityType, ref.externalId);
      known.set(key(ref.entityType, ref.externalId), id);
      return id;
    },
  };
}

async function saveCheckpoint(tx: Tx, checkpoint: CheckpointUpdate, outcomes: RecordOutcome[]) {
  const totals = totalsOf(outcomes, checkpoint.before);
  const newBad = outcomes.filter((o) => o.status === 'BAD').map((o) => ({ line: o.line, reason: o.reason ?? '' }));
  const run = await tx.importRun.findUnique({ where: { fileSha256: checkpoint.fileSha256 }, select: { badLines: true } });
  const earlier = checkpoint.before.records > 0 && run ? (run.badLines as unknown as BadLine[]) : [];
  const badLines = [...earlier, ...newBad].slice(0, KEPT_BAD_LINES);
  const data = {
    fileName: checkpoint.fileName,
    format: checkpoint.format,
    lastLine: checkpoint.lastLine,
    nextByte: BigInt(checkpoint.nextByte),
    ...totals,
    badLines: badLines as unknown as Prisma.InputJsonValue,
    finishedAt: checkpoint.finished ? new Date() : null,
  };
  await tx.importRun.upsert({
    where: { fileSha256: checkpoint.fileSha256 },
    create: { fileSha256: checkpoint.fileSha256, ...data },
    update: checkpoint.before.records > 0 ? data : { ...data, startedAt: new Date() },
  });
}

/** The checkpoint stored for a file, or null when it was never imported. */
export async function loadCheckpoint(prisma: PrismaClient, fileSha256: string): Promise<Checkpoint | null> {
  const run = await prisma.importRun.findUnique({ where: { fileSha256 } });
  if (!run) return null;
  return { ...run, nextByte: Number(run.nextByte), badLines: run.badLines as unknown as BadLine[] };
}

/** Validates every record; returns the outcomes of bad ones and the records ready to write. */
export async function prepareBatch(
  prisma: PrismaClient,
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
        if (!header) throw new InvalidInputError([{ field: '(header)', rule: 'an ACLED file starts with its header row' }]);
        prepared.push(prepareAcled(header, record.line, record.text));
      }
    } catch (error) {
      if (!(error instanceof InvalidInputError || error instanceof NotFoundError)) throw error;
      refused.push(bad(record.line, error));
    }
  }

  // References: each must exist already or be defined by an earlier good record of this batch.
  const existing = await existingExternalIds(prisma, wantedOf(prepared));
  const defined = new Set(existing.keys());
  const ready: PreparedRecord[] = [];
  for (const record of prepared) {
    const missing = record.needs.find((need) => !defined.has(key(need.entityType, need.externalId)));
    if (missing) {
      refused.push(bad(record.line, new ExternalIdNotFoundError(missing.field, missing.entityType, missing.externalId), record));
      continue;
    }
    if (record.entityType === 'Statement' && !existing.has(key('Statement', record.externalId)) && !defined.has(key('Statement', record.externalId))) {
      const taken = (record.figureExternalIds ?? []).find((figure) => defined.has(key('Figure', figure)));
      if (taken) {
        refused.push(bad(record.line, new InvalidInputError([{ field: 'figures.externalId', rule: `"${taken}" is already the external ID of another statement's figure` }]), record));
        continue;
      }
    }
    defined.add(key(record.entityType, record.externalId));
    for (const figure of record.figureExternalIds ?? []) defined.add(key('Figure', figure));
    ready.push(record);
  }
  return { ready, refused };
}

async function writeAll(prisma: PrismaClient, actor: Actor, ready: PreparedRecord[], checkpoint: CheckpointUpdate | null, refused: RecordOutcome[]) {
  return prisma.$transaction(
    async (tx) => {
      const events: ClaimEvent[] = [];
      const known = await existingExternalIds(tx, wantedOf(ready));
      const context = writeContext(actor, known, events, tx);
      const outcomes: RecordOutcome[] = [];
      for (const record of ready) {
        const created = await record.write(tx, context);
        outcomes.push({ line: record.line, status: created ? 'CREATED' : 'ALREADY_PRESENT', entityType: record.entityType, externalId: record.externalId, reason: null, issues: [] });
      }
      if (checkpoint) await saveCheckpoint(tx, checkpoint, [...outcomes, ...refused]);
      return { outcomes, events };
    },
    { timeout: BATCH_TIMEOUT_MS, maxWait: BATCH_TIMEOUT_MS },
  );
}

/**
 * Imports one batch: bad records are reported and skipped, the good ones are committed together
 * (or, if the database refuses the batch, one by one). Outcomes come back in line order.
 */
export async function importBatch(
  prisma: PrismaClient,
  actor: Actor,
  format: ImportFormat,
  records: SourceRecord[],
  options: { header?: string[] | null; checkpoint?: CheckpointUpdate | null } = {},
): Promise<BatchResult> {
  const checkpoint = options.checkpoint ?? null;
  const { ready, refused } = await prepareBatch(prisma, format, records, options.header ?? null);
  let written: BatchResult;
  try {
    written = await writeAll(prisma, actor, ready, checkpoint, refused);
  } catch {
    // One record the checks could not foresee (a race, a constraint): write them one at a time.
    const outcomes: RecordOutcome[] = [];
    const events: ClaimEvent[] = [];
    for (const record of ready) {
      try {
        const one = await writeAll(prisma, actor, [record], null, []);
        outcomes.push(...one.outcomes);
        events.push(...one.events);
      } catch (error) {
        outcomes.push(bad(record.line, error, record));
      }
    }
    if (checkpoint) await prisma.$transaction((tx) => saveCheckpoint(tx, checkpoint, [...outcomes, ...refused]));
    written = { outcomes, events };
  }
  return { outcomes: [...written.outcomes, ...refused].sort((a, b) => a.line - b.line), events: written.events };
}
