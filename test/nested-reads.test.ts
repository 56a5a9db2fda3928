// A nested page costs SQL statements by the depth of the query, never by the number of items:
// two incidents with their statements, figures, sources and places cost what twenty do
// (counted by the gateway itself, `extensions.sqlStatements`), NESTED_PAGE in support/gateway.ts. Executed
// field by field here: compiled, the same page is one statement (test/compiled-reads.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NESTED_PAGE, startGateway, type TestGateway } from './support/gateway.js';

let gateway: TestGateway;
beforeAll(async () => (gateway = await startGateway({ reportSqlStatements: true, compiledReads: false })));
afterAll(() => gateway?.close());

async function statementsFor(first: number) {
  const response = await gateway.graphql(NESTED_PAGE, { first });
  expect(response.errors).toBeUndefined();
  const incidents = response.data.incidents.edges.map((edge: any) => edge.node);
  return {
    incidents: incidents.length as number,
    statements: incidents.flatMap((incident: any) => incident.statements.edges).length as number,
    sqlStatements: response.extensions?.sqlStatements,
  };
}

describe('a nested page', () => {
  it('costs the same number of SQL statements for 2 incidents as for 20', async () => {
    const two = await statementsFor(2);
    const twenty = await statementsFor(20);
    // The larger page really holds more of every level.
    expect(two.incidents).toBe(2);
    expect(twenty.incidents).toBeGreaterThan(2);
    expect(twenty.statements).toBeGreaterThan(two.statements);
    expect(two.sqlStatements).toEqual(expect.any(Number));
    expect(twenty.sqlStatements).toBe(two.sqlStatements);
    // Bounded by the query's shape: at most one statement per table it reaches (Incident,
    // IncidentPlace, Place, Figure twice, StatementIncident, Statement, Official, Organisation
    // twice, StatementSource, Source), and the count.
    expect(two.sqlStatements).toBeLessThanOrEqual(13);
  });
});
