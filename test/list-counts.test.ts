// How long a list is, without counting a million rows: `totalCount` is exact up to
// COUNT_EXACT_LIMIT and, beyond it, the limit with `totalCountKind: AT_LEAST`. Here the limit is 3,
// so the seeded lists fall on both sides of it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from './support/gateway.js';

const LIMIT = 3;
let gateway: TestGateway;
beforeAll(async () => (gateway = await startGateway({ countExactLimit: LIMIT })));
afterAll(() => gateway?.close());

/** What a list of `rows` rows should report. */
const expected = (rows: number) => (rows > LIMIT ? { totalCount: LIMIT, totalCountKind: 'AT_LEAST' } : { totalCount: rows, totalCountKind: 'EXACT' });

const PAGE = '{ totalCount totalCountKind pageInfo { hasNextPage } edges { cursor } }';

/** A whole list (none here has 100 items): how many rows it holds and what it says of its length. */
async function wholeList(query: string, pick: (data: any) => any, variables?: Record<string, unknown>) {
  const { totalCount, totalCountKind, pageInfo, edges } = pick(await gateway.data(query, variables));
  expect(pageInfo.hasNextPage, query).toBe(false);
  return { rows: edges.length as number, reported: { totalCount, totalCountKind } };
}

describe('totalCount with COUNT_EXACT_LIMIT=3', () => {
  it('is exact up to the limit and "at least the limit" beyond it, on every top-level list', async () => {
    const kinds = new Set<string>();
    for (const list of ['incidents', 'statements', 'figures', 'organisations', 'officials', 'places', 'sources', 'changes']) {
      const { rows, reported } = await wholeList(`{ ${list}(first: 100) ${PAGE} }`, (data) => data[list]);
      expect(reported, list).toEqual(expected(rows));
      kinds.add(reported.totalCountKind);
    }
    // The seeded lists fall on both sides of the limit, so both answers were checked.
    expect([...kinds].sort()).toEqual(['AT_LEAST', 'EXACT']);
  });

  it('counts a filtered list by the same rule: exact when the filter narrows it to the limit or below', async () => {
    const { rows, reported } = await wholeList(`{ figures(first: 100, filter: { metrics: [ABDUCTED] }) ${PAGE} }`, (data) => data.figures);
    expect(rows).toBeLessThanOrEqual(LIMIT);
    expect(reported).toEqual({ totalCount: rows, totalCountKind: 'EXACT' });
  });

  it("stays exact past the limit for a relation counted in its parent's query (an incident's figures)", async () => {
    const incidents = await gateway.data('{ incidents(first: 100) { edges { node { id figures { totalCount } } } } }');
    const busiest = incidents.incidents.edges.map((edge: any) => edge.node).sort((a: any, b: any) => b.figures.totalCount - a.figures.totalCount)[0];
    const query = `query($id: ID!) { node(id: $id) { ... on Incident { figures(first: 100) ${PAGE} } } }`;
    const { rows, reported } = await wholeList(query, (data) => data.node.figures, { id: busiest.id });
    expect(rows).toBeGreaterThan(LIMIT);
    expect(reported).toEqual({ totalCount: rows, totalCountKind: 'EXACT' });
  });

  it('costs one statement, which stops counting past the limit, when only the count is asked', async () => {
    const response = await gateway.graphql('{ figures { totalCount totalCountKind } }');
    expect(response.data.figures).toEqual({ totalCount: LIMIT, totalCountKind: 'AT_LEAST' });
    expect(response.extensions?.sqlStatements).toBe(1);
  });

  it('counts the disagreements by the same rule, as the record stands and as it stood, and only when asked', async () => {
    for (const filter of ['', 'filter: { asOf: "2030-01-01T00:00:00Z" }', 'filter: { metric: KILLED }']) {
      const { rows, reported } = await wholeList(`{ discrepancies(first: 100 ${filter}) ${PAGE} }`, (data) => data.discrepancies);
      expect(rows, filter).toBeGreaterThan(0);
      expect(reported, filter).toEqual(expected(rows));
    }
    const statements = async (fields: string) => Number((await gateway.graphql(`{ discrepancies(first: 2) { ${fields} } }`)).extensions?.sqlStatements);
    // The page alone counts nothing; the count is one statement more, shared by both count fields.
    expect(await statements('totalCount totalCountKind edges { cursor }')).toBe((await statements('edges { cursor }')) + 1);
  });
});
