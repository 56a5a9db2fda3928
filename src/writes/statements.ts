// Recording claims: a statement with its claimant, source chain, incidents and figures, in one
// transaction; revisions (a new figure superseding an old one, never overwriting it) and
// retractions (a mark with a reason). Every rule is checked before anything is written, every
// write is audited, and each returns the live-feed events to publish once it has committed.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { Prisma, type PrismaClient } from '../generated/prisma/client.js';
import {
  ClaimantAffiliation,
  ClaimantKind,
  DatePrecision,
  FigureMetric,
  QuantityKind,
  Side,
  StatementKind,
  VerificationStatus,
  VictimCategory,
} from '../generated/prisma/enums.js';
import type { ClaimEvent } from '../events/claim-events.js';
import { claimantKey } from '../claims/standing.js';
import { recordChange, type Actor } from './audit.js';
import { ConflictError, InvalidInputError, NotFoundError } from './errors.js';
import { MAX_ID, parseInput, plausibleDate, values, words } from './rules.js';

const id = z.number().int().positive().max(MAX_ID, 'is not an ID that can exist');
const count = z.number().int('must be a whole number').min(0, 'must not be negative').max(10_000_000, 'must be at most 10,000,000');

/** The quantity as said. The same rules hold in the database (CHECK constraints). */
const quantity = z
  .object({ kind: z.enum(values(QuantityKind)), low: count.nullish(), high: count.nullish(), phrase: words(200) })
  .superRefine((q, ctx) => {
    const need = (field: 'low' | 'high', present: boolean, why: string) => {
      if ((q[field] != null) !== present) ctx.addIssue({ code: 'custom', path: [field], message: why });
    };
    switch (q.kind) {
      case 'EXACT':
      case 'APPROXIMATE':
        need('low', true, `is required for ${q.kind} (the number said)`);
        need('high', true, `is required for ${q.kind} and must equal low`);
        if (q.low != null && q.high != null && q.low !== q.high) ctx.addIssue({ code: 'custom', path: ['high'], message: `must equal low for ${q.kind}` });
        break;
      case 'AT_LEAST':
        need('low', true, 'is required for AT_LEAST (the bound said)');
        need('high', false, 'must be left out for AT_LEAST: the words give no upper bound');
        break;
      case 'AT_MOST':
        need('high', true, 'is required for AT_MOST (the bound said)');
        need('low', false, 'must be left out for AT_MOST: the words give no lower bound');
        break;
      case 'RANGE':
        need('low', true, 'is required for RANGE');
        need('high', true, 'is required for RANGE');
        if (q.low != null && q.high != null && q.low >= q.high) ctx.addIssue({ code: 'custom', path: ['high'], message: `must be above low (${q.low}) for a RANGE` });
        break;
      case 'UNQUANTIFIED':
        need('low', false, 'must be left out for UNQUANTIFIED: no number is invented for words like "dozens"');
        need('high', false, 'must be left out for UNQUANTIFIED: no number is invented for words like "dozens"');
        break;
    }
  });

const figure = z.object({
  externalId: words(200).optional(),
  metric: z.enum(values(FigureMetric)),
  victimCategory: z.enum(values(VictimCategory)),
  side: z.enum(values(Side)),
  victimDescription: words(500),
  countedOrganisationId: id.nullish(),
  placeId: id.nullish(),
  incidentId: id.nullish(),
  quantity,
  breakdown: z.array(z.object({ label: words(100), count })).max(50).default([]),
  /** Revise this figure: it stays, superseded by the new one. */
  supersedes: z.object({ figureId: id, expectedVersion: z.number().int() }).nullish(),
});

export const recordStatementInput = z
  .object({
    externalId: words(200).optional(),
    kind: z.enum(values(StatementKind)),
    claimant: z.object({
      kind: z.enum(values(ClaimantKind)),
      officialId: id.nullish(),
      organisationId: id.nullish(),
      description: words(500),
      affiliation: z.enum(values(ClaimantAffiliation)).default('UNKNOWN'),
    }),
    madeAt: plausibleDate.nullish(),
    madeAtPrecision: z.enum(values(DatePrecision)).default('DAY'),
    text: words(20_000),
    isDirectQuote: z.boolean().default(false),
    verification: z.enum(values(VerificationStatus)).default('NOT_ASSESSED'),
    verificationNote: words(2_000).nullish(),
    verifiedById: id.nullish(),
    sourceIds: z.array(id).max(20).default([]),
    incidentIds: z.array(id).max(100).default([]),
    figures: z.array(figure).max(200).default([]),
  })
  .superRefine((s, ctx) => {
    const { kind, officialId, organisationId } = s.claimant;
    const rule = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: ['claimant', path], message });
    if (kind === 'OFFICIAL' && !officialId) rule('officialId', 'is required when the claimant is an OFFICIAL');
    if (kind === 'ORGANISATION' && !organisationId) rule('organisationId', 'is required when the claimant is an ORGANISATION');
    if (kind !== 'OFFICIAL' && officialId) rule('officialId', `must be left out for a ${kind} claimant`);
    if (kind !== 'ORGANISATION' && organisationId) rule('organisationId', `must be left out for a ${kind} claimant`);
    if (s.madeAt && s.madeAt.getTime() > Date.now() + 24 * 3600_000) {
      ctx.addIssue({ code: 'custom', path: ['madeAt'], message: 'must not be in the future' });
    }
  });

export type RecordStatementInput = z.input<typeof recordStatementInput>;
type Parsed = z.output<typeof recordStatementInput>;

/** Parses input against the rules, or throws InvalidInputError listing every problem. */
export function validateStatement(input: unknown): Parsed {
  return parseInput(recordStatementInput, input);
}

type Tx = Prisma.TransactionClient;

/** Every id the input names exists, as the type the field expects. */
async function checkReferences(tx: Tx, input: Parsed) {
  const wanted: { field: string; entityType: 'Official' | 'Organisation' | 'Source' | 'Incident' | 'Place' | 'Figure'; id: number }[] = [];
  const want = (field: string, entityType: (typeof wanted)[number]['entityType'], value: number | null | undefined) => {
    if (value) wanted.push({ field, entityType, id: value });
  };
  want('claimant.officialId', 'Official', input.claimant.officialId);
  want('claimant.organisationId', 'Organisation', input.claimant.organisationId);
  want('verifiedById', 'Organisation', input.verifiedById);
  input.sourceIds.forEach((value, n) => want(`sourceIds[${n}]`, 'Source', value));
  input.incidentIds.forEach((value, n) => want(`incidentIds[${n}]`, 'Incident', value));
  input.figures.forEach((f, n) => {
    want(`figures[${n}].countedOrganisationId`, 'Organisation', f.countedOrganisationId);
    want(`figures[${n}].placeId`, 'Place', f.placeId);
    want(`figures[${n}].incidentId`, 'Incident', f.incidentId);
    want(`figures[${n}].supersedes.figureId`, 'Figure', f.supersedes?.figureId);
  });
  const tables = {
    Official: (ids: number[]) => tx.official.findMany({ where: { id: { in: ids } }, select: { id: true } }),
    Organisation: (ids: number[]) => tx.organisation.findMany({ where: { id: { in: ids } }, select: { id: true } }),
    Source: (ids: number[]) => tx.source.findMany({ where: { id: { in: ids } }, select: { id: true } }),
    Incident: (ids: number[]) => tx.incident.findMany({ where: { id: { in: ids } }, select: { id: true } }),
    Place: (ids: number[]) => tx.place.findMany({ where: { id: { in: ids } }, select: { id: true } }),
    Figure: (ids: number[]) => tx.figure.findMany({ where: { id: { in: ids } }, select: { id: true } }),
  };
  for (const [entityType, find] of Object.entries(tables)) {
    const ids = wanted.filter((w) => w.entityType === entityType).map((w) => w.id);
    if (ids.length === 0) continue;
    const found = new Set((await find([...new Set(ids)])).map((row) => row.id));
    const missing = wanted.find((w) => w.entityType === entityType && !found.has(w.id));
    if (missing) throw new NotFoundError(missing.field, missing.entityType, missing.id);
  }
}

/** Claims the old figure for revision: it must stand, count the same thing, and be at the version the writer read. */
async function claimForRevision(tx: Tx, field: string, revision: Parsed['figures'][number]) {
  const { figureId, expectedVersion } = revision.supersedes!;
  const old = await tx.figure.findUniqueOrThrow({ where: { id: figureId }, include: { supersededBy: { select: { id: true } } } });
  if (old.metric !== revision.metric || old.side !== revision.side) {
    throw new InvalidInputError([{ field: `${field}.metric`, rule: `a revision counts the same thing as figure ${figureId} (${old.metric}, ${old.side})` }]);
  }
  if (old.supersededBy) throw new ConflictError(`${field}.supersedes`, `figure ${figureId} was already revised by figure ${old.supersededBy.id}`, old.version);
  if (old.retractedAt) throw new ConflictError(`${field}.supersedes`, `figure ${figureId} was retracted`, old.version);
  // Compare-and-set: only the writer who read the current version gets to revise it.
  const { count: claimed } = await tx.figure.updateMany({ where: { id: figureId, version: expectedVersion }, data: { version: { increment: 1 } } });
  if (claimed === 0) throw new ConflictError(`${field}.supersedes.expectedVersion`, `figure ${figureId} is at version ${old.version}, not ${expectedVersion}: re-read it and try again`, old.version);
  return old;
}

export interface RecordResult {
  statementId: number;
  figureIds: number[];
  /** True when the same request had already been recorded (same externalId or idempotency key). */
  replayed: boolean;
  events: ClaimEvent[];
}

/** Records a statement and its figures. `tx` is a transaction the caller opened (see `inTransaction`). */
export async function recordStatement(tx: Tx, actor: Actor, raw: unknown): Promise<RecordResult> {
  const input = validateStatement(raw);
  if (input.externalId) {
    const existing = await tx.statement.findUnique({ where: { externalId: input.externalId }, include: { figures: { select: { id: true } } } });
    if (existing) return { statementId: existing.id, figureIds: existing.figures.map((f) => f.id), replayed: true, events: [] };
  }
  await checkReferences(tx, input);

  const statement = await tx.statement.create({
    data: {
      externalId: input.externalId,
      kind: input.kind,
      claimantKind: input.claimant.kind,
      officialId: input.claimant.officialId,
      organisationId: input.claimant.organisationId,
      claimantDescription: input.claimant.description,
      claimantAffiliation: input.claimant.affiliation,
      madeAt: input.madeAt,
      madeAtPrecision: input.madeAtPrecision,
      text: input.text,
      isDirectQuote: input.isDirectQuote,
      verification: input.verification,
      verificationNote: input.verificationNote,
      verifiedById: input.verifiedById,
      sources: { create: input.sourceIds.map((sourceId, position) => ({ sourceId, position })) },
      incidents: { create: [...new Set(input.incidentIds)].map((incidentId) => ({ incidentId })) },
    },
  });
  await recordChange(tx, actor, { operation: 'CREATE', entityType: 'Statement', entityId: statement.id, after: statement });

  const events: ClaimEvent[] = [];
  const figureIds: number[] = [];
  const at = new Date().toISOString();
  for (const [n, f] of input.figures.entries()) {
    const old = f.supersedes ? await claimForRevision(tx, `figures[${n}]`, f) : null;
    const created = await tx.figure.create({
      data: {
        externalId: f.externalId,
        statementId: statement.id,
        metric: f.metric,
        victimCategory: f.victimCategory,
        side: f.side,
        victimDescription: f.victimDescription,
        countedOrganisationId: f.countedOrganisationId,
        placeId: f.placeId,
        incidentId: f.incidentId,
        quantityKind: f.quantity.kind,
        low: f.quantity.low,
        high: f.quantity.high,
        phrase: f.quantity.phrase,
        supersedesId: old?.id,
        breakdown: { create: f.breakdown.map((item, position) => ({ ...item, position })) },
      },
    });
    figureIds.push(created.id);
    await recordChange(tx, actor, { operation: old ? 'REVISE' : 'CREATE', entityType: 'Figure', entityId: created.id, before: old, after: created });
    events.push({
      kind: old ? 'REVISED' : 'CLAIMED',
      statementId: statement.id,
      figureId: created.id,
      incidentIds: [...new Set([f.incidentId, ...input.incidentIds].filter((v): v is number => !!v))],
      placeIds: f.placeId ? [f.placeId] : [],
      claimantKey: claimantKey({
        claimantKind: input.claimant.kind,
        officialId: input.claimant.officialId,
        organisationId: input.claimant.organisationId,
        claimantDescription: input.claimant.description,
      }),
      at,
    });
  }
  return { statementId: statement.id, figureIds, replayed: false, events };
}

/**
 * A revised figure: a new statement by the same claimant (unless another is given) claiming a
 * new quantity for the same thing, superseding the old figure.
 */
export async function reviseFigure(
  tx: Tx,
  actor: Actor,
  revision: {
    figureId: number;
    expectedVersion: number;
    quantity: unknown;
    breakdown?: unknown[];
    text: string;
    madeAt?: Date | null;
    madeAtPrecision?: string | null;
    sourceIds?: number[];
    externalId?: string | null;
  },
): Promise<RecordResult> {
  const old = await tx.figure.findUnique({ where: { id: revision.figureId }, include: { statement: { include: { incidents: true, sources: true } } } });
  if (!old) throw new NotFoundError('figure', 'Figure', revision.figureId);
  const said = old.statement;
  return recordStatement(tx, actor, {
    externalId: revision.externalId ?? undefined,
    kind: said.kind,
    claimant: {
      kind: said.claimantKind,
      officialId: said.officialId,
      organisationId: said.organisationId,
      description: said.claimantDescription,
      affiliation: said.claimantAffiliation,
    },
    madeAt: revision.madeAt,
    madeAtPrecision: revision.madeAtPrecision ?? undefined,
    text: revision.text,
    sourceIds: revision.sourceIds ?? said.sources.sort((a, b) => a.position - b.position).map((s) => s.sourceId),
    incidentIds: said.incidents.map((link) => link.incidentId),
    figures: [
      {
        metric: old.metric,
        victimCategory: old.victimCategory,
        side: old.side,
        victimDescription: old.victimDescription,
        countedOrganisationId: old.countedOrganisationId,
        placeId: old.placeId,
        incidentId: old.incidentId,
        quantity: revision.quantity,
        breakdown: revision.breakdown ?? [],
        supersedes: { figureId: old.id, expectedVersion: revision.expectedVersion },
      },
    ],
  });
}

const retractionInput = z.object({ reason: words(2_000) });

/** Marks a statement or a figure retracted, with a reason. It stays in history and `asOf` answers. */
export async function retract(
  tx: Tx,
  actor: Actor,
  target: { entityType: 'Statement' | 'Figure'; id: number; reason: string; expectedVersion?: number | null },
): Promise<RecordResult> {
  const { reason } = parseInput(retractionInput, { reason: target.reason });
  const table = target.entityType === 'Statement' ? tx.statement : tx.figure;
  const before = await (table as typeof tx.figure).findUnique({ where: { id: target.id } });
  if (!before) throw new NotFoundError('id', target.entityType, target.id);
  if (before.retractedAt) throw new ConflictError('id', `${target.entityType} ${target.id} was already retracted`, before.version);
  const expected = target.expectedVersion ?? before.version;
  const { count: changed } = await (table as typeof tx.figure).updateMany({
    where: { id: target.id, version: expected, retractedAt: null },
    data: { retractedAt: new Date(), retractionReason: reason, version: { increment: 1 } },
  });
  if (changed === 0) throw new ConflictError('expectedVersion', `${target.entityType} ${target.id} is at version ${before.version}, not ${expected}`, before.version);
  const after = await (table as typeof tx.figure).findUniqueOrThrow({ where: { id: target.id } });
  await recordChange(tx, actor, { operation: 'RETRACT', entityType: target.entityType, entityId: target.id, before, after });

  const figure = target.entityType === 'Figure' ? (after as { statementId: number; incidentId: number | null; placeId: number | null }) : null;
  const statementId = figure ? figure.statementId : target.id;
  const statement = await tx.statement.findUniqueOrThrow({ where: { id: statementId }, include: { incidents: true } });
  return {
    statementId,
    figureIds: target.entityType === 'Figure' ? [target.id] : [],
    replayed: false,
    events: [{
      kind: 'RETRACTED',
      statementId,
      figureId: target.entityType === 'Figure' ? target.id : null,
      incidentIds: [...new Set([...statement.incidents.map((link) => link.incidentId), ...(figure?.incidentId ? [figure.incidentId] : [])])],
      placeIds: figure?.placeId ? [figure.placeId] : [],
      claimantKey: claimantKey(statement),
      at: new Date().toISOString(),
    }],
  };
}

const idempotencyInput = z.object({ idempotencyKey: words(200) });

/**
 * Runs `write` in one transaction, at most once per idempotency key: a retry with the same key
 * and the same input returns the first result; the same key with other input is refused.
 */
export async function inTransaction<Result extends object>(
  prisma: PrismaClient,
  options: { apiKeyId: number | null; idempotencyKey?: string | null; operation: string; input: unknown },
  write: (tx: Tx) => Promise<Result>,
): Promise<Result> {
  // A key the database would store mangled (an unpaired surrogate) could match another one.
  if (options.idempotencyKey != null) parseInput(idempotencyInput, { idempotencyKey: options.idempotencyKey });
  const requestHash = createHash('sha256').update(JSON.stringify(options.input)).digest('hex');
  return prisma.$transaction(async (tx) => {
    if (options.idempotencyKey && options.apiKeyId) {
      const where = { apiKeyId_key: { apiKeyId: options.apiKeyId, key: options.idempotencyKey } };
      const earlier = await tx.idempotencyRecord.findUnique({ where });
      if (earlier) {
        if (earlier.requestHash !== requestHash || earlier.operation !== options.operation) {
          throw new ConflictError('idempotencyKey', 'was already used for a different request');
        }
        return { ...(earlier.result as Result), replayed: true, events: [] };
      }
      const result = await write(tx);
      const { events: _published, ...stored } = result as Result & { events?: unknown };
      await tx.idempotencyRecord.create({
        data: { apiKeyId: options.apiKeyId, key: options.idempotencyKey, operation: options.operation, requestHash, result: stored as Prisma.InputJsonValue },
      });
      return result;
    }
    return write(tx);
  }, { timeout: 30_000 });
}
