// A drafted statement as the input that records it: `recordStatement` input with global IDs
// (GraphQL, `npm run draft`), or a partner's NDJSON line with external-ID references (bulk
// import). One mapping for both, so the two can never disagree about what a draft says.
import type { Draft, DraftStatement } from './types.js';

/** How references are written: a global ID, or `{ externalId }`. Null when there is nothing to point to. */
export interface References<Ref> {
  organisation(id: number | null, proposed?: number | null): Ref | null;
  official(id: number | null, proposed?: number | null): Ref | null;
  place(id: number | null, proposed?: number | null): Ref | null;
  incident(index: number): Ref | null;
  source(index: number): Ref | null;
}

/** The external ID a drafted figure is recorded with: stable for the same text. */
export const figureExternalId = (draft: Draft, statement: number, figure: number) => `${draft.key}:figure:${statement}:${figure}`;

export function recordInput<Ref>(draft: Draft, statement: DraftStatement, n: number, refs: References<Ref>) {
  const present = <T>(list: (T | null)[]) => list.filter((x): x is T => x !== null);
  const isOfficial = statement.claimant.kind === 'OFFICIAL';
  const isOrganisation = statement.claimant.kind === 'ORGANISATION';
  return {
    externalId: `${draft.key}:statement:${n}`,
    kind: statement.kind,
    claimant: {
      kind: statement.claimant.kind,
      official: isOfficial ? refs.official(statement.claimant.officialId, statement.claimant.proposedEntity) : null,
      organisation: isOrganisation ? refs.organisation(statement.claimant.organisationId, statement.claimant.proposedEntity) : null,
      description: statement.claimant.description,
      affiliation: statement.claimant.affiliation,
    },
    madeAt: statement.madeAt,
    madeAtPrecision: statement.madeAtPrecision,
    text: statement.text,
    isDirectQuote: false,
    verification: statement.verification,
    verificationNote: statement.verificationNote,
    verifiedBy: refs.organisation(statement.verifiedById),
    sources: present(statement.sourceChain.map((i) => refs.source(i))),
    incidents: present(statement.incidents.map((i) => refs.incident(i))),
    figures: statement.figures.map((f, m) => ({
      externalId: figureExternalId(draft, n, m),
      metric: f.metric,
      victimCategory: f.victimCategory,
      side: f.side,
      victimDescription: f.victimDescription,
      countedOrganisation: refs.organisation(f.countedOrganisationId),
      place: refs.place(f.placeId, f.proposedPlace),
      incident:
        f.incidentId === null
          ? statement.incidents[0] === undefined
            ? null
            : refs.incident(statement.incidents[0])
          : refs.incident(statement.incidents.find((i) => draft.incidents[i]!.incidentId === f.incidentId) ?? statement.incidents[0]!),
      quantity: { ...f.quantity },
      breakdown: f.breakdown.map(({ label, count }) => ({ label, count })),
    })),
  };
}
