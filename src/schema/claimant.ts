// Who made a statement: an official, an organisation, or a group or person the reporting
// describes only in words ("security officials"). Never an invented name.
import type { Official as OfficialRow, Organisation as OrganisationRow } from '../generated/prisma/client.js';
import { ClaimantKind } from '../generated/prisma/enums.js';
import { builder } from './builder.js';
import { describedEnum } from './common.js';
import { Official } from './official.js';
import { Organisation } from './organisation.js';

export const ClaimantKindEnum = describedEnum('ClaimantKind', 'What kind of speaker made a statement.', ClaimantKind, {
  OFFICIAL: 'A person on record (named, or known by role).',
  ORGANISATION: 'An organisation speaking as itself (the BLA, the military).',
  UNNAMED_GROUP: 'Unnamed people described as a group ("security officials", "authorities").',
  UNNAMED_PERSON: 'One unnamed person the reporting does not tie to an official record.',
});

export interface UnnamedClaimantShape {
  unnamed: true;
  kind: ClaimantKind;
  description: string;
}

const UnnamedClaimant = builder.objectRef<UnnamedClaimantShape>('UnnamedClaimant').implement({
  description:
    'A speaker the reporting does not name: kept in its own words ("security officials"), never given an invented identity.',
  fields: (t) => ({
    kind: t.expose('kind', { type: ClaimantKindEnum, description: 'UNNAMED_GROUP or UNNAMED_PERSON.' }),
    description: t.exposeString('description', { description: 'Who spoke, in the reporting\'s words.' }),
  }),
});

export type ClaimantShape = OfficialRow | OrganisationRow | UnnamedClaimantShape;

export const Claimant = builder.unionType('Claimant', {
  description: 'Who made a statement: an official, an organisation, or an unnamed speaker.',
  types: [Official, Organisation, UnnamedClaimant],
  resolveType: (claimant) => ('unnamed' in claimant ? UnnamedClaimant : 'kind' in claimant ? Organisation : Official),
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
