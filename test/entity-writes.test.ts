// Writing the things claims are about — organisations, officials, places, sources, incidents —
// and merging duplicates, over HTTP with real API keys. Refused writes leave every table as it
// was; merges lose nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../src/auth/keys.js';
import { Prisma } from '../src/generated/prisma/client.js';
import { idByExternalId, startGateway, type GraphQLResponse, type TestGateway } from './support/gateway.js';

let gateway: TestGateway;
let writer: string;
let admin: string;
let reader: string;

beforeAll(async () => {
  gateway = await startGateway();
  writer = (await createApiKey(gateway.db.prisma, 'entity writer', ['WRITE'])).secret;
  admin = (await createApiKey(gateway.db.prisma, 'entity admin', ['ADMIN'])).secret;
  reader = (await createApiKey(gateway.db.prisma, 'entity reader', ['READ'])).secret;
});
afterAll(() => gateway.close());

const gid = (type: string, id: number) => Buffer.from(`${type}:${id}`).toString('base64');
const dbId = (globalId: string) => Number(Buffer.from(globalId, 'base64').toString().split(':')[1]);
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

/** A mutation that must not fail at the GraphQL level; returns its data. */
async function send(query: string, variables: Record<string, unknown>, key = writer) {
  const response = await gateway.graphql(query, variables, bearer(key));
  expect(response.errors).toBeUndefined();
  return response.data;
}

const seedId = (table: 'place' | 'organisation' | 'official' | 'incident', key: string): Promise<number> =>
  idByExternalId(gateway.db, table.charAt(0).toUpperCase() + table.slice(1), `seed:${key}`);

/** Every row of every table, as JSON: what "the database is unchanged" is checked against. */
async function dumpAllTables(): Promise<Record<string, unknown[]>> {
  const tables = await gateway.db.prisma.$queryRaw<{ name: string }[]>`
    SELECT table_name AS name FROM information_schema.tables
    WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations'
    ORDER BY table_name`;
  const dump: Record<string, unknown[]> = {};
  for (const { name } of tables) {
    const rows = await gateway.db.prisma.$queryRaw<{ row: string }[]>`
      SELECT to_jsonb(t)::text AS row FROM ${Prisma.raw(`"${name.replaceAll('"', '""')}"`)} t ORDER BY 1`;
    dump[name] = rows.map((r) => r.row);
  }
  return dump;
}

/** Runs a write that must be refused and checks that no table changed. */
async function refused(query: string, variables: Record<string, unknown>, key = writer): Promise<GraphQLResponse> {
  const before = await dumpAllTables();
  const response = await gateway.graphql(query, variables, bearer(key));
  expect(await dumpAllTables()).toEqual(before);
  return response;
}

const ERRORS = `... on WriteError { __typename message } ... on InvalidInput { issues { field rule } } ... on Conflict { field } ... on NotFound { field entityType }`;

const CREATE_ORGANISATION = `mutation($input: CreateOrganisationInput!) { createOrganisation(input: $input) {
  __typename ... on OrganisationWritePayload { replayed organisation { id name aliases kind updatedAt country { name } parent { name } } } ${ERRORS} } }`;
const UPDATE_ORGANISATION = `mutation($input: UpdateOrganisationInput!) { updateOrganisation(input: $input) {
  __typename ... on OrganisationWritePayload { organisation { id name aliases updatedAt parent { name } } } ${ERRORS} } }`;
const CREATE_PLACE = `mutation($input: CreatePlaceInput!) { createPlace(input: $input) {
  __typename ... on PlaceWritePayload { replayed place { id name aliases kind latitude longitude updatedAt parent { name } } } ${ERRORS} } }`;
const UPDATE_PLACE = `mutation($input: UpdatePlaceInput!) { updatePlace(input: $input) {
  __typename ... on PlaceWritePayload { place { id name updatedAt parent { name } } } ${ERRORS} } }`;
const CREATE_OFFICIAL = `mutation($input: CreateOfficialInput!) { createOfficial(input: $input) {
  __typename ... on OfficialWritePayload { replayed official { id name reportedName description displayName aliases updatedAt roles { title organisation { name } place { name } } } } ${ERRORS} } }`;
const UPDATE_OFFICIAL = `mutation($input: UpdateOfficialInput!) { updateOfficial(input: $input) {
  __typename ... on OfficialWritePayload { official { id name description updatedAt roles { title } } } ${ERRORS} } }`;
const CREATE_SOURCE = `mutation($input: CreateSourceInput!) { createSource(input: $input) {
  __typename ... on SourceWritePayload { replayed source { id title description kind url byline publishedAt updatedAt publisher { name } } } ${ERRORS} } }`;
const UPDATE_SOURCE = `mutation($input: UpdateSourceInput!) { updateSource(input: $input) {
  __typename ... on SourceWritePayload { source { id title url updatedAt } } ${ERRORS} } }`;
const CREATE_INCIDENT = `mutation($input: CreateIncidentInput!) { createIncident(input: $input) {
  __typename ... on IncidentWritePayload { replayed incident { id title kind startedAt endedAt datePrecision updatedAt
    parent { title } places { name } participants { role description organisation { name } official { displayName } } } } ${ERRORS} } }`;
const UPDATE_INCIDENT = `mutation($input: UpdateIncidentInput!) { updateIncident(input: $input) {
  __typename ... on IncidentWritePayload { incident { id title endedAt updatedAt parent { title } places { name } } } ${ERRORS} } }`;
const RECORD_STATEMENT = `mutation($input: RecordStatementInput!) { recordStatement(input: $input) {
  __typename ... on RecordPayload { statement { id } figures { id } } ${ERRORS} } }`;
const MERGE_ORGANISATIONS = `mutation($keep: ID!, $duplicate: ID!) { mergeOrganisations(keep: $keep, duplicate: $duplicate) {
  __typename ... on OrganisationMergePayload { addedAliases moved { reference count } organisation { id name aliases updatedAt } } ${ERRORS} } }`;
const MERGE_PLACES = `mutation($keep: ID!, $duplicate: ID!) { mergePlaces(keep: $keep, duplicate: $duplicate) {
  __typename ... on PlaceMergePayload { addedAliases moved { reference count } place { id name aliases latitude longitude children { name } } } ${ERRORS} } }`;
const MERGE_OFFICIALS = `mutation($keep: ID!, $duplicate: ID!) { mergeOfficials(keep: $keep, duplicate: $duplicate) {
  __typename ... on OfficialMergePayload { addedAliases moved { reference count } official { id name aliases roles { title } } } ${ERRORS} } }`;

describe('who may write', () => {
  it('refuses entity writes without a key, with a READ-only key, and merges without ADMIN — changing nothing', async () => {
    const input = { name: 'Unauthorised Front', kind: 'ARMED_GROUP' };
    const before = await dumpAllTables();
    const anonymous = await gateway.graphql(CREATE_ORGANISATION, { input });
    expect(anonymous.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/needs an API key: send "Authorization: Bearer <key>"/),
      extensions: { code: 'UNAUTHENTICATED' },
    });
    const readOnly = await gateway.graphql(CREATE_ORGANISATION, { input }, bearer(reader));
    expect(readOnly.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/"entity reader" \(READ\) may not use Mutation.createOrganisation: .*writing WRITE/),
      extensions: { code: 'FORBIDDEN' },
    });
    const bla = gid('Organisation', await seedId('organisation', 'bla'));
    const reuters = gid('Organisation', await seedId('organisation', 'reuters'));
    const notAdmin = await gateway.graphql(MERGE_ORGANISATIONS, { keep: bla, duplicate: reuters }, bearer(writer));
    expect(notAdmin.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/mergeOrganisations merges records and needs an API key with the ADMIN scope/),
      extensions: { code: 'FORBIDDEN' },
    });
    expect(await dumpAllTables()).toEqual(before);
  });
});

describe('creating each kind of entity', () => {
  it('creates a place, an organisation, an official, a source and an incident, each audited', async () => {
    const pakistan = gid('Place', await seedId('place', 'pakistan'));
    const balochistan = gid('Place', await seedId('place', 'balochistan'));
    const parentIncident = gid('Incident', await seedId('incident', 'balochistan-attacks'));

    const { createPlace } = await send(CREATE_PLACE, {
      input: { externalId: 'test:turbat', name: 'Turbat', aliases: ['Turbat', 'Kech'], kind: 'CITY', parent: balochistan, latitude: 26.0, longitude: 63.05 },
    });
    expect(createPlace).toMatchObject({
      __typename: 'PlaceWritePayload',
      replayed: false,
      place: { name: 'Turbat', aliases: ['Kech'], latitude: 26, parent: { name: 'Balochistan' } },
    });

    const { createOrganisation } = await send(CREATE_ORGANISATION, {
      input: { externalId: 'test:levies', name: 'Balochistan Levies', aliases: ['Levies', 'levies'], kind: 'SECURITY_FORCES', country: pakistan },
    });
    expect(createOrganisation.organisation).toMatchObject({ name: 'Balochistan Levies', aliases: ['Levies'], country: { name: 'Pakistan' }, parent: null });

    // Only a role is known: no name is invented.
    const { createOfficial } = await send(CREATE_OFFICIAL, {
      input: {
        externalId: 'test:turbat-commissioner',
        description: 'the Turbat commissioner',
        roles: [{ title: 'commissioner', place: createPlace.place.id, organisation: createOrganisation.organisation.id, startedOn: '2025-01-01' }],
      },
    });
    expect(createOfficial.official).toMatchObject({
      reportedName: null,
      name: 'the Turbat commissioner',
      displayName: 'the Turbat commissioner',
      roles: [{ title: 'commissioner', place: { name: 'Turbat' }, organisation: { name: 'Balochistan Levies' } }],
    });

    const { createSource } = await send(CREATE_SOURCE, {
      input: {
        externalId: 'test:levies-release',
        description: 'Levies press release',
        kind: 'PRESS_RELEASE',
        publisher: createOrganisation.organisation.id,
        url: 'https://example.org/levies/1',
        publishedAt: '2026-02-01T08:00:00Z',
      },
    });
    expect(createSource.source).toMatchObject({
      title: null,
      url: 'https://example.org/levies/1',
      publisher: { name: 'Balochistan Levies' },
      publishedAt: '2026-02-01T08:00:00.000Z',
    });

    const { createIncident } = await send(CREATE_INCIDENT, {
      input: {
        externalId: 'test:turbat-attack',
        title: 'Attack on a Levies post in Turbat',
        kind: 'ARMED_ATTACK',
        startedAt: '2026-01-31',
        endedAt: '2026-02-01',
        parent: parentIncident,
        places: [createPlace.place.id, createPlace.place.id],
        participants: [
          { role: 'TARGET', description: 'a Levies post', organisation: createOrganisation.organisation.id },
          { role: 'RESPONDER', description: 'the commissioner', official: createOfficial.official.id },
          { role: 'PERPETRATOR', description: 'armed men' },
        ],
      },
    });
    expect(createIncident.incident).toMatchObject({
      title: 'Attack on a Levies post in Turbat',
      datePrecision: 'DAY',
      startedAt: '2026-01-31T00:00:00.000Z',
      parent: { title: 'Coordinated militant attacks across Balochistan' },
      places: [{ name: 'Turbat' }],
      participants: [
        { role: 'TARGET', organisation: { name: 'Balochistan Levies' }, official: null },
        { role: 'RESPONDER', official: { displayName: 'the Turbat commissioner' } },
        { role: 'PERPETRATOR', description: 'armed men', organisation: null, official: null },
      ],
    });

    // One CREATE change per entity, by the writer's key.
    const created = [
      ['Place', createPlace.place.id],
      ['Organisation', createOrganisation.organisation.id],
      ['Official', createOfficial.official.id],
      ['Source', createSource.source.id],
      ['Incident', createIncident.incident.id],
    ] as const;
    for (const [entityType, id] of created) {
      const changes = await gateway.db.prisma.change.findMany({ where: { entityType, entityId: dbId(id) } });
      expect(changes).toEqual([expect.objectContaining({ operation: 'CREATE', apiKeyId: expect.any(Number), before: null })]);
    }
  });

  it('returns the existing entity for the same externalId and content (replayed); other content is a Conflict naming the fields; writing nothing', async () => {
    const before = await dumpAllTables();
    const pakistan = gid('Place', await seedId('place', 'pakistan'));
    const levies = { externalId: 'test:levies', name: 'Balochistan Levies', aliases: ['Levies', 'levies'], kind: 'SECURITY_FORCES', country: pakistan };
    const again = await send(CREATE_ORGANISATION, { input: levies });
    expect(again.createOrganisation).toMatchObject({ replayed: true, organisation: { name: 'Balochistan Levies' } });
    const resent = await send(CREATE_ORGANISATION, { input: { ...levies, name: 'Balochistan Levies (resent)', country: null } });
    expect(resent.createOrganisation).toMatchObject({
      __typename: 'Conflict',
      field: 'externalId',
      message: expect.stringMatching(/these fields differ from it: country, name/),
    });
    const place = await send(CREATE_PLACE, { input: { externalId: 'test:turbat', name: 'Turbat', kind: 'CITY' } });
    expect(place.createPlace).toMatchObject({ __typename: 'Conflict', field: 'externalId' });
    expect(await dumpAllTables()).toEqual(before);
  });
});

describe('updating with the updatedAt the writer read', () => {
  it('applies an update made on the current state, and refuses one made on a stale state with a Conflict', async () => {
    const { createOrganisation: created } = await send(CREATE_ORGANISATION, { input: { name: 'Frontier Corps Balochistan', kind: 'SECURITY_FORCES' } });
    const id = created.organisation.id;
    const read = created.organisation.updatedAt;

    const first = await send(UPDATE_ORGANISATION, {
      input: { organisation: id, expectedUpdatedAt: read, aliases: ['FC', 'FC Balochistan'], description: 'Paramilitary force' },
    });
    expect(first.updateOrganisation.organisation).toMatchObject({ name: 'Frontier Corps Balochistan', aliases: ['FC', 'FC Balochistan'] });
    expect(first.updateOrganisation.organisation.updatedAt).not.toBe(read);

    // A second writer still holding the first state is refused: the first edit is not silently lost.
    const stale = await refused(UPDATE_ORGANISATION, { input: { organisation: id, expectedUpdatedAt: read, name: 'FC' } });
    expect(stale.data.updateOrganisation).toMatchObject({
      __typename: 'Conflict',
      field: 'expectedUpdatedAt',
      message: expect.stringMatching(/re-read it and try again/),
    });

    // Immediately after: the token moved on, even within the same millisecond.
    const token = first.updateOrganisation.organisation.updatedAt;
    const second = await send(UPDATE_ORGANISATION, { input: { organisation: id, expectedUpdatedAt: token, description: null } });
    const third = await refused(UPDATE_ORGANISATION, { input: { organisation: id, expectedUpdatedAt: token, notes: 'x' } });
    expect(third.data.updateOrganisation.__typename).toBe('Conflict');
    expect(second.updateOrganisation.organisation.updatedAt > token).toBe(true);

    const history = await gateway.db.prisma.change.findMany({ where: { entityType: 'Organisation', entityId: dbId(id) }, orderBy: { id: 'asc' } });
    expect(history.map((c) => c.operation)).toEqual(['CREATE', 'UPDATE', 'UPDATE']);
    expect(history[1]).toMatchObject({
      before: expect.objectContaining({ description: null }),
      after: expect.objectContaining({ description: 'Paramilitary force' }),
    });
  });

  it('updates places, officials, sources and incidents the same way', async () => {
    const turbat = await gateway.db.prisma.place.findUniqueOrThrow({ where: { id: await idByExternalId(gateway.db, 'Place', 'test:turbat') } });
    const place = await send(UPDATE_PLACE, {
      input: { place: gid('Place', turbat.id), expectedUpdatedAt: turbat.updatedAt.toISOString(), name: 'Turbat city' },
    });
    expect(place.updatePlace.place.name).toBe('Turbat city');

    const official = await gateway.db.prisma.official.findUniqueOrThrow({
      where: { id: await idByExternalId(gateway.db, 'Official', 'test:turbat-commissioner') },
    });
    const updated = await send(UPDATE_OFFICIAL, {
      input: {
        official: gid('Official', official.id),
        expectedUpdatedAt: official.updatedAt.toISOString(),
        name: 'Hussain Baloch',
        roles: [{ title: 'deputy commissioner' }],
      },
    });
    expect(updated.updateOfficial.official).toMatchObject({
      name: 'Hussain Baloch',
      description: 'the Turbat commissioner',
      roles: [{ title: 'deputy commissioner' }],
    });
    // Name and description cannot both be cleared.
    const empty = await refused(UPDATE_OFFICIAL, {
      input: { official: gid('Official', official.id), expectedUpdatedAt: updated.updateOfficial.official.updatedAt, name: null, description: null },
    });
    expect(empty.data.updateOfficial).toMatchObject({
      __typename: 'InvalidInput',
      issues: [{ field: 'name', rule: expect.stringMatching(/name or a description/) }],
    });

    const source = await gateway.db.prisma.source.findUniqueOrThrow({ where: { id: await idByExternalId(gateway.db, 'Source', 'test:levies-release') } });
    const changedSource = await send(UPDATE_SOURCE, {
      input: { source: gid('Source', source.id), expectedUpdatedAt: source.updatedAt.toISOString(), title: 'Levies statement', url: null },
    });
    expect(changedSource.updateSource.source).toMatchObject({ title: 'Levies statement', url: null });

    const incident = await gateway.db.prisma.incident.findUniqueOrThrow({ where: { id: await idByExternalId(gateway.db, 'Incident', 'test:turbat-attack') } });
    const quetta = gid('Place', await seedId('place', 'quetta'));
    const changedIncident = await send(UPDATE_INCIDENT, {
      input: {
        incident: gid('Incident', incident.id),
        expectedUpdatedAt: incident.updatedAt.toISOString(),
        places: [quetta, gid('Place', turbat.id)],
        endedAt: null,
      },
    });
    expect(changedIncident.updateIncident.incident).toMatchObject({ endedAt: null, places: [{ name: 'Quetta' }, { name: 'Turbat city' }] });
    // endedAt is checked against the stored startedAt.
    const early = await refused(UPDATE_INCIDENT, {
      input: { incident: gid('Incident', incident.id), expectedUpdatedAt: changedIncident.updateIncident.incident.updatedAt, endedAt: '2026-01-01' },
    });
    expect(early.data.updateIncident).toMatchObject({
      __typename: 'InvalidInput',
      issues: [{ field: 'endedAt', rule: expect.stringMatching(/must not be before startedAt/) }],
    });
  });

  it('refuses parents that would make a tree a cycle', async () => {
    const balochistan = await gateway.db.prisma.place.findUniqueOrThrow({ where: { id: await idByExternalId(gateway.db, 'Place', 'seed:balochistan') } });
    const gwadarCamp = gid('Place', await seedId('place', 'gwadar-migrant-workers-camp'));
    const place = await refused(UPDATE_PLACE, {
      input: { place: gid('Place', balochistan.id), expectedUpdatedAt: balochistan.updatedAt.toISOString(), parent: gwadarCamp },
    });
    expect(place.data.updatePlace).toMatchObject({ __typename: 'InvalidInput', issues: [{ field: 'parent', rule: expect.stringMatching(/cycle/) }] });

    const self = await refused(UPDATE_PLACE, {
      input: { place: gid('Place', balochistan.id), expectedUpdatedAt: balochistan.updatedAt.toISOString(), parent: gid('Place', balochistan.id) },
    });
    expect(self.data.updatePlace.issues).toEqual([{ field: 'parent', rule: 'must not be the place itself' }]);

    const newspaper = await gateway.db.prisma.organisation.findUniqueOrThrow({
      where: { id: await idByExternalId(gateway.db, 'Organisation', 'seed:indian-express') },
    });
    const desk = gid('Organisation', await seedId('organisation', 'express-global-desk'));
    const organisation = await refused(UPDATE_ORGANISATION, {
      input: { organisation: gid('Organisation', newspaper.id), expectedUpdatedAt: newspaper.updatedAt.toISOString(), parent: desk },
    });
    expect(organisation.data.updateOrganisation).toMatchObject({
      __typename: 'InvalidInput',
      issues: [{ field: 'parent', rule: expect.stringMatching(/cycle/) }],
    });

    const attacks = await gateway.db.prisma.incident.findUniqueOrThrow({
      where: { id: await idByExternalId(gateway.db, 'Incident', 'seed:balochistan-attacks') },
    });
    const part = gid('Incident', await seedId('incident', 'gwadar-camp-attack'));
    const incident = await refused(UPDATE_INCIDENT, {
      input: { incident: gid('Incident', attacks.id), expectedUpdatedAt: attacks.updatedAt.toISOString(), parent: part },
    });
    expect(incident.data.updateIncident).toMatchObject({ __typename: 'InvalidInput', issues: [{ field: 'parent', rule: expect.stringMatching(/cycle/) }] });
  });
});

describe('bad input', () => {
  it('names every broken field and rule, and writes nothing', async () => {
    const place = await refused(CREATE_PLACE, { input: { name: '  ', kind: 'CITY', latitude: 91, longitude: -181 } });
    expect(place.data.createPlace.__typename).toBe('InvalidInput');
    expect(place.data.createPlace.issues).toEqual(
      expect.arrayContaining([
        { field: 'name', rule: 'must not be empty' },
        { field: 'latitude', rule: 'must be between -90 and 90' },
        { field: 'longitude', rule: 'must be between -180 and 180' },
      ]),
    );
    const half = await refused(CREATE_PLACE, { input: { name: 'Somewhere', kind: 'SITE', latitude: 30 } });
    expect(half.data.createPlace.issues).toEqual([{ field: 'longitude', rule: 'must be given together with latitude' }]);

    const source = await refused(CREATE_SOURCE, { input: { description: 'A leaked file', kind: 'OTHER', url: 'ftp://example.org/file' } });
    expect(source.data.createSource).toMatchObject({
      __typename: 'InvalidInput',
      issues: [{ field: 'url', rule: 'must be an absolute http:// or https:// address' }],
    });
    const script = await refused(CREATE_SOURCE, { input: { description: 'x', kind: 'OTHER', url: 'javascript:alert(1)' } });
    expect(script.data.createSource.issues[0].field).toBe('url');

    const incident = await refused(CREATE_INCIDENT, { input: { title: 'Backwards', kind: 'CLASH', startedAt: '2026-02-02', endedAt: '2026-02-01' } });
    expect(incident.data.createIncident).toMatchObject({
      __typename: 'InvalidInput',
      issues: [{ field: 'endedAt', rule: expect.stringMatching(/must not be before startedAt/) }],
    });

    const both = await refused(CREATE_INCIDENT, {
      input: {
        title: 'Two at once',
        kind: 'CLASH',
        participants: [
          {
            role: 'TARGET',
            description: 'x',
            organisation: gid('Organisation', await seedId('organisation', 'bla')),
            official: gid('Official', await seedId('official', 'mohsin-naqvi')),
          },
        ],
      },
    });
    expect(both.data.createIncident.issues).toEqual([{ field: 'participants[0].official', rule: expect.stringMatching(/not both/) }]);

    const nobody = await refused(CREATE_OFFICIAL, { input: { aliases: ['?'] } });
    expect(nobody.data.createOfficial.issues).toEqual([{ field: 'name', rule: expect.stringMatching(/give a name or/) }]);

    const missing = await refused(CREATE_ORGANISATION, { input: { name: 'Ghost', kind: 'OTHER', parent: gid('Organisation', 999_999) } });
    expect(missing.data.createOrganisation).toMatchObject({ __typename: 'NotFound', field: 'parent', entityType: 'Organisation' });
    const notCountry = await refused(CREATE_ORGANISATION, { input: { name: 'Ghost', kind: 'OTHER', country: gid('Place', await seedId('place', 'quetta')) } });
    expect(notCountry.data.createOrganisation.issues).toEqual([{ field: 'country', rule: expect.stringMatching(/kind COUNTRY/) }]);

    const turbat = await gateway.db.prisma.place.findUniqueOrThrow({ where: { id: await idByExternalId(gateway.db, 'Place', 'test:turbat') } });
    const cleared = await refused(UPDATE_PLACE, { input: { place: gid('Place', turbat.id), expectedUpdatedAt: turbat.updatedAt.toISOString(), name: null } });
    expect(cleared.data.updatePlace.issues).toEqual([{ field: 'name', rule: 'must not be null: it is required' }]);
  });
});

/** Statement and figure ids reachable from organisations: as claimant, verifier or counted. */
async function reachableFromOrganisations(ids: number[]) {
  const statements = await gateway.db.prisma.statement.findMany({
    where: { OR: [{ organisationId: { in: ids } }, { verifiedById: { in: ids } }] },
    select: { id: true },
  });
  const figures = await gateway.db.prisma.figure.findMany({
    where: { OR: [{ countedOrganisationId: { in: ids } }, { statement: { organisationId: { in: ids } } }] },
    select: { id: true },
  });
  const participations = await gateway.db.prisma.incidentParticipant.findMany({ where: { organisationId: { in: ids } }, select: { id: true } });
  const sources = await gateway.db.prisma.source.findMany({ where: { publisherId: { in: ids } }, select: { id: true } });
  return {
    statements: statements.map((s) => s.id).sort((a, b) => a - b),
    figures: figures.map((f) => f.id).sort((a, b) => a - b),
    participations: participations.map((p) => p.id).sort((a, b) => a - b),
    sources: sources.map((s) => s.id).sort((a, b) => a - b),
  };
}

describe('merging duplicate organisations', () => {
  it('moves every reference of a duplicate BLA to the seed BLA, keeps its names as aliases, and deletes it', async () => {
    const blaId = await seedId('organisation', 'bla');
    const bla = gid('Organisation', blaId);
    const attacks = gid('Incident', await seedId('incident', 'balochistan-attacks'));

    const { createOrganisation } = await send(CREATE_ORGANISATION, {
      input: { name: 'Baloch Liberation Army (BLA)', aliases: ['BLA', 'B.L.A.'], kind: 'ARMED_GROUP', notes: 'Created twice by a partner import' },
    });
    const duplicate = createOrganisation.organisation.id;
    const duplicateId = dbId(duplicate);
    const { recordStatement } = await send(RECORD_STATEMENT, {
      input: {
        kind: 'RESPONSIBILITY_CLAIM',
        claimant: { kind: 'ORGANISATION', organisation: duplicate, description: 'the BLA', affiliation: 'NON_STATE_ARMED_GROUP' },
        text: 'The BLA said its fighters had hit the Turbat post.',
        madeAt: '2026-02-01',
        incidents: [attacks],
        figures: [
          {
            metric: 'KILLED',
            victimCategory: 'SECURITY_PERSONNEL',
            side: 'STATE_FORCES',
            victimDescription: 'Levies personnel',
            quantity: { kind: 'EXACT', low: 3, high: 3, phrase: 'three' },
          },
        ],
      },
    });
    expect(recordStatement.__typename).toBe('RecordPayload');
    const statementId = dbId(recordStatement.statement.id);
    // A figure by another claimant counting the duplicate's people, and a participation.
    const { recordStatement: counted } = await send(RECORD_STATEMENT, {
      input: {
        kind: 'CASUALTY_REPORT',
        claimant: { kind: 'UNNAMED_GROUP', description: 'security officials', affiliation: 'STATE' },
        text: 'Two BLA fighters were killed.',
        figures: [
          {
            metric: 'KILLED',
            victimCategory: 'MILITANTS',
            side: 'NON_STATE_ARMED_GROUP',
            victimDescription: 'BLA fighters',
            countedOrganisation: duplicate,
            quantity: { kind: 'EXACT', low: 2, high: 2, phrase: 'two' },
          },
        ],
      },
    });
    await send(CREATE_INCIDENT, {
      input: { title: 'Attack on a rail line', kind: 'ARMED_ATTACK', participants: [{ role: 'PERPETRATOR', description: 'the BLA', organisation: duplicate }] },
    });

    const before = await reachableFromOrganisations([blaId, duplicateId]);
    expect(before.statements).toContain(statementId);
    expect(before.figures).toContain(dbId(counted.figures[0].id));
    const blaStatementsBefore = (await gateway.data(`query($id: ID!) { node(id: $id) { ... on Organisation { statements { totalCount } } } }`, { id: bla }))
      .node.statements.totalCount;

    const response = await gateway.graphql(MERGE_ORGANISATIONS, { keep: bla, duplicate }, bearer(admin));
    expect(response.errors).toBeUndefined();
    const merged = response.data.mergeOrganisations;
    expect(merged).toMatchObject({ __typename: 'OrganisationMergePayload', organisation: { id: bla, name: 'Baloch Liberation Army' } });
    expect(merged.organisation.aliases).toEqual(['BLA', 'Baloch Liberation Army (BLA)', 'B.L.A.']);
    expect(merged.addedAliases).toEqual(['Baloch Liberation Army (BLA)', 'B.L.A.']);
    expect(Object.fromEntries(merged.moved.map((m: any) => [m.reference, m.count]))).toMatchObject({
      'Statement.organisationId': 1,
      'Figure.countedOrganisationId': 1,
      'IncidentParticipant.organisationId': 1,
      'Source.publisherId': 0,
    });
    // A few statements per kind of reference (its owners, their records before and after with the
    // rows they own, the move), whatever the number of rows moved.
    expect(response.extensions?.sqlStatements).toBeLessThanOrEqual(60);

    // Nothing lost: what was reachable from either is reachable from the one kept.
    expect(await reachableFromOrganisations([blaId])).toEqual(before);
    expect(await gateway.db.prisma.organisation.findUnique({ where: { id: duplicateId } })).toBeNull();
    const { node } = await gateway.data(
      `query($id: ID!) { node(id: $id) { ... on Organisation { statements { totalCount edges { node { id text } } } notes } } }`,
      { id: bla },
    );
    expect(node.statements.totalCount).toBe(blaStatementsBefore + 1);
    expect(node.statements.edges.map((e: any) => e.node.id)).toContain(recordStatement.statement.id);

    // Change rows: MERGE for both organisations (with the counts) and for the moved statement.
    const changes = await gateway.db.prisma.change.findMany({ where: { operation: 'MERGE' }, orderBy: { id: 'asc' } });
    const forKept = changes.find((c) => c.entityType === 'Organisation' && c.entityId === blaId);
    const forDuplicate = changes.find((c) => c.entityType === 'Organisation' && c.entityId === duplicateId);
    expect(forKept).toMatchObject({
      before: expect.objectContaining({ aliases: ['BLA'] }),
      after: expect.objectContaining({ merge: expect.objectContaining({ duplicateId, moved: expect.objectContaining({ 'Statement.organisationId': 1 }) }) }),
    });
    expect(forDuplicate).toMatchObject({
      before: expect.objectContaining({ name: 'Baloch Liberation Army (BLA)' }),
      after: expect.objectContaining({ deleted: true }),
    });
    expect(changes.find((c) => c.entityType === 'Statement' && c.entityId === statementId)).toMatchObject({
      before: expect.objectContaining({ organisationId: duplicateId }),
      after: expect.objectContaining({ organisationId: blaId, merge: { reference: 'Statement.organisationId', from: duplicateId, to: blaId } }),
    });
    // And visible in the change feed.
    const feed = await gateway.data(`{ changes(filter: { operations: ["MERGE"], entityTypes: ["Organisation"] }) { totalCount } }`);
    expect(feed.changes.totalCount).toBe(2);
  });

  it('refuses merging an organisation into itself or into one of its own parts, changing nothing', async () => {
    const newspaper = gid('Organisation', await seedId('organisation', 'indian-express'));
    const desk = gid('Organisation', await seedId('organisation', 'express-global-desk'));
    const self = await refused(MERGE_ORGANISATIONS, { keep: newspaper, duplicate: newspaper }, admin);
    expect(self.data.mergeOrganisations).toMatchObject({
      __typename: 'InvalidInput',
      issues: [{ field: 'duplicate', rule: expect.stringMatching(/cannot be merged into itself/) }],
    });
    const intoPart = await refused(MERGE_ORGANISATIONS, { keep: desk, duplicate: newspaper }, admin);
    expect(intoPart.data.mergeOrganisations).toMatchObject({
      __typename: 'InvalidInput',
      issues: [{ field: 'keep', rule: expect.stringMatching(/must not lie inside the duplicate/) }],
    });
    const gone = await refused(MERGE_ORGANISATIONS, { keep: newspaper, duplicate: gid('Organisation', 999_999) }, admin);
    expect(gone.data.mergeOrganisations).toMatchObject({ __typename: 'NotFound', field: 'duplicate' });
  });
});

describe('merging duplicate places', () => {
  it('merges incident-place rows present on both sides without breaking the composite key, and moves everything else', async () => {
    const quettaId = await seedId('place', 'quetta');
    const quetta = gid('Place', quettaId);
    const balochistan = gid('Place', await seedId('place', 'balochistan'));
    const blockadesId = await seedId('incident', 'quetta-road-blockades');

    const { createPlace } = await send(CREATE_PLACE, {
      input: { name: 'Quetta City', aliases: ['Shal'], kind: 'CITY', parent: balochistan, latitude: 30.18, longitude: 67.0 },
    });
    const duplicate = createPlace.place.id;
    const duplicateId = dbId(duplicate);
    const { createPlace: child } = await send(CREATE_PLACE, { input: { name: 'Quetta cantonment', kind: 'AREA', parent: duplicate } });
    // The seed's road-blockades incident is at Quetta: link it to the duplicate too (both sides).
    const blockades = await gateway.db.prisma.incident.findUniqueOrThrow({ where: { id: blockadesId } });
    await send(UPDATE_INCIDENT, {
      input: { incident: gid('Incident', blockadesId), expectedUpdatedAt: blockades.updatedAt.toISOString(), places: [quetta, duplicate] },
    });
    const { createIncident: onlyDuplicate } = await send(CREATE_INCIDENT, { input: { title: 'Grenade attack', kind: 'BOMBING', places: [duplicate] } });
    const { recordStatement } = await send(RECORD_STATEMENT, {
      input: {
        kind: 'CASUALTY_REPORT',
        claimant: { kind: 'UNNAMED_PERSON', description: 'a hospital official' },
        text: 'Four people were wounded in Quetta City.',
        figures: [
          {
            metric: 'INJURED',
            victimCategory: 'PEOPLE',
            side: 'UNSPECIFIED',
            victimDescription: 'people',
            place: duplicate,
            quantity: { kind: 'EXACT', low: 4, high: 4, phrase: 'four' },
          },
        ],
      },
    });
    const incidentsAt = async (ids: number[]) =>
      (await gateway.db.prisma.incidentPlace.findMany({ where: { placeId: { in: ids } }, select: { incidentId: true } })).map((l) => l.incidentId);
    const incidentsBefore = [...new Set(await incidentsAt([quettaId, duplicateId]))].sort((a, b) => a - b);
    const linksBefore = await gateway.db.prisma.incidentPlace.count();

    const response = await gateway.graphql(MERGE_PLACES, { keep: quetta, duplicate }, bearer(admin));
    expect(response.errors).toBeUndefined();
    expect(response.extensions?.sqlStatements).toBeLessThanOrEqual(60);
    const merged = response.data.mergePlaces;
    expect(merged).toMatchObject({
      __typename: 'PlaceMergePayload',
      addedAliases: ['Quetta City', 'Shal'],
      place: { id: quetta, name: 'Quetta', latitude: 30.18, longitude: 67, children: expect.arrayContaining([{ name: 'Quetta cantonment' }]) },
    });
    expect(Object.fromEntries(merged.moved.map((m: any) => [m.reference, m.count]))).toMatchObject({
      'IncidentPlace.placeId': 2,
      'Figure.placeId': 1,
      'Place.parentId': 1,
    });

    // The blockades incident is at Quetta once (its duplicate row folded in), the grenade attack moved.
    const incidentsAfter = (await incidentsAt([quettaId])).sort((a, b) => a - b);
    expect(incidentsAfter).toEqual(incidentsBefore);
    expect(await gateway.db.prisma.incidentPlace.count()).toBe(linksBefore - 1);
    expect(incidentsAfter).toContain(dbId(onlyDuplicate.incident.id));
    const figure = await gateway.db.prisma.figure.findUniqueOrThrow({ where: { id: dbId(recordStatement.figures[0].id) } });
    expect(figure.placeId).toBe(quettaId);
    expect((await gateway.db.prisma.place.findUniqueOrThrow({ where: { id: dbId(child.place.id) } })).parentId).toBe(quettaId);
    expect(await gateway.db.prisma.place.findUnique({ where: { id: duplicateId } })).toBeNull();

    // Incidents whose places changed are audited and get a new updatedAt (stale edits conflict).
    const incidentChanges = await gateway.db.prisma.change.findMany({ where: { operation: 'MERGE', entityType: 'Incident', entityId: blockadesId } });
    expect(incidentChanges).toHaveLength(1);
    const stale = await refused(UPDATE_INCIDENT, {
      input: { incident: gid('Incident', blockadesId), expectedUpdatedAt: blockades.updatedAt.toISOString(), title: 'x' },
    });
    expect(stale.data.updateIncident.__typename).toBe('Conflict');
    const placeChanges = await gateway.db.prisma.change.findMany({
      where: { operation: 'MERGE', entityType: 'Place', entityId: { in: [quettaId, duplicateId] } },
    });
    expect(placeChanges).toHaveLength(2);

    // Places: the kept one may not lie inside the duplicate.
    const into = await refused(MERGE_PLACES, { keep: child.place.id, duplicate: balochistan }, admin);
    expect(into.data.mergePlaces).toMatchObject({ __typename: 'InvalidInput', issues: [{ field: 'keep' }] });
  });
});

describe('merging duplicate officials', () => {
  it("moves a duplicate's statements and roles to the official kept", async () => {
    const naqviId = await seedId('official', 'mohsin-naqvi');
    const naqvi = gid('Official', naqviId);
    const { createOfficial } = await send(CREATE_OFFICIAL, {
      input: { name: 'M. Naqvi', aliases: ['Naqvi'], roles: [{ title: 'Interior Minister of Pakistan' }] },
    });
    const duplicate = createOfficial.official.id;
    const { recordStatement } = await send(RECORD_STATEMENT, {
      input: {
        kind: 'CONDEMNATION',
        claimant: { kind: 'OFFICIAL', official: duplicate, description: 'the interior minister' },
        text: 'The minister condemned the attacks.',
      },
    });
    const statementsBefore = await gateway.db.prisma.statement.count({ where: { officialId: { in: [naqviId, dbId(duplicate)] } } });

    const response = await gateway.graphql(MERGE_OFFICIALS, { keep: naqvi, duplicate }, bearer(admin));
    expect(response.errors).toBeUndefined();
    expect(response.data.mergeOfficials).toMatchObject({
      official: {
        name: 'Mohsin Naqvi',
        aliases: ['M. Naqvi', 'Naqvi'],
        roles: expect.arrayContaining([{ title: 'Interior Minister' }, { title: 'Interior Minister of Pakistan' }]),
      },
      addedAliases: ['M. Naqvi', 'Naqvi'],
    });
    expect(await gateway.db.prisma.statement.count({ where: { officialId: naqviId } })).toBe(statementsBefore);
    expect((await gateway.db.prisma.statement.findUniqueOrThrow({ where: { id: dbId(recordStatement.statement.id) } })).officialId).toBe(naqviId);
    expect(await gateway.db.prisma.official.findUnique({ where: { id: dbId(duplicate) } })).toBeNull();
  });
});
