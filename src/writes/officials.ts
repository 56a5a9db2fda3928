// Officials: people who speak or act, named or known only by their role. An official's roles
// belong to it and are written with it.
import { date, externalId, inputObject, ref, text, textList, updatable } from '../rules/fields.js';
import { parseInput } from '../rules/parse.js';
import { z } from 'zod';
import { EXPECTED_UPDATED_AT, EXTERNAL_ID, UPDATE_RULE } from './docs.js';
import { cleanAliases, createRecord, given, refuseIf, updateRecord, type EntityWriteResult } from './editing.js';
import { resolveReferences } from './references.js';
import type { WriteSession } from './session.js';

const roleInput = inputObject(
  'OfficialRoleInput',
  'A role an official holds or held.',
  {
    title: text(300, 'The title as reported ("Interior Minister").'),
    organisation: ref(['Organisation'], 'The organisation the role is in.').nullish(),
    place: ref(['Place'], 'The place the role is responsible for (a district for its administrator).').nullish(),
    startedOn: date('When the role began, if known.').nullish(),
    endedOn: date('When the role ended, if it has (not before `startedOn`).').nullish(),
  },
  (role, refuse) => {
    if (role.startedOn && role.endedOn && role.endedOn.at < role.startedOn.at) refuse('endedOn', 'must not be before startedOn', 'EMPTY_RANGE');
  },
);

const officialFields = {
  name: text(300, "The person's name, when the reporting gives it. Leave out when only a role is known: no name is invented.").nullish(),
  description: text(1_000, 'How the reporting refers to the person ("a senior police officer"). Needed when there is no name.').nullish(),
  aliases: textList(200, 50, 'Other spellings of the name. Duplicates (ignoring case) and the name itself are dropped.').nullish(),
  roles: z
    .array(roleInput)
    .max(50, 'must hold at most 50 items')
    .meta({ description: 'Roles the person holds or held (at most 50). In an update, the list replaces all roles.' })
    .nullish(),
};

const NEEDS_A_NAME = 'give a name or, when the reporting names no one, a description ("a senior police officer")';

export const createOfficialInput = inputObject(
  'CreateOfficialInput',
  'A new official: a name, or (when the reporting names no one) a description, or both.',
  { externalId: externalId(EXTERNAL_ID).nullish(), ...officialFields },
  (official, refuse) => {
    if (!official.name && !official.description) refuse('name', NEEDS_A_NAME, 'REQUIRED');
  },
);

export const updateOfficialInput = inputObject('UpdateOfficialInput', `Changes to an official. ${UPDATE_RULE} Name and description cannot both end up empty.`, {
  official: ref(['Official'], 'The official to change.'),
  expectedUpdatedAt: date(EXPECTED_UPDATED_AT),
  ...updatable(officialFields),
});

type Role = { title: string; organisation?: number | null; place?: number | null; startedOn?: { at: Date } | null; endedOn?: { at: Date } | null };
const roleRows = (roles: Role[]) =>
  roles.map((role) => ({
    title: role.title,
    organisationId: role.organisation ?? null,
    placeId: role.place ?? null,
    startedOn: role.startedOn?.at ?? null,
    endedOn: role.endedOn?.at ?? null,
  }));

export async function createOfficial(session: WriteSession, raw: unknown): Promise<EntityWriteResult> {
  const input = await resolveReferences(session, parseInput(createOfficialInput, raw));
  return createRecord(session, 'Official', input, () =>
    session.tx.official.create({
      data: {
        name: input.name,
        description: input.description,
        aliases: cleanAliases(input.aliases ?? [], input.name),
        roles: { create: roleRows(input.roles ?? []) },
      },
    }),
  );
}

export async function updateOfficial(session: WriteSession, raw: unknown): Promise<EntityWriteResult> {
  const { official: id, expectedUpdatedAt, roles, ...fields } = await resolveReferences(session, parseInput(updateOfficialInput, raw));
  const before = await session.tx.official.findUniqueOrThrow({ where: { id } });
  const data = given(fields);
  const name = data.name === undefined ? before.name : data.name;
  const description = data.description === undefined ? before.description : data.description;
  refuseIf([
    !name &&
      !description && {
        field: data.name === null ? 'name' : 'description',
        rule: `an official needs a name or a description: ${NEEDS_A_NAME}`,
        code: 'REQUIRED',
      },
  ]);
  if (data.aliases !== undefined || data.name) data.aliases = cleanAliases(data.aliases ?? before.aliases, name);
  // null clears the roles; left out, they stay.
  const newRoles = roles === undefined ? undefined : roleRows(roles ?? []);
  const changes = { ...data, ...(newRoles ? { roles: newRoles } : {}) };
  return updateRecord(session, 'Official', id, expectedUpdatedAt.at, changes, async (updatedAt) => {
    const { count } = await session.tx.official.updateMany({
      where: { id, updatedAt: expectedUpdatedAt.at },
      data: { ...data, aliases: data.aliases ?? undefined, updatedAt },
    });
    // A list given replaces the roles: they are part of the official and referenced by nothing else.
    if (count > 0 && newRoles) {
      await session.tx.officialRole.deleteMany({ where: { officialId: id } });
      await session.tx.officialRole.createMany({ data: newRoles.map((role) => ({ ...role, officialId: id })) });
    }
    return count;
  });
}
