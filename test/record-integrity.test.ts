// The record cannot be made to say what nobody said: retracted claims stay retracted in every
// view, dates mean what was written, a partner's records are never dropped as another's
// "replay", every state change is in the change feed, and every refusal names the field as the
// client wrote it. Over HTTP, through GraphQL, the NDJSON import and the export alike.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../src/auth/keys.js';
import { loadCheckpoint } from '../src/import/batch.js';
import { LOCAL_OPERATOR } from '../src/writes/session.js';
import { bearer, databaseFingerprint, seedTargets, startGateway, type TestGateway } from './support/gateway.js';

let gateway: TestGateway;
let writer: Record<string, string>;
let otherPartner: Record<string, string>;
let incident: string;
let source: string;
let bla: string;

beforeAll(async () => {
  gateway = await startGateway();
  const prisma = gateway.db.prisma;
  writer = bearer((await createApiKey(prisma, 'Dawn newsroom', ['WRITE'])).secret);
  otherPartner = bearer((await createApiKey(prisma, 'Balochistan Post', ['WRITE'])).secret);
  ({ incident, source, bla } = await seedTargets(gateway));
});
afterAll(() => gateway.close());

const ERRORS = `... on InvalidInput { message issues { field rule code } }
  ... on NotFound { message field entityType externalId }
  ... on Conflict { message field currentVersion differingFields retractedAt retractionReason }`;

const RECORD = `mutation($input: RecordStatementInput!, $key: String) { recordStatement(input: $input, idempotencyKey: $key) {
  __typename ... on RecordPayload { replayed statement { id version madeAt madeAtPrecision externalId } figures { id version externalId quantity { kind low high } } }
  ${ERRORS} } }`;
const REVISE = `mutation($input: ReviseFigureInput!) { reviseFigure(input: $input) {
  __typename ... on RecordPayload { figures { id version isCurrent supersedes { id } } } ${ERRORS} } }`;
const RETRACT_STATEMENT = `mutation($statement: ID!, $reason: String!, $key: String) { retractStatement(statement: $statement, reason: $reason, idempotencyKey: $key) {
  __typename ... on RecordPayload { replayed statement { id retractedAt } figures { id retractedAt isCurrent } } ${ERRORS} } }`;
const IMPORT = `mutation($records: [String!]!) { importRecords(records: $records, format: NDJSON) {
  ... on ImportResult { created changed alreadyPresent bad results { line status reason issues { field rule code } } } } }`;

const claim = (overrides: Record<string, unknown> = {}, figure: Record<string, unknown> = {}) => ({
  kind: 'CASUALTY_REPORT',
  claimant: { kind: 'ORGANISATION', organisation: bla, description: 'a BLA spokesman', affiliation: 'NON_STATE_ARMED_GROUP' },
  madeAt: '2026-02-01',
  text: 'The BLA said two guards were killed at the Noshki checkpoint.',
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

async function retractStatement(statement: string, reason: string, headers = writer, key?: string) {
  const response = await gateway.graphql(RETRACT_STATEMENT, { statement, reason, key }, headers);
  expect(response.errors).toBeUndefined();
  return response.data.retractStatement;
}

describe('a retracted claim stays retracted', () => {
  it('refuses to revise a figure of a retracted statement, or a retracted figure, naming the retraction', async () => {
    const recorded = await record(claim({ externalId: 'integrity:retract-then-revise' }));
    const [figure] = recorded.figures;
    const retracted = await retractStatement(recorded.statement.id, 'The BLA withdrew the claim');
    // The payload lists the figures retracted with the statement.
    expect(retracted.figures).toEqual([{ id: figure.id, retractedAt: retracted.statement.retractedAt, isCurrent: false }]);
    const before = await databaseFingerprint(gateway.db);
    const revision = (
      await gateway.graphql(
        REVISE,
        { input: { figure: figure.id, expectedVersion: 1, text: 'Now three.', quantity: { kind: 'EXACT', low: 3, high: 3, phrase: 'three' } } },
        writer,
      )
    ).data.reviseFigure;
    expect(revision).toMatchObject({
      __typename: 'Conflict',
      field: 'figure',
      retractedAt: retracted.statement.retractedAt,
      retractionReason: 'The BLA withdrew the claim',
      message: expect.stringMatching(/cannot be revised: the figure was retracted at .* \("The BLA withdrew the claim"\)/),
    });
    // Whatever version the writer sends.
    const current = (
      await gateway.graphql(
        REVISE,
        { input: { figure: figure.id, expectedVersion: 2, text: 'Now three.', quantity: { kind: 'EXACT', low: 3, high: 3, phrase: 'three' } } },
        writer,
      )
    ).data.reviseFigure;
    expect(current.__typename).toBe('Conflict');
    expect(await databaseFingerprint(gateway.db)).toBe(before);
    const { incident: seen } = await gateway.data(`query($id: ID!) { incident: node(id: $id) { ... on Incident { claimantFigures { figures { id } } } } }`, {
      id: incident,
    });
    expect(seen.claimantFigures.flatMap((group: any) => group.figures.map((f: any) => f.id))).not.toContain(figure.id);
  });

  it('takes a retracted statement out of every list, nested or not, unless asked for; asOf before the retraction still shows it', async () => {
    const recorded = await record(claim({ externalId: 'integrity:nested', text: 'The BLA said the Zarghoon checkpoint guards were killed.' }));
    const statementId = recorded.statement.id;
    const lists = async (extra = '') => {
      const data = await gateway.data(
        `query($incident: ID!, $bla: ID!) {
          incident: node(id: $incident) { ... on Incident { statements${extra ? `(${extra})` : ''} { edges { node { id } } } figures${extra ? `(${extra})` : ''} { edges { node { statement { id } } } } participants${extra ? `(${extra})` : ''} { basis { id } } } }
          bla: node(id: $bla) { ... on Organisation { statements${extra ? `(${extra})` : ''} { edges { node { id } } } countedInFigures${extra ? `(${extra})` : ''} { edges { node { statement { id } } } } } }
          search(query: "Zarghoon"${extra ? `, ${extra}` : ''}) { edges { node { ... on Statement { id } } } }
          figures(filter: { claimantOrganisation: $bla ${extra ? `, ${extra}` : ''} }, first: 100) { edges { node { statement { id } } } }
        }`,
        { incident, bla },
      );
      return {
        incidentStatements: data.incident.statements.edges.map((e: any) => e.node.id),
        incidentFigures: data.incident.figures.edges.map((e: any) => e.node.statement.id),
        blaStatements: data.bla.statements.edges.map((e: any) => e.node.id),
        search: data.search.edges.map((e: any) => e.node.id),
        figures: data.figures.edges.map((e: any) => e.node.statement.id),
      };
    };
    const live = await lists();
    for (const list of Object.values(live)) expect(list).toContain(statementId);
    const retracted = await retractStatement(statementId, 'Claim withdrawn');
    const after = await lists();
    for (const [name, list] of Object.entries(after)) expect(list, name).not.toContain(statementId);
    const asked = await lists('includeRetracted: true');
    for (const [name, list] of Object.entries(asked)) expect(list, name).toContain(statementId);
    const justBefore = new Date(new Date(retracted.statement.retractedAt).getTime() - 1).toISOString();
    const { statements } = await gateway.data(
      `query($bla: ID!, $at: DateTime) { statements(filter: { organisation: $bla, asOf: $at }, first: 100) { edges { node { id } } } }`,
      { bla, at: justBefore },
    );
    expect(statements.edges.map((e: any) => e.node.id)).toContain(statementId);
    // The audit trail still has it.
    const { node } = await gateway.data(`query($id: ID!) { node(id: $id) { ... on Statement { history { operation } } } }`, { id: statementId });
    expect(node.history.map((c: any) => c.operation)).toEqual(['CREATE', 'RETRACT']);
  });

  it('takes a participation resting on a retracted responsibility claim out of the incident', async () => {
    const { incidents } = await gateway.data(
      `{ incidents(filter: { kinds: [COORDINATED_ATTACK] }) { edges { node { id participants { role organisation { name } basis { id } } } } } }`,
    );
    const attack = incidents.edges[0].node;
    const claimOf = attack.participants.find((p: any) => p.organisation?.name === 'Baloch Liberation Army');
    expect(claimOf.basis.id).toBeTruthy();
    await retractStatement(claimOf.basis.id, 'The BLA denied it had claimed the attacks');
    const { node } = await gateway.data(
      `query($id: ID!) { node(id: $id) { ... on Incident { participants { organisation { name } } all: participants(includeRetracted: true) { organisation { name } } } } }`,
      { id: attack.id },
    );
    expect(node.participants.map((p: any) => p.organisation?.name)).not.toContain('Baloch Liberation Army');
    expect(node.all.map((p: any) => p.organisation?.name)).toContain('Baloch Liberation Army');
    const { incidents: involving } = await gateway.data(
      `query($bla: ID!) { incidents(filter: { organisation: $bla, topLevelOnly: true }) { edges { node { id } } } }`,
      { bla },
    );
    expect(involving.edges.map((e: any) => e.node.id)).not.toContain(attack.id);
  });

  it('answers a retraction sent again with the same reason as a replay, and with another reason as a Conflict naming the first', async () => {
    const recorded = await record(claim({ externalId: 'integrity:retract-twice' }));
    const first = await retractStatement(recorded.statement.id, 'Wrong incident', writer, 'retract-once');
    const retry = await retractStatement(recorded.statement.id, 'Wrong incident', writer, 'retract-once');
    expect(retry).toMatchObject({ replayed: true, statement: { retractedAt: first.statement.retractedAt } });
    const same = await retractStatement(recorded.statement.id, 'Wrong incident');
    expect(same.replayed).toBe(true);
    const other = await retractStatement(recorded.statement.id, 'Duplicate');
    expect(other).toMatchObject({ __typename: 'Conflict', field: 'reason', retractionReason: 'Wrong incident' });
  });
});

describe('dates mean what was written', () => {
  it('refuses a day that does not exist and a date-time without a zone, naming the field, in GraphQL, NDJSON and the export', async () => {
    const before = await databaseFingerprint(gateway.db);
    const impossible = await record(claim({ madeAt: '2026-02-30' }));
    expect(impossible).toMatchObject({
      __typename: 'InvalidInput',
      issues: [{ field: 'madeAt', code: 'IMPOSSIBLE_DATE', rule: expect.stringMatching(/2026-02-30 does not/) }],
    });
    const noZone = await record(claim({ madeAt: '2026-03-01T12:00:00' }));
    expect(noZone).toMatchObject({ __typename: 'InvalidInput', issues: [{ field: 'madeAt', code: 'NO_TIME_ZONE' }] });
    const line = JSON.stringify({
      ...claim({ externalId: 'integrity:feb-30', madeAt: '2026-02-30' }),
      claimant: { kind: 'ORGANISATION', organisation: { externalId: 'seed:bla' }, description: 'the BLA' },
      sources: [],
      incidents: [],
      figures: [],
    });
    const imported = (await gateway.graphql(IMPORT, { records: [line] }, writer)).data.importRecords;
    expect(imported.results[0]).toMatchObject({ status: 'BAD', issues: [{ field: 'madeAt', code: 'IMPOSSIBLE_DATE' }] });
    expect(await databaseFingerprint(gateway.db)).toBe(before);
    const exported = await fetch(`${gateway.url}/export/statements.csv?madeBetween.from=2026-02-30`);
    expect(exported.status).toBe(400);
    expect((await exported.json()).errors[0]).toMatchObject({ parameter: 'madeBetween.from', code: 'IMPOSSIBLE_DATE' });
  });

  it('keeps the precision that was written: a date is a day, a date-time its moment, unless told otherwise', async () => {
    const day = await record(claim({ externalId: 'integrity:day', madeAt: '2026-02-01' }));
    expect(day.statement).toMatchObject({ madeAt: '2026-02-01T00:00:00.000Z', madeAtPrecision: 'DAY' });
    const moment = await record(claim({ externalId: 'integrity:moment', madeAt: '2026-02-01T19:57:00+05:30' }));
    expect(moment.statement).toMatchObject({ madeAt: '2026-02-01T14:27:00.000Z', madeAtPrecision: 'EXACT' });
    const toTheDay = await record(claim({ externalId: 'integrity:to-the-day', madeAt: '2026-02-01T19:57:00+05:30', madeAtPrecision: 'DAY' }));
    expect(toTheDay.statement).toMatchObject({ madeAt: '2026-02-01T00:00:00.000Z', madeAtPrecision: 'DAY' });
    const month = await record(claim({ externalId: 'integrity:month', madeAt: '2026-01' }));
    expect(month.statement).toMatchObject({ madeAt: '2026-01-01T00:00:00.000Z', madeAtPrecision: 'MONTH' });
    const finer = await record(claim({ madeAt: '2026-02-01', madeAtPrecision: 'EXACT' }));
    expect(finer).toMatchObject({ __typename: 'InvalidInput', issues: [{ field: 'madeAtPrecision' }] });
  });

  it("answers with graphql-scalars' DateTime (@specifiedBy RFC 3339), while the project's rule reads what is written", async () => {
    const { __type } = await gateway.data(`{ __type(name: "DateTime") { kind specifiedByURL } }`);
    expect(__type).toEqual({ kind: 'SCALAR', specifiedByURL: 'https://www.rfc-editor.org/rfc/rfc3339' });
    // The library's parser would refuse these forms; the rule reads them as periods.
    const month = await record(claim({ externalId: 'integrity:scalar-month', madeAt: '2026-01' }));
    expect(month.statement).toMatchObject({ madeAt: '2026-01-01T00:00:00.000Z', madeAtPrecision: 'MONTH' });
    const week = await gateway.graphql(`{ figures(filter: { asOf: "2026-W05" }) { totalCount } }`);
    expect(week.errors).toBeUndefined();
    // A date-time on a day that does not exist, or without a zone: the rule's refusal and code, naming the field.
    const impossible = await record(claim({ madeAt: '2026-02-30T00:00:00Z' }));
    expect(impossible).toMatchObject({
      __typename: 'InvalidInput',
      issues: [{ field: 'madeAt', code: 'IMPOSSIBLE_DATE', rule: expect.stringMatching(/2026-02-30 does not/) }],
    });
    for (const [asOf, code] of [
      ['2026-02-30T00:00:00Z', 'IMPOSSIBLE_DATE'],
      ['2026-01-31T14:27:00', 'NO_TIME_ZONE'],
    ]) {
      const literal = await gateway.graphql(`{ discrepancies(filter: { asOf: "${asOf}" }) { totalCount } }`);
      const variable = await gateway.graphql(`query($asOf: DateTime) { discrepancies(filter: { asOf: $asOf }) { totalCount } }`, { asOf });
      for (const response of [literal, variable]) {
        expect(response.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', issues: [{ field: 'filter.asOf', code }] } });
      }
    }
    // Not text at all (a Unix timestamp): refused by the scalar before any rule.
    const number = await gateway.graphql(`query($asOf: DateTime) { discrepancies(filter: { asOf: $asOf }) { totalCount } }`, { asOf: 1769817600 });
    expect(number.errors?.[0]).toMatchObject({ message: expect.stringMatching(/must be given as text/), extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('refuses a date range whose end comes before its start, naming the rule', async () => {
    const response = await gateway.graphql(`{ figures(filter: { claimedBetween: { from: "2026-02-01", to: "2026-01-01" } }) { totalCount } }`);
    expect(response.errors?.[0]).toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', issues: [{ field: 'filter.claimedBetween.to', code: 'EMPTY_RANGE' }] },
    });
  });
});

describe('external IDs belong to the partner that sent them', () => {
  it("keeps another partner's different record under the same ID, and refuses one's own ID with other content, naming the fields", async () => {
    const first = await record(claim({ externalId: 'story-42' }));
    const theirs = await record(
      claim(
        { externalId: 'story-42', text: 'Hospital officials said 99 were injured.' },
        { metric: 'INJURED', quantity: { kind: 'EXACT', low: 99, high: 99, phrase: '99' } },
      ),
      otherPartner,
    );
    expect(theirs.__typename).toBe('RecordPayload');
    expect(theirs.replayed).toBe(false);
    expect(theirs.statement.id).not.toBe(first.statement.id);
    const replay = await record(claim({ externalId: 'story-42' }));
    expect(replay).toMatchObject({ replayed: true, statement: { id: first.statement.id } });
    const before = await databaseFingerprint(gateway.db);
    const changed = await record(
      claim({ externalId: 'story-42', text: 'The BLA said five guards were killed.' }, { quantity: { kind: 'EXACT', low: 5, high: 5, phrase: 'five' } }),
    );
    expect(changed).toMatchObject({ __typename: 'Conflict', field: 'externalId' });
    expect(changed.differingFields).toEqual(['figures[0].quantity.high', 'figures[0].quantity.low', 'figures[0].quantity.phrase', 'text']);
    expect(await databaseFingerprint(gateway.db)).toBe(before);
  });

  it('lets a partner find its records by its own IDs and read its IDs back', async () => {
    const recorded = await record(claim({ externalId: 'story-77' }, { externalId: 'story-77:guards' }));
    expect(recorded.statement.externalId).toBe('story-77');
    expect(recorded.figures[0].externalId).toBe('story-77:guards');
    const lookup = `query($id: String!) { byExternalId(recordType: Statement, externalId: $id) { id } }`;
    expect((await gateway.graphql(lookup, { id: 'story-77' }, writer)).data.byExternalId.id).toBe(recorded.statement.id);
    expect((await gateway.graphql(lookup, { id: 'story-77' }, otherPartner)).data.byExternalId).toBeNull();
    // The operator's own IDs are shared: every partner can point at the seed's records.
    const seeded = (await gateway.graphql(`{ byExternalId(recordType: Organisation, externalId: "seed:bla") { id } }`, {}, otherPartner)).data.byExternalId;
    expect(seeded.id).toBe(bla);
    const { externalIds } = (
      await gateway.graphql(`{ externalIds(recordTypes: [Figure], first: 100) { edges { node { externalId record { id } } } } }`, {}, writer)
    ).data;
    expect(externalIds.edges.map((e: any) => e.node)).toContainEqual({ externalId: 'story-77:guards', record: { id: recorded.figures[0].id } });
  });

  it('names the fields that differ when an idempotency key comes back with other input', async () => {
    await record(claim({ externalId: 'story-88' }), writer, 'key-88');
    const again = await record(claim({ externalId: 'story-88', text: 'Other words.' }), writer, 'key-88');
    expect(again).toMatchObject({ __typename: 'Conflict', field: 'idempotencyKey', differingFields: ['text'] });
  });
});

describe('every state change is in the change feed', () => {
  it('records the figures retracted with their statement, the figure a revision supersedes, and every version bump', async () => {
    const { changes: start } = await gateway.data(`{ changes(last: 1) { edges { cursor } } }`);
    const after = start.edges[0].cursor;
    const recorded = await record(claim({ externalId: 'integrity:feed' }, {}));
    const [figure] = recorded.figures;
    const revised = (
      await gateway.graphql(
        REVISE,
        { input: { figure: figure.id, expectedVersion: 1, text: 'Three guards.', quantity: { kind: 'EXACT', low: 3, high: 3, phrase: 'three' } } },
        writer,
      )
    ).data.reviseFigure;
    const revision = revised.figures[0];
    const retracted = await retractStatement(recorded.statement.id, 'Withdrawn');
    // Its figure, superseded already, is retracted with it; the revision (another statement's) stands.
    expect(retracted.figures.map((f: any) => f.id)).toEqual([figure.id]);
    const { changes } = await gateway.data(
      `query($after: String) { changes(after: $after, first: 100) { edges { node { operation entityType entityId after } } } }`,
      { after },
    );
    const rows = changes.edges.map((e: any) => [e.node.operation, e.node.entityType, e.node.entityId, JSON.parse(e.node.after)]);
    expect(rows.map(([op, type, id]: any) => [op, type, id])).toEqual([
      ['CREATE', 'Statement', recorded.statement.id],
      ['CREATE', 'Figure', figure.id],
      ['CREATE', 'Statement', expect.any(String)],
      ['SUPERSEDE', 'Figure', figure.id],
      ['REVISE', 'Figure', revision.id],
      ['RETRACT', 'Statement', recorded.statement.id],
      ['RETRACT', 'Figure', figure.id],
    ]);
    expect(rows[3][3]).toMatchObject({ version: 2 });
    expect(rows[6][3]).toMatchObject({ version: 3, retractionReason: 'Withdrawn' });
  });
});

describe('claims about a period', () => {
  it('finds a figure and an incident of 4 to 6 March by 5 March, and the undated-start raids by 30 January', async () => {
    const created = (
      await gateway.graphql(
        `mutation { createIncident(input: { title: "Three-day operation in Kech", kind: SECURITY_OPERATION, startedAt: "2026-03-04", endedAt: "2026-03-06" }) { ... on IncidentWritePayload { incident { id } } } }`,
        {},
        writer,
      )
    ).data.createIncident.incident.id;
    const recorded = await record(
      claim(
        {
          externalId: 'integrity:period',
          incidents: [created],
          claimant: { kind: 'UNNAMED_GROUP', description: 'security officials', affiliation: 'STATE' },
          text: 'At least 12 attackers were killed in the three-day operation.',
        },
        {
          incident: created,
          side: 'NON_STATE_ARMED_GROUP',
          victimCategory: 'MILITANTS',
          victimDescription: 'attackers',
          period: { from: '2026-03-04', to: '2026-03-06' },
          quantity: { kind: 'AT_LEAST', low: 12, phrase: 'at least 12' },
        },
      ),
    );
    const { incidents } = await gateway.data(`{ incidents(filter: { between: { from: "2026-03-05", to: "2026-03-05" } }) { edges { node { id } } } }`);
    expect(incidents.edges.map((e: any) => e.node.id)).toEqual([created]);
    const { figures } = await gateway.data(`{ figures(filter: { between: { from: "2026-03-05", to: "2026-03-05" } }) { edges { node { id } } } }`);
    expect(figures.edges.map((e: any) => e.node.id)).toEqual([recorded.figures[0].id]);
    const { figureTotals } = await gateway.data(
      `{ figureTotals(input: { metric: KILLED, sides: [NON_STATE_ARMED_GROUP], between: { from: "2026-03-01", to: "2026-03-31" }, groupBy: DAY }) { periodStart low high } }`,
    );
    // Counted once, on the day its period starts: never split into invented daily numbers.
    expect(figureTotals).toEqual([{ periodStart: '2026-03-04T00:00:00.000Z', low: 12, high: null }]);
    const { raids } = await gateway.data(`{ raids: incidents(filter: { between: { from: "2026-01-30", to: "2026-01-30" } }) { edges { node { title } } } }`);
    expect(raids.edges.map((e: any) => e.node.title)).toEqual([expect.stringMatching(/raids/i)]);
  });
});

describe('errors name what the client sent', () => {
  it("names a revision's own fields, a claimant reference as written, and an ID of the wrong type as typed input errors", async () => {
    const {
      figures: [figure],
    } = await record(claim({ externalId: 'integrity:paths' }));
    const revision = (
      await gateway.graphql(
        REVISE,
        { input: { figure: figure.id, expectedVersion: 1, text: 'Range.', quantity: { kind: 'RANGE', low: 5, high: 3, phrase: 'between 5 and 3' } } },
        writer,
      )
    ).data.reviseFigure;
    expect(revision).toMatchObject({ __typename: 'InvalidInput', issues: [{ field: 'quantity.high', code: 'INCONSISTENT' }] });
    const stale = (
      await gateway.graphql(
        REVISE,
        { input: { figure: figure.id, expectedVersion: 9, text: 'Three.', quantity: { kind: 'EXACT', low: 3, high: 3, phrase: 'three' } } },
        writer,
      )
    ).data.reviseFigure;
    expect(stale).toMatchObject({ __typename: 'Conflict', field: 'expectedVersion', currentVersion: 1 });
    const missingOrganisation = await record(claim({ claimant: { kind: 'ORGANISATION', description: 'a BLA spokesman' } }));
    expect(missingOrganisation).toMatchObject({ __typename: 'InvalidInput', issues: [{ field: 'claimant.organisation', code: 'REQUIRED' }] });
    const wrongType = await record(claim({ claimant: { kind: 'ORGANISATION', organisation: source, description: 'a BLA spokesman' } }));
    expect(wrongType).toMatchObject({
      __typename: 'InvalidInput',
      issues: [{ field: 'claimant.organisation', code: 'WRONG_ID_TYPE', rule: 'must be the ID of an Organisation; this is the ID of a Source' }],
    });
    const gone = await record(
      claim({ claimant: { kind: 'ORGANISATION', organisation: encodeGlobalID('Organisation', 999_999), description: 'a BLA spokesman' } }),
    );
    expect(gone).toMatchObject({ __typename: 'NotFound', field: 'claimant.organisation', entityType: 'Organisation' });
  });

  it("reports an import line with every field named, never in a validator's own words", async () => {
    const line = JSON.stringify({ type: 'statement', externalId: 'integrity:bad-line', kind: 'CASUALTY_REPORT', text: 'x', figures: [{ quantity: 'many' }] });
    const { results } = (await gateway.graphql(IMPORT, { records: [line] }, writer)).data.importRecords;
    expect(results[0].status).toBe('BAD');
    const fields = results[0].issues.map((issue: any) => issue.field);
    expect(fields).toEqual(expect.arrayContaining(['claimant', 'figures[0].metric', 'figures[0].quantity']));
    for (const issue of results[0].issues) expect(issue.rule).not.toMatch(/expected .*, received/i);
  });
});

describe('the NDJSON import says everything GraphQL can', () => {
  it('records, revises, retracts and updates through one feed, and importing it again changes nothing', async () => {
    const feed = [
      { type: 'place', externalId: 'feed:turbat', name: 'Turbat', kind: 'CITY', parent: { externalId: 'seed:balochistan' } },
      {
        type: 'statement',
        externalId: 'feed:first',
        kind: 'CASUALTY_REPORT',
        claimant: { kind: 'UNNAMED_GROUP', description: 'police sources', affiliation: 'STATE' },
        madeAt: '2026-02-02',
        text: 'Police said four people were killed in Turbat.',
        incidents: [{ externalId: 'seed:balochistan-attacks' }],
        figures: [
          {
            externalId: 'feed:first:killed',
            metric: 'KILLED',
            victimCategory: 'PEOPLE',
            side: 'UNSPECIFIED',
            victimDescription: 'people',
            place: { externalId: 'feed:turbat' },
            quantity: { kind: 'EXACT', low: 4, high: 4, phrase: 'four' },
          },
        ],
      },
      {
        type: 'reviseFigure',
        externalId: 'feed:revision',
        figure: { externalId: 'feed:first:killed' },
        expectedVersion: 1,
        text: 'Police later said seven.',
        quantity: { kind: 'EXACT', low: 7, high: 7, phrase: 'seven' },
      },
      { type: 'updatePlace', place: { externalId: 'feed:turbat' }, expectedUpdatedAt: '2000-01-01T00:00:00Z', description: 'City in Kech district.' },
      { type: 'retractStatement', statement: { externalId: 'feed:revision' }, reason: 'Police withdrew the revised toll' },
    ].map((r) => JSON.stringify(r));
    const first = (await gateway.graphql(IMPORT, { records: feed }, writer)).data.importRecords;
    // The update carries a stale token: refused alone, the rest of the feed committed.
    expect(first.results.map((r: any) => r.status)).toEqual(['CREATED', 'CREATED', 'CREATED', 'BAD', 'CHANGED']);
    expect(first.results[3].issues[0]).toMatchObject({ field: 'expectedUpdatedAt' });
    const again = (await gateway.graphql(IMPORT, { records: feed.filter((_, n) => n !== 3) }, writer)).data.importRecords;
    expect(again.results.map((r: any) => r.status)).toEqual(['ALREADY_PRESENT', 'ALREADY_PRESENT', 'ALREADY_PRESENT', 'ALREADY_PRESENT']);
    const { byExternalId } = (
      await gateway.graphql(
        `{ byExternalId(recordType: Figure, externalId: "feed:first:killed") { ... on Figure { isCurrent supersededBy { quantity { phrase } retractedAt } } } }`,
        {},
        writer,
      )
    ).data;
    expect(byExternalId).toMatchObject({ isCurrent: false, supersededBy: { quantity: { phrase: 'seven' }, retractedAt: expect.any(String) } });
  });
});

describe("one request never changes the next one's answer", () => {
  it("keeps a query's deadline to that request: another gateway on the same schema answers the same query in full", async () => {
    // Executed field by field: its many statements meet the 1 ms deadline between them. Compiled,
    // the page is one statement that can finish before a busy event loop fires the timer, and
    // a complete answer is kept (hardening.ts).
    const hurried = await startGateway({ limits: { ...gateway.config.limits, requestTimeoutMs: 1 }, compiledReads: false });
    try {
      const page = `{ incidents(first: 100) { edges { node { title statements { edges { node { text figures { quantity { phrase } } } } } } } } }`;
      const burst = await Promise.all(Array.from({ length: 6 }, () => hurried.graphql(page)));
      expect(burst.every((answer) => answer.errors?.[0]?.extensions?.code === 'TIMEOUT')).toBe(true);
      // Work without the database is not cut short by the earlier deadlines.
      expect((await hurried.graphql(`{ __typename }`)).data).toEqual({ __typename: 'Query' });
      const answer = await gateway.graphql(page);
      expect(answer.errors).toBeUndefined();
      expect(answer.data.incidents.edges.length).toBeGreaterThan(0);
    } finally {
      await hurried.close();
    }
  });
});

describe('import checkpoints belong to their importer', () => {
  const CHECKPOINTED = `mutation($records: [String!]!, $checkpoint: ImportCheckpointInput) {
    importRecords(records: $records, format: NDJSON, checkpoint: $checkpoint) { __typename ... on ImportResult { created } ... on Conflict { field message } } }`;
  const RUN = `query($sha: String!) { importRun(fileSha256: $sha) { lastLine records created finishedAt } }`;
  const sha = 'a'.repeat(64);

  it("never lets one key's checkpoint stand for another's, nor move one that is not under way", async () => {
    const forged = await gateway.graphql(
      CHECKPOINTED,
      { records: [], checkpoint: { fileSha256: sha, fileName: 'claims.ndjson', lastLine: 110, nextByte: 9000, finished: true, fresh: true } },
      otherPartner,
    );
    expect(forged.data.importRecords.__typename).toBe('ImportResult');
    // The partner's own run says what it committed: nothing.
    expect((await gateway.graphql(RUN, { sha }, otherPartner)).data.importRun).toMatchObject({ lastLine: 110, records: 0, created: 0 });
    // Another key, and the operator, see no run of that file.
    expect((await gateway.graphql(RUN, { sha }, writer)).data.importRun).toBeNull();
    expect(await loadCheckpoint(gateway.db.prisma, LOCAL_OPERATOR, sha)).toBeNull();
    const resumed = await gateway.graphql(
      CHECKPOINTED,
      { records: [], checkpoint: { fileSha256: sha, fileName: 'claims.ndjson', lastLine: 200, nextByte: 9999, finished: false, fresh: false } },
      writer,
    );
    expect(resumed.data.importRecords).toMatchObject({ __typename: 'Conflict', field: 'checkpoint' });
  });
});
