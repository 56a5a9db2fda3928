// Sources: the publications and recordings that carried statements.
import { SourceKind } from '../generated/prisma/enums.js';
import { date, enumOf, externalId, inputObject, ref, text, updatable, url } from '../rules/fields.js';
import { parseInput } from '../rules/parse.js';
import { EXPECTED_UPDATED_AT, EXTERNAL_ID, UPDATE_RULE } from './docs.js';
import { createRecord, given, updateRecord, type EntityWriteResult } from './editing.js';
import { resolveReferences } from './references.js';
import type { WriteSession } from './session.js';

const sourceFields = {
  title: text(1_000, 'The headline or title, when known.').nullish(),
  description: text(1_000, 'What the source is, in a few words ("Reuters report cited by The Indian Express").'),
  kind: enumOf(SourceKind, 'Article, wire report, video...'),
  publisher: ref(['Organisation'], 'The organisation that published it.').nullish(),
  byline: text(500, 'The byline as printed ("Express Global Desk").').nullish(),
  url: url('Where it can be read or watched.').nullish(),
  publishedAt: date('When it was published.').nullish(),
};

export const createSourceInput = inputObject('CreateSourceInput', 'A new source: a publication or recording that carried statements.', {
  externalId: externalId(EXTERNAL_ID).nullish(),
  ...sourceFields,
});

export const updateSourceInput = inputObject('UpdateSourceInput', `Changes to a source. ${UPDATE_RULE}`, {
  source: ref(['Source'], 'The source to change.'),
  expectedUpdatedAt: date(EXPECTED_UPDATED_AT),
  ...updatable(sourceFields),
});

export async function createSource(session: WriteSession, raw: unknown): Promise<EntityWriteResult> {
  const input = await resolveReferences(session, parseInput(createSourceInput, raw));
  const { externalId: _, publisher, publishedAt, ...fields } = input;
  return createRecord(session, 'Source', input, () => session.tx.source.create({ data: { ...fields, publisherId: publisher, publishedAt: publishedAt?.at } }));
}

export async function updateSource(session: WriteSession, raw: unknown): Promise<EntityWriteResult> {
  const { source: id, expectedUpdatedAt, publisher, publishedAt, ...fields } = await resolveReferences(session, parseInput(updateSourceInput, raw));
  const data = given({ ...fields, publisherId: publisher, publishedAt: publishedAt === undefined ? undefined : (publishedAt?.at ?? null) });
  return updateRecord(
    session,
    'Source',
    id,
    expectedUpdatedAt.at,
    data,
    async (updatedAt) => (await session.tx.source.updateMany({ where: { id, updatedAt: expectedUpdatedAt.at }, data: { ...data, updatedAt } })).count,
  );
}
