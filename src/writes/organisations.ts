// Organisations: armed groups, forces, government bodies, news agencies and outlets. They nest
// (a desk within a newspaper) and may belong to a country.
import { OrganisationKind } from '../generated/prisma/enums.js';
import { InvalidInputError, NotFoundError } from '../rules/errors.js';
import { date, enumOf, externalId, inputObject, ref, text, textList, updatable } from '../rules/fields.js';
import { parseInput } from '../rules/parse.js';
import { EXPECTED_UPDATED_AT, EXTERNAL_ID, UPDATE_RULE } from './docs.js';
import { cleanAliases, createRecord, given, refuseParentCycle, updateRecord, type EntityWriteResult } from './editing.js';
import { resolveReferences } from './references.js';
import type { Tx, WriteSession } from './session.js';

const organisationFields = {
  name: text(500, 'The full name ("Baloch Liberation Army").'),
  aliases: textList(200, 50, 'Abbreviations and other names ("BLA"). Duplicates (ignoring case) and the name itself are dropped.').nullish(),
  kind: enumOf(OrganisationKind, 'What kind of body it is.'),
  country: ref(['Place'], 'The country it belongs to or operates from: a place of kind COUNTRY.').nullish(),
  parent: ref(
    ['Organisation'],
    'The organisation it is part of (a desk within a newspaper). Must not be the organisation itself or one of its parts.',
  ).nullish(),
  description: text(2_000, 'A short description.').nullish(),
  notes: text(2_000, 'Editorial notes ("banned separatist group").').nullish(),
};

export const createOrganisationInput = inputObject('CreateOrganisationInput', 'A new organisation.', {
  externalId: externalId(EXTERNAL_ID).nullish(),
  ...organisationFields,
});

export const updateOrganisationInput = inputObject('UpdateOrganisationInput', `Changes to an organisation. ${UPDATE_RULE}`, {
  organisation: ref(['Organisation'], 'The organisation to change.'),
  expectedUpdatedAt: date(EXPECTED_UPDATED_AT),
  ...updatable(organisationFields),
});

async function refuseNonCountry(tx: Tx, countryId: number | null | undefined) {
  if (countryId == null) return;
  const place = await tx.place.findUnique({ where: { id: countryId }, select: { kind: true } });
  if (!place) throw new NotFoundError('country', 'Place', countryId);
  if (place.kind !== 'COUNTRY') {
    throw new InvalidInputError([{ field: 'country', rule: `must be a place of kind COUNTRY (this place is a ${place.kind})`, code: 'NOT_ALLOWED' }]);
  }
}

export async function createOrganisation(session: WriteSession, raw: unknown): Promise<EntityWriteResult> {
  const input = await resolveReferences(session, parseInput(createOrganisationInput, raw));
  await refuseNonCountry(session.tx, input.country);
  const { externalId: _, country, parent, aliases, ...fields } = input;
  return createRecord(session, 'Organisation', input, () =>
    session.tx.organisation.create({ data: { ...fields, countryId: country, parentId: parent, aliases: cleanAliases(aliases ?? [], input.name) } }),
  );
}

export async function updateOrganisation(session: WriteSession, raw: unknown): Promise<EntityWriteResult> {
  const { organisation: id, expectedUpdatedAt, country, parent, ...fields } = await resolveReferences(session, parseInput(updateOrganisationInput, raw));
  const before = await session.tx.organisation.findUniqueOrThrow({ where: { id } });
  const data = given({ ...fields, countryId: country, parentId: parent });
  await refuseNonCountry(session.tx, data.countryId);
  await refuseParentCycle(session.tx, 'Organisation', id, data.parentId);
  if (data.aliases !== undefined || data.name) data.aliases = cleanAliases(data.aliases ?? before.aliases, data.name ?? before.name);
  return updateRecord(
    session,
    'Organisation',
    id,
    expectedUpdatedAt.at,
    data,
    async (updatedAt) =>
      (
        await session.tx.organisation.updateMany({
          where: { id, updatedAt: expectedUpdatedAt.at },
          data: { ...data, aliases: data.aliases ?? undefined, updatedAt },
        })
      ).count,
  );
}
