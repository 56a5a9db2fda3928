// Which figures and statements a question is about. Plain values in, Prisma filters out: the
// GraphQL schema, the CSV/NDJSON export and the analyses all narrow data through these, so a
// rule such as "current" or "at this place" means the same thing everywhere.
import type { Prisma, PrismaClient } from '../generated/prisma/client.js';
import type {
  ClaimantKind,
  FigureMetric,
  Side,
  StatementKind,
  VerificationStatus,
  VictimCategory,
} from '../generated/prisma/enums.js';
import { withDescendants } from './trees.js';

export interface DateRange {
  from?: Date | null;
  to?: Date | null;
}

export interface StatementFilter {
  kinds?: StatementKind[] | null;
  claimantKinds?: ClaimantKind[] | null;
  organisationId?: number | null;
  officialId?: number | null;
  verification?: VerificationStatus[] | null;
  madeBetween?: DateRange | null;
  /** This incident and every incident inside it. */
  incidentId?: number | null;
  /** Incidents at this place or any place inside it. */
  placeId?: number | null;
  includeRetracted?: boolean | null;
}

export interface FigureFilter {
  metrics?: FigureMetric[] | null;
  victimCategories?: VictimCategory[] | null;
  sides?: Side[] | null;
  /** This incident and every incident inside it. */
  incidentId?: number | null;
  /** The figure's own place, or its incident's places when it has none; places inside count. */
  placeId?: number | null;
  claimantOrganisationId?: number | null;
  claimantOfficialId?: number | null;
  statementKinds?: StatementKind[] | null;
  verification?: VerificationStatus[] | null;
  claimedBetween?: DateRange | null;
  /** true: figures that stand (at `asOf`, if given); false: superseded ones. */
  current?: boolean | null;
  includeRetracted?: boolean | null;
  /** Answer as the record stood at this moment: later claims, revisions and retractions unseen. */
  asOf?: Date | null;
}

export function dateRangeWhere(range: DateRange | null | undefined): Prisma.DateTimeFilter | undefined {
  if (!range || (!range.from && !range.to)) return undefined;
  return { ...(range.from ? { gte: range.from } : {}), ...(range.to ? { lte: range.to } : {}) };
}

/** A statement is dated by `madeAt`; when the reporting gives no date, by when it was recorded. */
function statementMadeBy(asOf: Date): Prisma.StatementWhereInput {
  return { OR: [{ madeAt: { lte: asOf } }, { madeAt: null, createdAt: { lte: asOf } }] };
}

/** Not retracted (by `asOf`, when given): the same condition for a figure and for a statement. */
function notRetracted(asOf?: Date | null) {
  return asOf ? { OR: [{ retractedAt: null }, { retractedAt: { gt: asOf } }] } : { retractedAt: null };
}

/** Neither the figure nor its statement retracted (by `asOf`, when given). */
function notRetractedWhere(asOf?: Date | null): Prisma.FigureWhereInput {
  return { AND: [notRetracted(asOf), { statement: notRetracted(asOf) }] };
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
  return {
    AND: [
      notRetractedWhere(asOf),
      { NOT: supersededWhere(asOf) },
      ...(asOf ? [{ statement: statementMadeBy(asOf) }] : []),
    ],
  };
}

export async function statementWhere(
  prisma: PrismaClient,
  filter: StatementFilter | null | undefined,
): Promise<Prisma.StatementWhereInput> {
  const where: Prisma.StatementWhereInput[] = [];
  if (!filter?.includeRetracted) where.push({ retractedAt: null });
  if (filter?.kinds) where.push({ kind: { in: filter.kinds } });
  if (filter?.claimantKinds) where.push({ claimantKind: { in: filter.claimantKinds } });
  if (filter?.organisationId) where.push({ organisationId: filter.organisationId });
  if (filter?.officialId) where.push({ officialId: filter.officialId });
  if (filter?.verification) where.push({ verification: { in: filter.verification } });
  const madeAt = dateRangeWhere(filter?.madeBetween);
  if (madeAt) where.push({ madeAt });
  if (filter?.incidentId) {
    const incidentIds = await withDescendants(prisma, 'incident', [filter.incidentId]);
    where.push({ incidents: { some: { incidentId: { in: incidentIds } } } });
  }
  if (filter?.placeId) {
    const placeIds = await withDescendants(prisma, 'place', [filter.placeId]);
    where.push({ incidents: { some: { incident: { places: { some: { placeId: { in: placeIds } } } } } } });
  }
  return { AND: where };
}

export async function figureWhere(
  prisma: PrismaClient,
  filter: FigureFilter | null | undefined,
): Promise<Prisma.FigureWhereInput> {
  const where: Prisma.FigureWhereInput[] = [];
  // Every condition on the statement goes into one relation filter: each separate one is
  // another join, and a count over a million figures pays for each (docs/query-plans.md).
  const onStatement: Prisma.StatementWhereInput[] = [];
  if (filter?.asOf) onStatement.push(statementMadeBy(filter.asOf));
  // A standing figure is never retracted, whatever `includeRetracted` says.
  if (!filter?.includeRetracted || filter?.current === true) {
    where.push(notRetracted(filter?.asOf));
    onStatement.push(notRetracted(filter?.asOf));
  }
  if (filter?.metrics) where.push({ metric: { in: filter.metrics } });
  if (filter?.victimCategories) where.push({ victimCategory: { in: filter.victimCategories } });
  if (filter?.sides) where.push({ side: { in: filter.sides } });
  if (filter?.incidentId) {
    const incidentIds = await withDescendants(prisma, 'incident', [filter.incidentId]);
    where.push({ incidentId: { in: incidentIds } });
  }
  if (filter?.placeId) {
    const placeIds = await withDescendants(prisma, 'place', [filter.placeId]);
    where.push({
      OR: [
        { placeId: { in: placeIds } },
        { placeId: null, incident: { places: { some: { placeId: { in: placeIds } } } } },
      ],
    });
  }
  // Together with the conditions above, this is standingWhere(asOf).
  if (filter?.current === true) where.push({ NOT: supersededWhere(filter.asOf) });
  if (filter?.current === false) where.push(supersededWhere(filter.asOf));
  const claimedBy = await statementWhere(prisma, {
    organisationId: filter?.claimantOrganisationId,
    officialId: filter?.claimantOfficialId,
    kinds: filter?.statementKinds,
    verification: filter?.verification,
    madeBetween: filter?.claimedBetween,
    includeRetracted: true, // decided above, for the figure and its statement together
  });
  onStatement.push(...(claimedBy.AND as Prisma.StatementWhereInput[]));
  if (onStatement.length > 0) where.push({ statement: { AND: onStatement } });
  return { AND: where };
}
