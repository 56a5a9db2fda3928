// Partners push claims with API keys: everything a statement claims is written in one
// transaction or not at all, revisions never overwrite, and every change is on record.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../src/auth/keys.js';
import { bearer, databaseFingerprint, seedTargets, startGateway, type TestGateway } from './support/gateway.js';

let gateway: TestGateway;
let writer: Record<string, string>;
let reader: Record<string, string>;
let admin: Record<string, string>;
let incident: string;
let source: string;
let bla: string;

beforeAll(async () => {
  gateway = await startGateway();
  const prisma = gateway.db.prisma;
  writer = bearer((await createApiKey(prisma, 'Fixture newsroom', ['WRITE'])).secret);
  reader = bearer((await createApiKey(prisma, 'Fixture reader', ['READ'])).secret);
  admin = bearer((await createApiKey(prisma, 'Fixture admin', ['ADMIN'])).secret);
  ({ incident, source, bla } = await seedTargets(gateway));
});
afterAll(() => gateway.close());

const RECORD = `mutation($input: RecordStatementInput!, $key: String) { recordStatement(input: $input, idempotencyKey: $key) {
  __typename
  ... on RecordPayload { replayed statement { id version claimantDescription sourceChain { position } incidents { id } }
    figures { id version quantity { kind low high phrase } breakdown { label count } } }
  ... on InvalidInput { message issues { field rule } }
  ... on NotFound { message field entityType }
  ... on Conflict { message field currentVersion } } }`;

const statement = (overrides: Record<string, unknown> = {}, figure: Record<string, unknown> = {}) => ({
  kind: 'CASUALTY_REPORT',
  claimant: { kind: 'ORGANISATION', organisation: bla, description: 'a BLA spokesman', affiliation: 'NON_STATE_ARMED_GROUP' },
  madeAt: '2026-02-01',
  text: 'The BLA said it was holding the administrator and that two guards were killed.',
  sources: [source],
  incidents: [incident],
  figures: [
    {
      metric: 'KILLED',
      victimCategory: 'SECURITY_PERSONNEL',
      side: 'STATE_FORCES',
      victimDescription: 'guards',
      incident,
      quantity: { kind: 'EXACT', low: 2, high: 2, phrase: 'two' },
      breakdown: [{ label: 'police', count: 2 }],
      ...figure,
    },
  ],
  ...overrides,
});

async function record(input: object, headers = writer, key?: string) {
  const response = await gateway.graphql(RECORD, { input, key }, headers);
  expect(response.errors).toBeUndefined();
  return response.data.recordStatement;
}

describe('who may write', () => {
  it('refuses writes without a key, with a read-only key, and with an unknown key', async () => {
    const before = await databaseFingerprint(gateway.db);
    const anonymous = await gateway.graphql(RECORD, { input: statement() });
    expect(anonymous.errors?.[0]).toMatchObject({ message: expect.stringMatching(/needs an API key/), extensions: { code: 'UNAUTHENTICATED' } });
    const readOnly = await gateway.graphql(RECORD, { input: statement() }, reader);
    expect(readOnly.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/"Fixture reader" \(READ\) may not use Mutation.recordStatement/),
      extensions: { code: 'FORBIDDEN' },
    });
    const unknown = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer('cg_not-a-real-key') },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(unknown.status).toBe(401);
    expect(await databaseFingerprint(gateway.db)).toBe(before);
  });

  it('lets only admins manage keys, and a revoked key stops working at once', async () => {
    const create = `mutation { createApiKey(name: "Partner", scopes: [WRITE]) { apiKey { id scopes } secret } }`;
    expect((await gateway.graphql(create, {}, writer)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const { createApiKey: created } = (await gateway.graphql(create, {}, admin)).data;
    expect(created.secret).toMatch(/^cg_/);
    expect((await record(statement({ externalId: 'partner-key-check' }), bearer(created.secret))).__typename).toBe('RecordPayload');
    await gateway.graphql(`mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }`, { id: created.apiKey.id }, admin);
    expect((await gateway.graphql(RECORD, { input: statement() }, bearer(created.secret))).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    // Only the hash is stored.
    const stored = await gateway.db.prisma.apiKey.findMany();
    expect(JSON.stringify(stored)).not.toContain(created.secret);
  });
});

describe('recording a statement', () => {
  it('writes the statement, its source chain, incidents and figures together, and audits each', async () => {
    const result = await record(statement({ externalId: 'fixture:first' }));
    expect(result).toMatchObject({
      __typename: 'RecordPayload',
      replayed: false,
      statement: { version: 1, sourceChain: [{ position: 0 }], incidents: [{ id: incident }] },
      figures: [{ version: 1, quantity: { kind: 'EXACT', low: 2, high: 2, phrase: 'two' }, breakdown: [{ label: 'police', count: 2 }] }],
    });
    const { node } = await gateway.data(`query($id: ID!) { node(id: $id) { ... on Statement { history { operation entityType } } } }`, {
      id: result.statement.id,
    });
    expect(node.history).toEqual([{ operation: 'CREATE', entityType: 'Statement' }]);
  });

  it.each([
    ['an upper bound on "at least"', { quantity: { kind: 'AT_LEAST', low: 5, high: 9, phrase: 'at least 5' } }, 'figures[0].quantity.high', /no upper bound/],
    ['a number for "dozens"', { quantity: { kind: 'UNQUANTIFIED', low: 24, phrase: 'dozens' } }, 'figures[0].quantity.low', /no number is invented/],
    ['a negative count', { quantity: { kind: 'EXACT', low: -2, high: -2, phrase: 'minus two' } }, 'figures[0].quantity.low', /must not be negative/],
    ['a range whose ends are reversed', { quantity: { kind: 'RANGE', low: 9, high: 5, phrase: '5 to 9' } }, 'figures[0].quantity.high', /must be above low/],
    ['an empty phrase', { quantity: { kind: 'EXACT', low: 2, high: 2, phrase: ' ' } }, 'figures[0].quantity.phrase', /must not be empty/],
    ['a breakdown with a fraction', { breakdown: [{ label: 'men', count: 1.5 }] }, 'figures[0].breakdown[0].count', /whole number|Int/],
  ])('refuses %s, naming the field and the rule, and writes nothing', async (_case, figure, field, rule) => {
    const before = await databaseFingerprint(gateway.db);
    const response = await gateway.graphql(RECORD, { input: statement({}, figure) }, writer);
    const result = response.data?.recordStatement;
    if (result) {
      expect(result.__typename).toBe('InvalidInput');
      expect(result.issues).toEqual(expect.arrayContaining([{ field, rule: expect.stringMatching(rule) }]));
    } else {
      // GraphQL itself refuses a non-integer Int before the resolver runs.
      expect(response.errors?.[0]?.message).toMatch(rule);
    }
    expect(await databaseFingerprint(gateway.db)).toBe(before);
  });

  it('reports every broken rule at once', async () => {
    const result = await record(
      statement({ claimant: { kind: 'OFFICIAL', description: 'a minister' }, text: '' }, { quantity: { kind: 'RANGE', low: 3, phrase: '3 or more' } }),
    );
    expect(result.issues.map((issue: { field: string }) => issue.field).sort()).toEqual(['claimant.official', 'figures[0].quantity.high', 'text']);
  });

  it('refuses a reference to something that does not exist, and writes nothing', async () => {
    const before = await databaseFingerprint(gateway.db);
    const result = await record(statement({}, { place: encodeGlobalID('Place', 999_999) }));
    expect(result).toMatchObject({ __typename: 'NotFound', field: 'figures[0].place', entityType: 'Place' });
    expect(await databaseFingerprint(gateway.db)).toBe(before);
  });

  it('refuses an ID of the wrong type before writing, as a typed result naming the field', async () => {
    const before = await databaseFingerprint(gateway.db);
    const result = await record(statement({ incidents: [source] }));
    expect(result).toMatchObject({
      __typename: 'InvalidInput',
      issues: [{ field: 'incidents[0]', rule: 'must be the ID of an Incident; this is the ID of a Source' }],
    });
    expect(await databaseFingerprint(gateway.db)).toBe(before);
  });

  it('never duplicates a retried statement (same externalId, or same idempotency key)', async () => {
    const first = await record(statement({ externalId: 'fixture:retry' }));
    const again = await record(statement({ externalId: 'fixture:retry' }));
    expect(again).toMatchObject({ replayed: true, statement: { id: first.statement.id } });
    expect(await gateway.db.prisma.externalId.count({ where: { entityType: 'Statement', externalId: 'fixture:retry' } })).toBe(1);

    const keyed = await record(statement({ text: 'Keyed retry.' }), writer, 'request-42');
    const retried = await record(statement({ text: 'Keyed retry.' }), writer, 'request-42');
    expect(retried).toMatchObject({ replayed: true, statement: { id: keyed.statement.id } });
    expect(await gateway.db.prisma.statement.count({ where: { text: 'Keyed retry.' } })).toBe(1);
    const misused = await record(statement({ text: 'Something else.' }), writer, 'request-42');
    expect(misused).toMatchObject({ __typename: 'Conflict', field: 'idempotencyKey' });
  });
});

describe('revising and retracting', () => {
  const REVISE = `mutation($input: ReviseFigureInput!) { reviseFigure(input: $input) { __typename
    ... on RecordPayload { figures { id version quantity { phrase } supersedes { id version isCurrent } } }
    ... on Conflict { field currentVersion message } } }`;

  it('keeps the old figure, supersedes it, and refuses a stale version', async () => {
    const {
      figures: [original],
    } = await record(statement({ externalId: 'fixture:to-revise' }));
    const revised = (
      await gateway.graphql(
        REVISE,
        { input: { figure: original.id, expectedVersion: 1, text: 'Revised to three.', quantity: { kind: 'EXACT', low: 3, high: 3, phrase: 'three' } } },
        writer,
      )
    ).data.reviseFigure;
    expect(revised.figures[0]).toMatchObject({ quantity: { phrase: 'three' }, supersedes: { id: original.id, version: 2, isCurrent: false } });
    const stale = (
      await gateway.graphql(
        REVISE,
        { input: { figure: original.id, expectedVersion: 1, text: 'Four.', quantity: { kind: 'EXACT', low: 4, high: 4, phrase: 'four' } } },
        writer,
      )
    ).data.reviseFigure;
    expect(stale).toMatchObject({ __typename: 'Conflict' });
  });

  it('refuses a revision or retraction based on a version the writer did not read', async () => {
    const {
      figures: [figure],
    } = await record(statement({ externalId: 'fixture:versions' }));
    const revision = (
      await gateway.graphql(
        REVISE,
        { input: { figure: figure.id, expectedVersion: 7, text: 'Nine.', quantity: { kind: 'EXACT', low: 9, high: 9, phrase: 'nine' } } },
        writer,
      )
    ).data.reviseFigure;
    expect(revision).toMatchObject({ __typename: 'Conflict', field: 'expectedVersion', currentVersion: 1 });
    const retraction = (
      await gateway.graphql(
        `mutation($id: ID!) { retractFigure(figure: $id, reason: "x", expectedVersion: 3) { __typename ... on Conflict { currentVersion } } }`,
        { id: figure.id },
        writer,
      )
    ).data.retractFigure;
    expect(retraction).toEqual({ __typename: 'Conflict', currentVersion: 1 });
  });

  it('lets exactly one of two concurrent editors revise a figure', async () => {
    const {
      figures: [original],
    } = await record(statement({ externalId: 'fixture:race' }));
    const attempt = (phrase: string, low: number) =>
      gateway.graphql(
        REVISE,
        { input: { figure: original.id, expectedVersion: 1, text: `Revised to ${phrase}.`, quantity: { kind: 'EXACT', low, high: low, phrase } } },
        writer,
      );
    const results = await Promise.all([attempt('five', 5), attempt('six', 6)]);
    const outcomes = results.map((result) => result.data?.reviseFigure.__typename).sort();
    expect(outcomes).toEqual(['Conflict', 'RecordPayload']);
    expect(await gateway.db.prisma.figure.count({ where: { supersedesId: Number(Buffer.from(original.id, 'base64').toString().split(':')[1]) } })).toBe(1);
  });

  it('retracts a figure: gone from current views, kept in history and in asOf answers', async () => {
    const {
      figures: [figure],
    } = await record(statement({ externalId: 'fixture:retract' }));
    const retracted = (
      await gateway.graphql(
        `mutation($id: ID!) { retractFigure(figure: $id, reason: "Double counted", expectedVersion: 1) { __typename
      ... on RecordPayload { figures { retractedAt retractionReason isCurrent version } } } }`,
        { id: figure.id },
        writer,
      )
    ).data.retractFigure;
    expect(retracted.figures[0]).toMatchObject({ retractionReason: 'Double counted', isCurrent: false, version: 2 });
    const ids = async (filter: string) =>
      (await gateway.data(`{ figures(filter: ${filter}, first: 100) { edges { node { id } } } }`)).figures.edges.map((edge: any) => edge.node.id);
    expect(await ids('{ current: true }')).not.toContain(figure.id);
    expect(await ids('{ includeRetracted: true }')).toContain(figure.id);
    expect(await ids(`{ current: true, asOf: "${retracted.figures[0].retractedAt.slice(0, 19)}Z" }`)).toContain(figure.id);
    const again = (await gateway.graphql(`mutation($id: ID!) { retractFigure(figure: $id, reason: "Again") { __typename } }`, { id: figure.id }, writer)).data
      .retractFigure;
    expect(again.__typename).toBe('Conflict');
  });
});

describe('the audit trail and incremental sync', () => {
  it('lists everything changed since a moment, retractions included; only admins see which key', async () => {
    const since = new Date().toISOString();
    const {
      statement: recorded,
      figures: [figure],
    } = await record(statement({ externalId: 'fixture:sync' }));
    await gateway.graphql(`mutation($id: ID!) { retractFigure(figure: $id, reason: "Wrong incident") { __typename } }`, { id: figure.id }, writer);
    const query = `query($since: DateTime) { changes(filter: { between: { from: $since } }) { totalCount edges { node { operation entityType entityId } } } }`;
    const { changes } = await gateway.data(query, { since });
    expect(changes.edges.map((edge: any) => [edge.node.operation, edge.node.entityType, edge.node.entityId])).toEqual([
      ['CREATE', 'Statement', recorded.id],
      ['CREATE', 'Figure', figure.id],
      ['RETRACT', 'Figure', figure.id],
    ]);
    const withKey = `{ changes(last: 1) { edges { node { apiKey { name } } } } }`;
    expect((await gateway.graphql(withKey, {}, writer)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await gateway.graphql(withKey, {}, admin)).data.changes.edges[0].node.apiKey.name).toBe('Fixture newsroom');
  });
});
