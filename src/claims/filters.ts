// Which figures and statements a question is about. Filters are declared once (their rules are
// the GraphQL filter inputs and the export parameters alike) and become Prisma conditions here:
// the schema, the CSV/NDJSON export and the analyses all narrow data through these, so a rule
// such as "current", "retracted" or "at this place" means the same thing everywhere.
//
// Retraction, the one rule for every list of claims, nested or not: a retracted statement, a
// retracted figure, a figure of a retracted statement, and a participation that rests on a
// retracted statement are out of current views unless `includeRetracted: true` is asked for; as
// of a moment before the retraction they are shown; the audit trail (`history`, `changes`,
// revision timelines) always shows them. `standingFigureSql` (standing.ts) is the SQL twin.
import type { z } from 'zod';
import type { Prisma, PrismaClient } from '../generated/prisma/client.js';
import { ClaimantKind, FigureMetric, Side, StatementKind, VerificationStatus, VictimCategory } from '../generated/prisma/enums.js';
import { asOfMoment, periodOf } from '../rules/dates.js';
import { bool, date, dateRangeInput, described, enumList, inputObject, ref } from '../rules/fields.js';
import type { Reference } from '../rules/ids.js';
import { figureOverlapsWhere, statementOverlapsWhere } from './periods.js';
import { withDescendants } from './trees.js';

export const INCLUDE_RETRACTED = 'Also list retracted items (default false: a retraction takes them out of current views).';
const AS_OF =
  'As the record stood at this moment: only what had been said by then, and what was retracted or revised later shown as it was then. A date means the end of that day (or month, or year).';

export const includeRetractedArg = bool(INCLUDE_RETRACTED);
export const asOfArg = date(AS_OF);

export const statementFilterInput = inputObject('StatementFilter', 'Narrows a list of statements. All given conditions must hold.', {
  kinds: enumList(StatementKind, 'Only these kinds.').nullish(),
  claimantKinds: enumList(ClaimantKind, 'Only these kinds of claimant.').nullish(),
  organisation: ref(['Organisation'], 'Only statements made by this organisation.').nullish(),
  official: ref(['Official'], 'Only statements made by this official.').nullish(),
  verification: enumList(VerificationStatus, 'Only these verification statuses.').nullish(),
  madeBetween: described(dateRangeInput, 'Only statements made in this date range (a statement dated to a day counts for that whole day).').nullish(),
  incident: ref(['Incident'], 'Only statements about this incident or any incident inside it.').nullish(),
  place: ref(['Place'], 'Only statements about incidents at this place or any place inside it.').nullish(),
  includeRetracted: includeRetractedArg.nullish(),
  asOf: asOfArg.nullish(),
});

export const figureFilterInput = inputObject('FigureFilter', 'Narrows a list of figures. All given conditions must hold.', {
  metrics: enumList(FigureMetric, 'Only these metrics (KILLED, INJURED...).').nullish(),
  victimCategories: enumList(VictimCategory, 'Only figures counting these people.').nullish(),
  sides: enumList(Side, 'Only figures counting people of these sides.').nullish(),
  incident: ref(['Incident'], 'Only figures for this incident or any incident inside it.').nullish(),
  place: ref(
    ['Place'],
    "Only figures at this place or any place inside it: by the figure's own place, or, for figures with no place of their own, by their incident's places.",
  ).nullish(),
  claimantOrganisation: ref(['Organisation'], 'Only figures claimed by this organisation.').nullish(),
  claimantOfficial: ref(['Official'], 'Only figures claimed by this official.').nullish(),
  statementKinds: enumList(StatementKind, 'Only figures from these kinds of statement.').nullish(),
  verification: enumList(VerificationStatus, 'Only figures from statements with these verification statuses.').nullish(),
  claimedBetween: described(dateRangeInput, 'Only figures from statements made in this date range.').nullish(),
  between: described(
    dateRangeInput,
    "Only figures counting a period that overlaps this range: the figure's own period when the reporting gives one (a three-day operation), else its incident's, else the day it was claimed.",
  ).nullish(),
  current: bool('true: only figures that stand; false: only superseded ones. Leave out for both.').nullish(),
  includeRetracted: includeRetractedArg.nullish(),
  asOf: described(
    asOfArg,
    'Answer as the record stood at this moment: only figures claimed by then, and `current` means not yet superseded or retracted then (the Gwadar toll was five before it was 11). A date means the end of that day.',
  ).nullish(),
});

export type StatementFilter = z.output<typeof statementFilterInput>;
export type FigureFilter = z.output<typeof figureFilterInput>;

/** The database id a filter's reference names (filters only read: an id that names nothing matches nothing). */
export const idOf = (reference: Reference | null | undefined): number | null => reference?.id ?? null;

/** A statement is dated by `madeAt`; when the reporting gives no date, by when it was recorded. */
function statementMadeBy(asOf: Date): Prisma.StatementWhereInput {
  return { OR: [{ madeAt: { lte: asOf } }, { madeAt: null, createdAt: { lte: asOf } }] };
}

/** Not retracted (by `asOf`, when given): the same condition for a figure and for a statement. */
function notRetracted(asOf?: Date | null) {
  return asOf ? { OR: [{ retractedAt: null }, { retractedAt: { gt: asOf } }] } : { retractedAt: null };
}

/** Statements in current views (at `asOf`, when given): not retracted, and made by then. */
export function visibleStatementWhere(view: { includeRetracted?: boolean | null; asOf?: Date | null } = {}): Prisma.StatementWhereInput {
  return { AND: [...(view.includeRetracted ? [] : [notRetracted(view.asOf)]), ...(view.asOf ? [statementMadeBy(view.asOf)] : [])] };
}

/** Figures in current views: neither the figure nor its statement retracted (by `asOf`, when given). */
export function visibleFigureWhere(view: { includeRetracted?: boolean | null; asOf?: Date | null } = {}): Prisma.FigureWhereInput {
  if (view.includeRetracted && !view.asOf) return {};
  return { AND: [view.includeRetracted ? {} : notRetracted(view.asOf), { statement: visibleStatementWhere(view) }] };
}

/** Participations in current views: resting on no statement, or on one in current views. */
export function visibleParticipantWhere(view: { includeRetracted?: boolean | null } = {}): Prisma.IncidentParticipantWhereInput {
  return view.includeRetracted ? {} : { OR: [{ basisId: null }, { basis: { is: visibleStatementWhere() } }] };
}

/** Superseded by a revision (claimed by `asOf`, when given). */
function supersededWhere(asOf?: Date | null): Prisma.FigureWhereInput {
  return asOf ? { supersededBy: { is: { statement: statementMadeBy(asOf) } } } : { supersededBy: { isNot: null } };
}

/**
 * A figure stands when it has not been superseded and neither it nor its statement has been
 * retracted. With `asOf`, "not yet": it had been claimed by then, and any revision or
 * retraction came later.
 */
export function standingWhere(asOf?: Date | null): Prisma.FigureWhereInput {
  return { AND: [visibleFigureWhere({ asOf }), { NOT: supersededWhere(asOf) }] };
}

export async function statementWhere(prisma: PrismaClient, filter: StatementFilter | null | undefined): Promise<Prisma.StatementWhereInput> {
  const where: Prisma.StatementWhereInput[] = [
    visibleStatementWhere({ includeRetracted: filter?.includeRetracted, asOf: filter?.asOf && asOfMoment(filter.asOf) }),
  ];
  if (filter?.kinds) where.push({ kind: { in: filter.kinds } });
  if (filter?.claimantKinds) where.push({ claimantKind: { in: filter.claimantKinds } });
  if (filter?.organisation) where.push({ organisationId: idOf(filter.organisation) });
  if (filter?.official) where.push({ officialId: idOf(filter.official) });
  if (filter?.verification) where.push({ verification: { in: filter.verification } });
  const made = periodOf(filter?.madeBetween);
  if (made) where.push(statementOverlapsWhere(made));
  if (filter?.incident) {
    const incidentIds = await withDescendants(prisma, 'incident', [idOf(filter.incident)!]);
    where.push({ incidents: { some: { incidentId: { in: incidentIds } } } });
  }
  if (filter?.place) {
    const placeIds = await withDescendants(prisma, 'place', [idOf(filter.place)!]);
    where.push({ incidents: { some: { incident: { places: { some: { placeId: { in: placeIds } } } } } } });
  }
  return { AND: where };
}

export async function figureWhere(prisma: PrismaClient, filter: FigureFilter | null | undefined): Promise<Prisma.FigureWhereInput> {
  const asOf = filter?.asOf ? asOfMoment(filter.asOf) : null;
  const where: Prisma.FigureWhereInput[] = [];
  // Every condition on the statement goes into one relation filter: each separate one is
  // another join, and a count over a million figures pays for each (docs/query-plans.md).
  const onStatement: Prisma.StatementWhereInput[] = [];
  // A standing figure is never retracted, whatever `includeRetracted` says.
  const includeRetracted = !!filter?.includeRetracted && filter?.current !== true;
  // Standing now is kept on each figure (migration figure_standing, checked against
  // `standingWhere`): one column off its partial index, which holds the visibility too.
  const standingNow = filter?.current === true && !asOf;
  if (standingNow) where.push({ standing: true });
  else {
    if (!includeRetracted) where.push(notRetracted(asOf));
    onStatement.push(visibleStatementWhere({ includeRetracted, asOf }));
  }
  if (filter?.metrics) where.push({ metric: { in: filter.metrics } });
  if (filter?.victimCategories) where.push({ victimCategory: { in: filter.victimCategories } });
  if (filter?.sides) where.push({ side: { in: filter.sides } });
  if (filter?.incident) {
    const incidentIds = await withDescendants(prisma, 'incident', [idOf(filter.incident)!]);
    where.push({ incidentId: { in: incidentIds } });
  }
  if (filter?.place) {
    const placeIds = await withDescendants(prisma, 'place', [idOf(filter.place)!]);
    where.push({
      OR: [{ placeId: { in: placeIds } }, { placeId: null, incident: { places: { some: { placeId: { in: placeIds } } } } }],
    });
  }
  const counted = periodOf(filter?.between);
  if (counted) where.push(figureOverlapsWhere(counted));
  if (filter?.current === true && asOf) where.push({ NOT: supersededWhere(asOf) });
  if (filter?.current === false) where.push(supersededWhere(asOf));
  if (filter?.claimantOrganisation) onStatement.push({ organisationId: idOf(filter.claimantOrganisation) });
  if (filter?.claimantOfficial) onStatement.push({ officialId: idOf(filter.claimantOfficial) });
  if (filter?.statementKinds) onStatement.push({ kind: { in: filter.statementKinds } });
  if (filter?.verification) onStatement.push({ verification: { in: filter.verification } });
  const claimed = periodOf(filter?.claimedBetween);
  if (claimed) onStatement.push(statementOverlapsWhere(claimed));
  if (onStatement.length) where.push({ statement: { AND: onStatement } });
  return { AND: where };
}
