// Revising a figure and retracting claims. A revision is a new figure, in a new statement by the
// same claimant, that supersedes the old one (which stays, in history and in `asOf` answers).
// A retraction is a mark with a reason; retracting a statement retracts every figure it claims
// with it (each gets its own change). A retracted claim is never revised back to current.
import { claimantKey } from '../claims/standing.js';
import { ConflictError, InvalidInputError, NotFoundError } from '../rules/errors.js';
import { parseInput } from '../rules/parse.js';
import { snapshot, snapshots } from './audit.js';
import { reviseFigureInput, retractFigureInput, retractStatementInput } from './claim-inputs.js';
import { resolveReferences } from './references.js';
import { writeStatement, type RecordResult } from './statements.js';
import { recordChange, type WriteSession } from './session.js';

/** Where a field of the revision sits in the statement a revision becomes, and back. */
const REVISION_FIELDS: [RegExp, string][] = [
  [/^figures\[0\]\.supersedesVersion/, 'expectedVersion'],
  [/^figures\[0\]\.supersedes/, 'figure'],
  [/^figures\[0\]\./, ''],
];

/** A refusal of the statement a revision becomes, named by the revision's own fields. */
function asRevision(error: unknown): unknown {
  const rename = (field: string) => REVISION_FIELDS.reduce((out, [pattern, name]) => out.replace(pattern, name), field);
  if (error instanceof InvalidInputError) return new InvalidInputError(error.issues.map((issue) => ({ ...issue, field: rename(issue.field) })));
  if (error instanceof NotFoundError) return new NotFoundError(rename(error.field), error.entityType, error.id, error.by);
  if (error instanceof ConflictError) return new ConflictError(rename(error.field), error.reason, error);
  return error;
}

/**
 * A revised figure: a new statement by the same claimant claiming a new quantity for the same
 * thing, superseding the old figure.
 */
export async function reviseFigure(session: WriteSession, raw: unknown): Promise<RecordResult> {
  const input = await resolveReferences(session, parseInput(reviseFigureInput, raw));
  const old = await session.tx.figure.findUniqueOrThrow({
    where: { id: input.figure },
    include: { statement: { include: { incidents: { orderBy: { incidentId: 'asc' } }, sources: { orderBy: { position: 'asc' } } } } },
  });
  const said = old.statement;
  try {
    return await writeStatement(session, {
      externalId: input.externalId,
      kind: said.kind,
      claimant: {
        kind: said.claimantKind,
        official: said.officialId,
        organisation: said.organisationId,
        description: said.claimantDescription,
        affiliation: said.claimantAffiliation,
      },
      madeAt: input.madeAt,
      madeAtPrecision: input.madeAtPrecision,
      text: input.text,
      sources: input.sources ?? said.sources.map((s) => s.sourceId),
      incidents: said.incidents.map((link) => link.incidentId),
      figures: [
        {
          metric: old.metric,
          victimCategory: old.victimCategory,
          side: old.side,
          victimDescription: old.victimDescription,
          countedOrganisation: old.countedOrganisationId,
          place: old.placeId,
          incident: old.incidentId,
          period:
            old.periodStart && old.periodEnd && old.periodPrecision
              ? {
                  from: { at: old.periodStart, precision: old.periodPrecision },
                  to: { at: new Date(old.periodEnd.getTime() - 1), precision: old.periodPrecision },
                }
              : null,
          quantity: input.quantity,
          breakdown: input.breakdown,
          supersedes: old.id,
          supersedesVersion: input.expectedVersion,
        },
      ],
    });
  } catch (error) {
    throw asRevision(error);
  }
}

interface Retraction {
  entityType: 'Statement' | 'Figure';
  id: number;
  reason: string;
  expectedVersion: number | null | undefined;
}

/** A retraction sent again with the same reason is a replay; with another reason, a Conflict naming the first. */
function earlierRetraction(what: string, row: { retractedAt: Date | null; retractionReason: string | null; version: number }, reason: string): boolean {
  if (!row.retractedAt) return false;
  if (row.retractionReason === reason) return true;
  throw new ConflictError('reason', `the ${what} was already retracted at ${row.retractedAt.toISOString()} ("${row.retractionReason}")`, {
    currentVersion: row.version,
    retractedAt: row.retractedAt,
    retractionReason: row.retractionReason,
  });
}

async function retract(session: WriteSession, target: Retraction): Promise<RecordResult> {
  const { tx } = session;
  const figure = target.entityType === 'Figure' ? await tx.figure.findUniqueOrThrow({ where: { id: target.id } }) : null;
  const statement = await tx.statement.findUniqueOrThrow({ where: { id: figure?.statementId ?? target.id }, include: { incidents: true } });
  const row = figure ?? statement;
  if (earlierRetraction(target.entityType.toLowerCase(), row, target.reason)) {
    const withIt = figure
      ? [figure.id]
      : (
          await tx.figure.findMany({ where: { statementId: statement.id, retractedAt: statement.retractedAt }, select: { id: true }, orderBy: { id: 'asc' } })
        ).map((f) => f.id);
    return { statementId: statement.id, figureIds: withIt, replayed: true };
  }
  const expected = target.expectedVersion ?? row.version;
  // The figures this retraction reaches: the one named, or every one of the statement not retracted already.
  const reached = figure
    ? [figure.id]
    : (await tx.figure.findMany({ where: { statementId: statement.id, retractedAt: null }, select: { id: true }, orderBy: { id: 'asc' } })).map((f) => f.id);
  const figuresBefore = await snapshots(tx, 'Figure', reached);
  const statementBefore = figure ? null : await snapshot(tx, 'Statement', statement.id);
  const retractedAt = new Date();
  const data = { retractedAt, retractionReason: target.reason, version: { increment: 1 } };
  const where = { id: target.id, version: expected, retractedAt: null };
  const { count } = figure ? await tx.figure.updateMany({ where, data }) : await tx.statement.updateMany({ where, data });
  if (count === 0) {
    throw new ConflictError(
      'expectedVersion',
      `the ${target.entityType.toLowerCase()} is at version ${row.version}, not ${expected}: re-read it and try again`,
      { currentVersion: row.version },
    );
  }
  if (!figure) {
    await tx.figure.updateMany({ where: { id: { in: reached } }, data });
    await recordChange(session, { operation: 'RETRACT', entityType: 'Statement', entityId: statement.id, before: statementBefore });
  }
  for (const id of reached) await recordChange(session, { operation: 'RETRACT', entityType: 'Figure', entityId: id, before: figuresBefore.get(id) ?? null });
  session.events.push({
    kind: 'RETRACTED',
    statementId: statement.id,
    figureId: figure?.id ?? null,
    incidentIds: [...new Set([...statement.incidents.map((link) => link.incidentId), ...(figure?.incidentId ? [figure.incidentId] : [])])],
    placeIds: figure?.placeId ? [figure.placeId] : [],
    claimantKey: claimantKey(statement),
    at: retractedAt.toISOString(),
  });
  return { statementId: statement.id, figureIds: reached, replayed: false };
}

/** Retracts a statement and, with it, every figure it claims that is not retracted already. */
export async function retractStatement(session: WriteSession, raw: unknown): Promise<RecordResult> {
  const input = await resolveReferences(session, parseInput(retractStatementInput, raw));
  return retract(session, { entityType: 'Statement', id: input.statement, reason: input.reason, expectedVersion: input.expectedVersion });
}

/** Retracts one figure. */
export async function retractFigure(session: WriteSession, raw: unknown): Promise<RecordResult> {
  const input = await resolveReferences(session, parseInput(retractFigureInput, raw));
  return retract(session, { entityType: 'Figure', id: input.figure, reason: input.reason, expectedVersion: input.expectedVersion });
}
