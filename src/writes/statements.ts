// Recording claims: a statement with its claimant, source chain, incidents and figures, in one
// transaction; a figure may revise an earlier one (which stays, superseded — never
// overwritten). Every rule is checked before anything is written, every change is audited, and
// the live-feed events are published once the transaction has committed.
import { claimantKey } from '../claims/standing.js';
import type { ClaimEvent } from '../events/claim-events.js';
import { coarser, DateRuleError, periodEnd, withPrecision } from '../rules/dates.js';
import { ConflictError, InvalidInputError } from '../rules/errors.js';
import { parseInput } from '../rules/parse.js';
import { snapshot } from './audit.js';
import { recordStatementInput } from './claim-inputs.js';
import { contentOf, keepExternalId, refuseTakenExternalIds, replayOf } from './external-ids.js';
import { resolveReferences, type Resolved } from './references.js';
import { recordChange, type WriteSession } from './session.js';
import type { z } from 'zod';

export interface RecordResult {
  statementId: number;
  /** The figures written, revised or retracted. */
  figureIds: number[];
  /** True when the same request had already been recorded (same external ID and content, or idempotency key). */
  replayed: boolean;
}

type StatementInput = Resolved<z.output<typeof recordStatementInput>>;
type FigureInput = NonNullable<StatementInput['figures']>[number];

/** The moment written with the precision chosen, or a refusal naming the precision field. */
function stated(value: StatementInput['madeAt'], precision: StatementInput['madeAtPrecision'], field: string) {
  if (!value) return null;
  try {
    return withPrecision(value, precision);
  } catch (error) {
    if (!(error instanceof DateRuleError)) throw error;
    throw new InvalidInputError([{ field, rule: error.rule, code: error.code }]);
  }
}

/**
 * Claims the old figure for revision: it must stand (not retracted, its statement not
 * retracted, not already revised), count the same thing, and be at the version the writer read.
 */
async function claimForRevision(session: WriteSession, field: string, revision: FigureInput) {
  const { tx } = session;
  const figureId = revision.supersedes!;
  const old = await tx.figure.findUniqueOrThrow({
    where: { id: figureId },
    include: { supersededBy: { select: { id: true } }, statement: { select: { retractedAt: true, retractionReason: true } } },
  });
  const retraction = old.retractedAt
    ? { what: 'the figure was retracted', at: old.retractedAt, reason: old.retractionReason }
    : old.statement.retractedAt
      ? { what: 'its statement was retracted', at: old.statement.retractedAt, reason: old.statement.retractionReason }
      : null;
  if (retraction) {
    throw new ConflictError(
      `${field}.supersedes`,
      `cannot be revised: ${retraction.what} at ${retraction.at.toISOString()} ("${retraction.reason}"). A retracted claim stays retracted; record a new statement instead`,
      { currentVersion: old.version, retractedAt: retraction.at, retractionReason: retraction.reason },
    );
  }
  if (old.metric !== revision.metric || old.side !== revision.side) {
    throw new InvalidInputError([
      { field: `${field}.metric`, rule: `a revision counts the same thing as the figure it revises (${old.metric}, ${old.side})`, code: 'INCONSISTENT' },
    ]);
  }
  if (old.supersededBy)
    throw new ConflictError(`${field}.supersedes`, 'was already revised by a later figure (see its supersededBy): revise that one', {
      currentVersion: old.version,
    });
  // Compare-and-set: only the writer who read the current version gets to revise it. A
  // retraction racing this one bumps the version too, so at most one of them wins.
  const { count } = await tx.figure.updateMany({
    where: { id: figureId, version: revision.supersedesVersion!, retractedAt: null, supersededBy: null },
    data: { version: { increment: 1 } },
  });
  if (count === 0) {
    const now = await tx.figure.findUniqueOrThrow({ where: { id: figureId }, select: { version: true } });
    throw new ConflictError(
      `${field}.supersedesVersion`,
      `the figure is at version ${now.version}, not ${revision.supersedesVersion}: re-read it and try again`,
      {
        currentVersion: now.version,
      },
    );
  }
  return old;
}

function eventOf(kind: ClaimEvent['kind'], statement: StatementInput, statementId: number, figure: FigureInput | null, figureId: number | null): ClaimEvent {
  return {
    kind,
    statementId,
    figureId,
    incidentIds: [...new Set([figure?.incident, ...(statement.incidents ?? [])].filter((v): v is number => !!v))],
    placeIds: figure?.place ? [figure.place] : [],
    claimantKey: claimantKey({
      claimantKind: statement.claimant.kind,
      officialId: statement.claimant.official,
      organisationId: statement.claimant.organisation,
      claimantDescription: statement.claimant.description,
    }),
    at: new Date().toISOString(),
  };
}

/** Writes one figure of a statement (revising an earlier one when it says so). */
async function writeFigure(session: WriteSession, input: StatementInput, statementId: number, figure: FigureInput, n: number): Promise<number> {
  const { tx } = session;
  const field = `figures[${n}]`;
  const old = figure.supersedes ? await claimForRevision(session, field, figure) : null;
  const oldBefore = old ? await snapshot(tx, 'Figure', old.id) : null;
  const period = figure.period ? { from: figure.period.from, to: figure.period.to ?? figure.period.from } : null;
  const created = await tx.figure.create({
    data: {
      statementId,
      metric: figure.metric,
      victimCategory: figure.victimCategory,
      side: figure.side,
      victimDescription: figure.victimDescription,
      countedOrganisationId: figure.countedOrganisation,
      placeId: figure.place,
      incidentId: figure.incident,
      periodStart: period?.from.at,
      periodEnd: period ? periodEnd(period.to.at, period.to.precision) : undefined,
      periodPrecision: period ? coarser(period.from.precision, period.to.precision) : undefined,
      quantityKind: figure.quantity.kind,
      low: figure.quantity.low,
      high: figure.quantity.high,
      phrase: figure.quantity.phrase,
      quantityReadFromPhrase: figure.quantity.readFromPhrase,
      supersedesId: old?.id,
      breakdown: { create: (figure.breakdown ?? []).map((item, position) => ({ ...item, position })) },
    },
  });
  if (figure.externalId) await keepExternalId(session, 'Figure', figure.externalId, created.id, contentOf(figure));
  if (old) {
    // The old figure changed too: superseded, its version moved on.
    await recordChange(session, { operation: 'SUPERSEDE', entityType: 'Figure', entityId: old.id, before: oldBefore });
  }
  await recordChange(session, { operation: old ? 'REVISE' : 'CREATE', entityType: 'Figure', entityId: created.id, before: null });
  session.events.push(eventOf(old ? 'REVISED' : 'CLAIMED', input, statementId, figure, created.id));
  return created.id;
}

/** Records a statement and its figures, in the session's transaction. */
export async function recordStatement(session: WriteSession, raw: unknown, prefix = ''): Promise<RecordResult> {
  const input = await resolveReferences(session, parseInput(recordStatementInput, raw, prefix), prefix);
  return writeStatement(session, input);
}

/** Records a statement already checked and resolved (`recordStatement`, revisions). */
export async function writeStatement(session: WriteSession, input: StatementInput): Promise<RecordResult> {
  const { tx } = session;
  const { externalId, ...content } = input;
  const recorded = contentOf(content);
  if (externalId) {
    const earlier = await replayOf(session, 'Statement', externalId, recorded);
    if (earlier !== null) {
      const figures = await tx.figure.findMany({ where: { statementId: earlier }, select: { id: true }, orderBy: { id: 'asc' } });
      return { statementId: earlier, figureIds: figures.map((f) => f.id), replayed: true };
    }
  }
  const figures = input.figures ?? [];
  await refuseTakenExternalIds(
    session,
    'Figure',
    figures.flatMap((f, n) => (f.externalId ? [{ field: `figures[${n}].externalId`, externalId: f.externalId }] : [])),
  );
  const made = stated(input.madeAt, input.madeAtPrecision, 'madeAtPrecision');
  const statement = await tx.statement.create({
    data: {
      kind: input.kind,
      claimantKind: input.claimant.kind,
      officialId: input.claimant.official,
      organisationId: input.claimant.organisation,
      claimantDescription: input.claimant.description,
      claimantAffiliation: input.claimant.affiliation ?? 'UNKNOWN',
      madeAt: made?.at,
      madeAtPrecision: made?.precision ?? input.madeAtPrecision ?? 'DAY',
      text: input.text,
      isDirectQuote: input.isDirectQuote ?? false,
      verification: input.verification ?? 'NOT_ASSESSED',
      verificationNote: input.verificationNote,
      verifiedById: input.verifiedBy,
      sources: { create: (input.sources ?? []).map((sourceId, position) => ({ sourceId, position })) },
      incidents: { create: [...new Set(input.incidents ?? [])].map((incidentId) => ({ incidentId })) },
    },
  });
  if (externalId) await keepExternalId(session, 'Statement', externalId, statement.id, recorded);
  await recordChange(session, { operation: 'CREATE', entityType: 'Statement', entityId: statement.id, before: null });
  const figureIds: number[] = [];
  for (const [n, figure] of figures.entries()) figureIds.push(await writeFigure(session, input, statement.id, figure, n));
  return { statementId: statement.id, figureIds, replayed: false };
}
