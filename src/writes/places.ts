// Places: countries, provinces, districts, cities, areas and sites. Places nest.
import { PlaceKind } from '../generated/prisma/enums.js';
import { externalId, float, inputObject, ref, text, textList, enumOf, date, updatable } from '../rules/fields.js';
import { parseInput } from '../rules/parse.js';
import { EXPECTED_UPDATED_AT, EXTERNAL_ID, UPDATE_RULE } from './docs.js';
import { cleanAliases, createRecord, given, refuseIf, refuseParentCycle, updateRecord, type EntityWriteResult } from './editing.js';
import { resolveReferences } from './references.js';
import type { WriteSession } from './session.js';

const placeFields = {
  name: text(300, 'The name used in reporting ("Gwadar").'),
  aliases: textList(200, 50, 'Other names and spellings. Duplicates (ignoring case) and the name itself are dropped.').nullish(),
  kind: enumOf(PlaceKind, 'Country, province, district, city, area or site.'),
  parent: ref(['Place'], 'The place this one lies in. Must not be the place itself or a place inside it.').nullish(),
  latitude: float(-90, 90, 'Latitude in degrees (WGS 84), from -90 to 90; give it together with `longitude`.').nullish(),
  longitude: float(-180, 180, 'Longitude in degrees (WGS 84), from -180 to 180; give it together with `latitude`.').nullish(),
  description: text(2_000, 'How reporting describes the place ("port city").').nullish(),
};

function coordinatesTogether(latitude: number | null | undefined, longitude: number | null | undefined) {
  return [
    latitude != null && longitude == null && { field: 'longitude', rule: 'must be given together with latitude', code: 'INCONSISTENT' as const },
    longitude != null && latitude == null && { field: 'latitude', rule: 'must be given together with longitude', code: 'INCONSISTENT' as const },
  ];
}

export const createPlaceInput = inputObject('CreatePlaceInput', 'A new place.', { externalId: externalId(EXTERNAL_ID).nullish(), ...placeFields });

export const updatePlaceInput = inputObject('UpdatePlaceInput', `Changes to a place. ${UPDATE_RULE}`, {
  place: ref(['Place'], 'The place to change.'),
  expectedUpdatedAt: date(EXPECTED_UPDATED_AT),
  ...updatable(placeFields),
});

export async function createPlace(session: WriteSession, raw: unknown): Promise<EntityWriteResult> {
  const input = await resolveReferences(session, parseInput(createPlaceInput, raw));
  refuseIf(coordinatesTogether(input.latitude, input.longitude));
  const { externalId: _, parent, aliases, ...fields } = input;
  return createRecord(session, 'Place', input, () =>
    session.tx.place.create({ data: { ...fields, parentId: parent, aliases: cleanAliases(aliases ?? [], input.name) } }),
  );
}

export async function updatePlace(session: WriteSession, raw: unknown): Promise<EntityWriteResult> {
  const { place: id, expectedUpdatedAt, parent, ...fields } = await resolveReferences(session, parseInput(updatePlaceInput, raw));
  const before = await session.tx.place.findUniqueOrThrow({ where: { id } });
  const data = given({ ...fields, parentId: parent });
  refuseIf(
    coordinatesTogether(data.latitude === undefined ? before.latitude : data.latitude, data.longitude === undefined ? before.longitude : data.longitude),
  );
  await refuseParentCycle(session.tx, 'Place', id, data.parentId);
  if (data.aliases !== undefined || data.name) data.aliases = cleanAliases(data.aliases ?? before.aliases, data.name ?? before.name);
  return updateRecord(
    session,
    'Place',
    id,
    expectedUpdatedAt.at,
    data,
    async (updatedAt) =>
      (await session.tx.place.updateMany({ where: { id, updatedAt: expectedUpdatedAt.at }, data: { ...data, aliases: data.aliases ?? undefined, updatedAt } }))
        .count,
  );
}
