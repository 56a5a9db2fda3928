// A writer may send a quantity as words only ("at least 67"): the gateway reads kind, low and high
// by the quantity-phrase rules, on every write path (GraphQL, reviseFigure, NDJSON), and labels
// the numbers as its own reading, in GraphQL and in the export. Words it cannot read are refused
// on `phrase`, and nothing is written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../src/auth/keys.js';
import { bearer, databaseFingerprint, seedTargets, startGateway, type TestGateway } from './support/gateway.js';

let gateway: TestGateway;
let writer: Record<string, string>;
let incident: string;
let source: string;
let bla: string;

beforeAll(async () => {
  gateway = await startGateway();
  writer = bearer((await createApiKey(gateway.db.prisma, 'Dawn newsroom', ['WRITE'])).secret);
  ({ incident, source, bla } = await seedTargets(gateway));
});
afterAll(() => gateway.close());

const QUANTITY = 'quantity { kind low high phrase readFromPhrase }';
const ERRORS = '... on InvalidInput { issues { field rule code } }';
const RECORD = `mutation($input: RecordStatementInput!) { recordStatement(input: $input) {
  __typename ... on RecordPayload { figures { id version ${QUANTITY} } } ${ERRORS} } }`;
const REVISE = `mutation($input: ReviseFigureInput!) { reviseFigure(input: $input) {
  __typename ... on RecordPayload { figures { id isCurrent ${QUANTITY} supersedes { id } } } ${ERRORS} } }`;
const IMPORT = `mutation($records: [String!]!) { importRecords(records: $records, format: NDJSON) {
  ... on ImportResult { created bad results { line status issues { field rule code } } } } }`;

const statement = (quantity: object, externalId?: string) => ({
  externalId,
  kind: 'CASUALTY_REPORT',
  claimant: { kind: 'ORGANISATION', organisation: bla, description: 'a BLA spokesman', affiliation: 'NON_STATE_ARMED_GROUP' },
  madeAt: '2026-02-01',
  text: 'The BLA said at least 67 soldiers were killed.',
  sources: [source],
  incidents: [incident],
  figures: [{ metric: 'KILLED', victimCategory: 'SOLDIERS', side: 'STATE_FORCES', victimDescription: 'soldiers', incident, quantity }],
});

async function record(quantity: object) {
  const response = await gateway.graphql(RECORD, { input: statement(quantity) }, writer);
  expect(response.errors).toBeUndefined();
  return response.data.recordStatement;
}

describe('a quantity sent as words', () => {
  it.each([
    ['at least 67', { kind: 'AT_LEAST', low: 67, high: null }],
    ['some 10', { kind: 'APPROXIMATE', low: 10, high: 10 }],
    ['between 38 and 45', { kind: 'RANGE', low: 38, high: 45 }],
    ['dozens', { kind: 'UNQUANTIFIED', low: null, high: null }],
    ['eleven people', { kind: 'EXACT', low: 11, high: 11 }],
  ])('"%s" is read by the gateway and labelled as its reading', async (phrase, read) => {
    const recorded = await record({ phrase });
    expect(recorded.figures[0].quantity).toEqual({ ...read, phrase, readFromPhrase: true });
  });

  it("a quantity the writer read keeps the writer's numbers, labelled as given", async () => {
    const recorded = await record({ kind: 'APPROXIMATE', low: 67, high: 67, phrase: 'at least 67' });
    expect(recorded.figures[0].quantity).toEqual({ kind: 'APPROXIMATE', low: 67, high: 67, phrase: 'at least 67', readFromPhrase: false });
  });

  it('words that are not one quantity, and numbers without a kind, are refused on the field and change nothing', async () => {
    const before = await databaseFingerprint(gateway.db);
    const cases: [object, { field: string; code: string; rule: RegExp }][] = [
      [
        { phrase: '5 killed and 6 wounded' },
        { field: 'figures[0].quantity.phrase', code: 'NOT_A_QUANTITY', rule: /holds more than one quantity .*send kind, low and high/ },
      ],
      [{ phrase: 'the toll rose' }, { field: 'figures[0].quantity.phrase', code: 'NOT_A_QUANTITY', rule: /does not start with a quantity/ }],
      [{ phrase: '20,000,000' }, { field: 'figures[0].quantity.phrase', code: 'NOT_A_QUANTITY', rule: /more than the largest count/ }],
      [
        { low: 67, phrase: 'at least 67' },
        { field: 'figures[0].quantity.kind', code: 'REQUIRED', rule: /is required with low/ },
      ],
    ];
    for (const [quantity, issue] of cases) {
      const refused = await record(quantity);
      expect(refused.__typename).toBe('InvalidInput');
      expect(refused.issues).toEqual([{ field: issue.field, code: issue.code, rule: expect.stringMatching(issue.rule) }]);
    }
    expect(await databaseFingerprint(gateway.db)).toEqual(before);
  });

  it('a revision may be sent as words too', async () => {
    const first = (await record({ kind: 'EXACT', low: 5, high: 5, phrase: 'five' })).figures[0];
    const response = await gateway.graphql(
      REVISE,
      { input: { figure: first.id, expectedVersion: first.version, text: 'The toll rose to 11.', quantity: { phrase: '11' } } },
      writer,
    );
    expect(response.errors).toBeUndefined();
    expect(response.data.reviseFigure.figures[0]).toMatchObject({
      isCurrent: true,
      supersedes: { id: first.id },
      quantity: { kind: 'EXACT', low: 11, high: 11, phrase: '11', readFromPhrase: true },
    });
  });

  it('an NDJSON line may carry words only; the export labels the reading', async () => {
    const line = JSON.stringify({ type: 'statement', ...statement({ phrase: 'up to 20' }, 'words:ndjson-up-to-20') });
    const bad = JSON.stringify({ type: 'statement', ...statement({ phrase: 'the toll rose' }, 'words:ndjson-bad') });
    const response = await gateway.graphql(IMPORT, { records: [line, bad] }, writer);
    expect(response.errors).toBeUndefined();
    expect(response.data.importRecords).toMatchObject({
      created: 1,
      bad: 1,
      results: [
        { line: 1, status: 'CREATED' },
        { line: 2, status: 'BAD', issues: [{ field: 'figures[0].quantity.phrase', code: 'NOT_A_QUANTITY' }] },
      ],
    });
    const csv = await (await fetch(`${gateway.url}/export/figures.csv`, { headers: writer })).text();
    const [header, ...rows] = csv.trim().split('\n');
    const columns = header!.split(',');
    const row = rows.map((r) => r.split(',')).find((cells) => cells[columns.indexOf('phrase')] === 'up to 20')!;
    expect(row[columns.indexOf('quantity_kind')]).toBe('AT_MOST');
    expect(row[columns.indexOf('high')]).toBe('20');
    expect(row[columns.indexOf('quantity_read_from_phrase')]).toBe('true');
  });
});
