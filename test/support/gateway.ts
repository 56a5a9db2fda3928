// A real gateway over HTTP on a fresh copy of the seeded template database, for one test file.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, inject } from 'vitest';
import { loadConfig, type Config } from '../../src/config.js';
import { openDatabase, type Database } from '../../src/db/database.js';
import { createGateway } from '../../src/http/gateway.js';
import { databaseUrl, dropDatabase, uniqueName, withServer } from './templates.js';

export interface GraphQLResponse<Data = any> {
  data?: Data;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
  extensions?: { sqlStatements?: number };
}

export interface TestGateway {
  url: string;
  db: Database;
  config: Config;
  /** POSTs a GraphQL operation and returns the parsed response (any HTTP status). */
  graphql<Data = any>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLResponse<Data>>;
  /** POSTs a GraphQL operation that must succeed, and returns its data. */
  data<Data = any>(query: string, variables?: Record<string, unknown>): Promise<Data>;
  close(): Promise<void>;
}

/** Opens a fresh copy of the template database: seeded with the article's data. */
export async function openTestDatabase(): Promise<{ db: Database; drop: () => Promise<void> }> {
  const template = inject('template');
  if (template.backend === 'pglite') {
    const dump = new Blob([readFileSync(template.dumpFile)]);
    return { db: await openDatabase({ kind: 'memory' }, { loadDataDir: dump }), drop: async () => {} };
  }
  const name = uniqueName('gateway_test');
  await withServer(template.serverUrl, (client) => client.query(`CREATE DATABASE "${name}" TEMPLATE "${template.template}"`));
  const db = await openDatabase({ kind: 'postgres', url: databaseUrl(template.serverUrl, name), poolSize: 4 });
  return { db, drop: () => dropDatabase(template.serverUrl, name) };
}

/** A fresh copy of the template database for the whole file: opened before its tests, dropped after. */
export function useTestDatabase(): { readonly db: Database } {
  let opened: { db: Database; drop: () => Promise<void> } | undefined;
  beforeAll(async () => {
    opened = await openTestDatabase();
  });
  afterAll(async () => {
    await opened?.db.close();
    await opened?.drop();
  });
  return {
    get db() {
      if (!opened) throw new Error('the test database opens in beforeAll');
      return opened.db;
    },
  };
}

export async function startGateway(overrides: Partial<Config> = {}, options: Parameters<typeof createGateway>[2] = {}): Promise<TestGateway> {
  const { db, drop } = await openTestDatabase();
  // Quiet unless a test asks: one access-log line per request would bury the test output.
  const config = { ...loadConfig({}), logLevel: 'warn' as const, reportSqlStatements: true, ...overrides };
  const server = createServer(createGateway(db, config, options));
  // Longer than any pause between a test's requests on a loaded machine: fetch reuses idle
  // connections, and one the server closed at the same moment would reset (ECONNRESET).
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const gateway: TestGateway = {
    url,
    db,
    config,
    async data(query, variables) {
      const response = await gateway.graphql(query, variables);
      expect(response.errors).toBeUndefined();
      return response.data;
    },
    async graphql(query, variables, headers = {}) {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as GraphQLResponse;
    },
    async close() {
      server.closeAllConnections();
      await new Promise((closed) => server.close(closed));
      await db.close();
      await drop();
    },
  };
  return gateway;
}

/** Selects a claimant's name whatever kind it is; `claimantName` reads it back. */
export const CLAIMANT = `claimant { __typename name claimantKind }`;
export const claimantName = (claimant: any): string => claimant.name;

/** Incidents → places, figures (a page) and statements → claimant, source chain and figures. */
export const NESTED_PAGE = `query Nested($first: Int!) {
  incidents(first: $first) {
    totalCount totalCountKind
    pageInfo { endCursor hasNextPage hasPreviousPage startCursor }
    edges { cursor node {
      id title startedAt
      places { id name }
      figures(first: 5) { totalCount edges { node { id metric } } }
      statements(first: 20) { edges { node {
        id text madeAt ${CLAIMANT}
        sourceChain { position source { id description publisher { id name } } }
        figures { id metric victimCategory quantity { kind low high phrase } }
      } } }
    } }
  }
}`;

/** Global IDs from the seed article that write tests aim at: the Noshki abduction, a source, the BLA. */
export async function seedTargets(gateway: TestGateway): Promise<{ incident: string; source: string; bla: string }> {
  const ids = await gateway.data(`{
    incidents(filter: { kinds: [ABDUCTION] }) { edges { node { id } } }
    sources(first: 1) { edges { node { id } } }
    organisations(filter: { name: "BLA" }) { edges { node { id } } } }`);
  return { incident: ids.incidents.edges[0].node.id, source: ids.sources.edges[0].node.id, bla: ids.organisations.edges[0].node.id };
}

/** The database id of a record by an external ID (whoever's it is, unless `owner` is given). */
export async function idByExternalId(db: Database, entityType: string, externalId: string, owner?: number): Promise<number> {
  const row = await db.prisma.externalId.findFirstOrThrow({
    where: { entityType, externalId, ...(owner === undefined ? {} : { ownerId: owner }) },
    orderBy: { createdAt: 'asc' },
  });
  return row.entityId;
}

/** `Authorization` header for an API key secret. */
export const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });

/**
 * Everything a write could touch, as one string: equal before and after a refused write means
 * the database is unchanged.
 */
export async function databaseFingerprint(db: Database): Promise<string> {
  const tables = [
    'Statement',
    'Figure',
    'FigureBreakdownItem',
    'StatementSource',
    'StatementIncident',
    'Change',
    'IdempotencyRecord',
    'ExternalId',
    'ImportRun',
    'Organisation',
    'Official',
    'OfficialRole',
    'Place',
    'Source',
    'Incident',
    'IncidentPlace',
    'IncidentParticipant',
  ];
  const rows: Record<string, unknown> = {};
  for (const table of tables) {
    rows[table] = await db.prisma.$queryRawUnsafe(`SELECT to_jsonb(t) AS row FROM "${table}" t ORDER BY to_jsonb(t)::text`);
  }
  return JSON.stringify(rows);
}
