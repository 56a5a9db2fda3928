// The benchmark's peer: PostGraphile v5 reflecting the tables Prisma created (schema `public`)
// in the gateway's own PostgreSQL database, served by grafserv's node adapter on 127.0.0.1 with
// the amber preset, no GraphiQL, no watch mode and a pool of 10 (the gateway's default). It
// exposes the whole reflected schema, mutations included: meant for a benchmark database only.
// Set GRAPHILE_ENV=production in its process to silence grafast's start-up notice.
//
// The nested page fetches the same rows as the gateway's `nestedPage(50)` in operations.ts but
// the retracted ones, which the gateway leaves out and the peer lists (the amber preset filters
// only on indexed columns of a connection's own table): 0.3 % of the statements and 1 % of the
// figures of the synthetic data, so the peer's answer is slightly longer and its SQL has no
// condition to check. Otherwise every page of a 10,000-figure database matched, id for id.
// - Incidents: newest first, as the gateway lists them (`startedAt` descending, undated last, then
//   id descending; `pgOrderByNullsLast` makes STARTED_AT_DESC put nulls last), 50 a page, with
//   endCursor/hasNextPage and totalCount.
// - An incident's statements: StatementIncident is an explicit Prisma model with its own primary
//   key and foreign keys, so the idiomatic v5 route is its own connection
//   (`statementIncidentsByIncidentId` → `statementByStatementId`); no many-to-many plugin is
//   needed (nor is one for v5 in the registry). The first 20 by statement id, as the gateway's
//   `Incident.statements` page (its default size).
// - A statement's figures: all of them by id, superseded included, as the gateway's
//   `Statement.figures`.
// - Claimant: the gateway answers a union; here the statement's organisation and official
//   relations (at most one is set) plus `claimantKind`, and `claimantDescription` stands for an
//   unnamed claimant's description.
// - Shape only: ids are each server's own opaque node ids, timestamps come without the `Z`, the
//   quantity's four columns sit on the figure, and connections add `nodes` levels, so the peer's
//   answer is about a fifth larger in bytes.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { postgraphile } from 'postgraphile';
import { makePgService } from 'postgraphile/adaptors/pg';
import { grafserv } from 'postgraphile/grafserv/node';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';

// PostGraphile 5.1 declares Node >= 22. On the project's Node 20 the one newer API it calls is
// Promise.withResolvers (ES2024); without it every database step fails with "reading 'items'".
if (!('withResolvers' in Promise)) {
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value: function withResolvers<T>(this: PromiseConstructor) {
      let resolve!: (value: T | PromiseLike<T>) => void;
      let reject!: (reason?: unknown) => void;
      const promise = new this<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}

/** The nested incident page, equivalent to the gateway's: pass `{ cursor }` (null for page one). */
export const POSTGRAPHILE_NESTED_PAGE = /* GraphQL */ `
  query NestedIncidentPage($cursor: Cursor) {
    allIncidents(first: 50, after: $cursor, orderBy: [STARTED_AT_DESC, ROW_ID_DESC]) {
      edges {
        node {
          id
          title
          startedAt
          statementIncidentsByIncidentId(first: 20, orderBy: [STATEMENT_ID_ASC]) {
            nodes {
              statementByStatementId {
                id
                text
                madeAt
                claimantDescription
                claimantKind
                organisationByOrganisationId { id name }
                officialByOfficialId { id name }
                figuresByStatementId(orderBy: [ROW_ID_ASC]) {
                  nodes { id metric victimCategory quantityKind low high phrase }
                }
              }
            }
          }
        }
      }
      pageInfo { endCursor hasNextPage }
      totalCount
    }
  }
`;

/**
 * One incident with its places and statements, like the gateway's `node(id:)` lookup in
 * operations.ts: pass `{ id }`, the incident's database id (the number in the gateway's global ID).
 */
export const POSTGRAPHILE_NODE_LOOKUP = /* GraphQL */ `
  query Incident($id: Int!) {
    incidentByRowId(rowId: $id) {
      id
      title
      startedAt
      incidentPlacesByIncidentId(orderBy: [PLACE_ID_ASC]) { nodes { placeByPlaceId { name } } }
      statementIncidentsByIncidentId(first: 20, orderBy: [STATEMENT_ID_ASC]) {
        nodes { statementByStatementId { id claimantDescription } }
      }
    }
  }
`;

export async function startPostGraphile(options: { connectionString: string; port?: number }): Promise<{ url: string; close(): Promise<void> }> {
  const pgService = makePgService({
    connectionString: options.connectionString,
    schemas: ['public'],
    // The gateway's default DATABASE_POOL_SIZE.
    poolConfig: { max: 10 },
  });
  const pgl = postgraphile({
    extends: [PostGraphileAmberPreset],
    pgServices: [pgService],
    schema: { pgOrderByNullsLast: true },
    grafserv: { graphiql: false, watch: false },
    grafast: { explain: false },
  });
  const server = createServer();
  pgl.createServ(grafserv).addTo(server);
  // Releasing the instance releases its grafserv; the pool is ours to end.
  const release = async () => {
    await pgl.release();
    await pgService.release?.();
  };
  try {
    // Build the schema before the first request, so the benchmark does not time introspection.
    await pgl.getSchema();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
  } catch (error) {
    await release();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    async close() {
      // Requests still running finish before the pool goes; a client that keeps its connection
      // open is cut off after 5 s.
      const closed = new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
      server.closeIdleConnections();
      const cutOff = setTimeout(() => server.closeAllConnections(), 5_000);
      await closed;
      clearTimeout(cutOff);
      await release();
    },
  };
}
