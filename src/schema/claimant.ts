// Who made a statement: an official, an organisation, or a group or person the reporting
// describes only in words ("security officials"). Never an invented name. Every claimant
// implements the `Claimant` interface, so one fragment (`name`, `claimantKind`) reads any of them.
import type { Official as OfficialRow, Organisation as OrganisationRow } from '../generated/prisma/client.js';
import { ClaimantKind } from '../generated/prisma/enums.js';
import { officialName } from '../claims/claimants.js';
import { builder } from './builder.js';
import { describedEnum } from './common.js';

export const ClaimantKindEnum = describedEnum('ClaimantKind', 'What kind of speaker made a statement.', ClaimantKind, {
  OFFICIAL: 'A person on record (named, or known by role).',
  ORGANISATION: 'An organisation speaking as itself (the BLA, the military).',
  UNNAMED_GROUP: 'Unnamed people described as a group ("security officials", "authorities").',
  UNNAMED_PERSON: 'One unnamed person the reporting does not tie to an official record.',
});

/** An unnamed speaker: no row of its own, only the statement's kind and words. */
export interface UnnamedClaimantShape {
  unnamed: true;
  kind: ClaimantKind;
  description: string;
}

export type ClaimantShape = OfficialRow | OrganisationRow | UnnamedClaimantShape;

/**
 * What the interface reads from any claimant: its GraphQL type (rows carry no type name, and
 * only organisations have a `kind` column), its kind and its name (the rule: src/claims/claimants.ts).
 */
function claimantFacts(claimant: ClaimantShape): { type: 'Official' | 'Organisation' | 'UnnamedClaimant'; kind: ClaimantKind; name: string } {
  if ('unnamed' in claimant) return { type: 'UnnamedClaimant', kind: claimant.kind, name: claimant.description };
  if ('kind' in claimant) return { type: 'Organisation', kind: 'ORGANISATION', name: claimant.name };
  return { type: 'Official', kind: 'OFFICIAL', name: officialName(claimant) };
}

export const Claimant = builder.interfaceRef<ClaimantShape>('Claimant').implement({
  description:
    'Who made a statement: an official, an organisation, or an unnamed speaker. Every kind has `name` and `claimantKind`, so one fragment reads any of them (`fragment Who on Claimant { name claimantKind }`); what only one kind has is read with `... on Official { roles { title } }`, `... on Organisation { aliases }`.',
  resolveType: (claimant) => claimantFacts(claimant).type,
  fields: (t) => ({
    name: t.string({
      description:
        'What to call the claimant: an organisation\'s full name ("Baloch Liberation Army"); an official\'s name or, when the reporting gives none, how it refers to them ("a senior police officer"); an unnamed speaker in the reporting\'s words ("security officials"). Never null, never an invented name.',
      resolve: (claimant) => claimantFacts(claimant).name,
    }),
    claimantKind: t.field({
      type: ClaimantKindEnum,
      description: "Official, organisation, or unnamed group or person (the same as the statement's `claimantKind`).",
      resolve: (claimant) => claimantFacts(claimant).kind,
    }),
  }),
});

builder.objectRef<UnnamedClaimantShape>('UnnamedClaimant').implement({
  description: 'A speaker the reporting does not name: kept in its own words ("security officials"), never given an invented identity.',
  interfaces: [Claimant],
  fields: (t) => ({
    kind: t.expose('kind', {
      type: ClaimantKindEnum,
      description: 'UNNAMED_GROUP or UNNAMED_PERSON.',
      deprecationReason: 'Use `claimantKind`, which every claimant has.',
    }),
    description: t.exposeString('description', { description: "Who spoke, in the reporting's words (the same as `name`)." }),
  }),
});

interface StatementClaimantFields {
  claimantKind: ClaimantKind;
  claimantDescription: string;
  official: OfficialRow | null;
  organisation: OrganisationRow | null;
}

/** The claimant of a statement loaded with its `official` and `organisation`. */
export function claimantOf(statement: StatementClaimantFields): ClaimantShape {
  if (statement.claimantKind === 'OFFICIAL' && statement.official) return statement.official;
  if (statement.claimantKind === 'ORGANISATION' && statement.organisation) return statement.organisation;
  return { unnamed: true, kind: statement.claimantKind, description: statement.claimantDescription };
}

/** Select this on a statement to resolve its claimant. */
export const claimantSelection = { official: true, organisation: true } as const;
