// Which live-feed events a subscriber asked for. The trees are read once, when the
// subscription starts: an incident means it and its sub-incidents, a place means it and the
// places inside it (a figure without a place of its own is at its incident's places, as in the
// `figures` filter). Every condition given must hold.
import type { PrismaClient } from '../generated/prisma/client.js';
import { withDescendants } from '../claims/trees.js';
import type { ClaimEvent, ClaimEventKind } from './claim-events.js';

export interface ClaimEventFilterInput {
  incidentId?: number | null;
  placeId?: number | null;
  claimantOrganisationId?: number | null;
  claimantOfficialId?: number | null;
  kinds?: readonly ClaimEventKind[] | null;
}

export interface ClaimEventFilter {
  incidentIds: Set<number> | null;
  placeIds: Set<number> | null;
  /** Incidents located at one of `placeIds`: they place the figures that have no place of their own. */
  incidentsAtPlaces: Set<number> | null;
  claimantKeys: string[];
  kinds: Set<ClaimEventKind> | null;
}

/** Resolves the trees a filter names (at most three SQL statements, none without a tree filter). */
export async function resolveClaimEventFilter(prisma: PrismaClient, input: ClaimEventFilterInput | null | undefined): Promise<ClaimEventFilter> {
  const incidentIds = input?.incidentId ? new Set(await withDescendants(prisma, 'incident', [input.incidentId])) : null;
  const placeIds = input?.placeId ? new Set(await withDescendants(prisma, 'place', [input.placeId])) : null;
  const incidentsAtPlaces = placeIds
    ? new Set((await prisma.incidentPlace.findMany({ where: { placeId: { in: [...placeIds] } }, select: { incidentId: true } })).map((row) => row.incidentId))
    : null;
  const claimantKeys = [
    ...(input?.claimantOrganisationId ? [`organisation:${input.claimantOrganisationId}`] : []),
    ...(input?.claimantOfficialId ? [`official:${input.claimantOfficialId}`] : []),
  ];
  return { incidentIds, placeIds, incidentsAtPlaces, claimantKeys, kinds: input?.kinds?.length ? new Set(input.kinds) : null };
}

/** Whether the event needs `completeRetraction` before `matches` can judge it. */
export function needsFigureScope(filter: ClaimEventFilter, event: ClaimEvent): boolean {
  return event.kind === 'RETRACTED' && (filter.incidentIds !== null || filter.placeIds !== null);
}

/**
 * A retraction event names only its statement's incidents; the figures it retracts may have an
 * incident and a place of their own. Adds them (one SQL statement).
 */
export async function completeRetraction(prisma: PrismaClient, event: ClaimEvent): Promise<ClaimEvent> {
  const figures = await prisma.figure.findMany({
    where: event.figureId === null ? { statementId: event.statementId } : { id: event.figureId },
    select: { incidentId: true, placeId: true },
  });
  const incidentIds = new Set(event.incidentIds);
  const placeIds = new Set(event.placeIds);
  for (const figure of figures) {
    if (figure.incidentId !== null) incidentIds.add(figure.incidentId);
    if (figure.placeId !== null) placeIds.add(figure.placeId);
  }
  return { ...event, incidentIds: [...incidentIds], placeIds: [...placeIds] };
}

export function matches(filter: ClaimEventFilter, event: ClaimEvent): boolean {
  if (filter.kinds && !filter.kinds.has(event.kind)) return false;
  if (!filter.claimantKeys.every((key) => key === event.claimantKey)) return false;
  if (filter.incidentIds && !event.incidentIds.some((id) => filter.incidentIds!.has(id))) return false;
  if (filter.placeIds) {
    const atPlace =
      event.placeIds.length > 0 ? event.placeIds.some((id) => filter.placeIds!.has(id)) : event.incidentIds.some((id) => filter.incidentsAtPlaces!.has(id));
    if (!atPlace) return false;
  }
  return true;
}
