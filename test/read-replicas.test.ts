// Read replicas (DATABASE_REPLICA_URLS): query operations and exports read from a replica;
// mutations write to the primary and read their payload there; the live feed reads each event
// from the primary. The "replica" is a different database on the same server, migrated here and
// given content of its own, so every answer shows which database it came from. Replication
// itself is PostgreSQL's business: this database is a replica that never catches up.
// PostgreSQL project only.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApiKey } from '../src/auth/keys.js';
import { ConfigError, loadConfig, type Config } from '../src/config.js';
import { openDatabase, type Database } from '../src/db/database.js';
import { applyMigrations } from '../src/db/schema-engine.js';
import { createGateway } from '../src/http/gateway.js';
import { bearer, type GraphQLResponse } from './support/gateway.js';
import { databaseUrl, dropDatabase, uniqueName, withServer } from './support/templates.js';

const template = inject('template');
if (template.backend !== 'postgres') throw new Error('PostgreSQL project only (see serverOnly in vitest.config.ts)');
const { serverUrl } = template;

const gid = (type: string, id: number) => Buffer.from(`${type}:${id}`).toString('base64');

/** Ids far above anything the seed uses, for rows that exist only on the replica. */
const REPLICA_ONLY_ID = 900_001;
const REPLICA_ONLY_NAME = 'Organisation known only to the replica';
const REPLICA_ONLY_TEXT = 'A statement recorded only on the replica';

/** A gateway over HTTP on `db`. */
async function serve(db: Database, overrides: Partial<Config> = {}) {
  const server = createServer(createGateway(db, { ...loadConfig({}), reportSqlStatements: true, ...overrides }));
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    async graphql(query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<GraphQLResponse> {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as GraphQLResponse;
    },
    async close() {
      server.closeAllConnections();
      await new Promise((closed) => server.close(closed));
    },
  };
}

const primaryName = uniqueName('replicas_primary');
const replicaName = uniqueName('replicas_replica');
let primary: Database; // the gateway's database: the primary, with the replica beside it
let replica: Database; // the replica, opened on its own to give it content and to look at it
let gateway: Awaited<ReturnType<typeof serve>>;
let staleOrganisation: { id: number; name: string; updatedAt: Date };
let writer: string;
let reader: string;

beforeAll(async () => {
  await withServer(serverUrl, async (client) => {
    await client.query(`CREATE DATABASE "${primaryName}" TEMPLATE "${template.template}"`);
    await client.query(`CREATE DATABASE "${replicaName}"`);
  });
  replica = await openDatabase({ kind: 'postgres', url: databaseUrl(serverUrl, replicaName), poolSize: 2 });
  await applyMigrations(replica.adapterFactory);
  primary = await openDatabase({
    kind: 'postgres',
    url: databaseUrl(serverUrl, primaryName),
    poolSize: 4,
    replicaUrls: [databaseUrl(serverUrl, replicaName)],
  });

  // The replica's content: one organisation and one statement of its own, and an older copy of
  // one of the primary's organisations under the same id (as if the replica lagged behind).
  staleOrganisation = await primary.prisma.organisation.findFirstOrThrow({ orderBy: { id: 'asc' } });
  await replica.prisma.organisation.create({ data: { id: staleOrganisation.id, name: 'Stale name on the replica', kind: 'GOVERNMENT_BODY' } });
  await replica.prisma.organisation.create({ data: { id: REPLICA_ONLY_ID, name: REPLICA_ONLY_NAME, kind: 'ARMED_GROUP' } });
  await replica.prisma.statement.create({
    data: {
      id: REPLICA_ONLY_ID,
      kind: 'CASUALTY_REPORT',
      claimantKind: 'ORGANISATION',
      organisationId: REPLICA_ONLY_ID,
      claimantDescription: 'the group',
      text: REPLICA_ONLY_TEXT,
    },
  });

  // Keys live on the primary: a key is usable the moment it is created, whatever the lag.
  writer = (await createApiKey(primary.prisma, 'replica test writer', ['WRITE'])).secret;
  reader = (await createApiKey(primary.prisma, 'replica test reader', ['READ'])).secret;
  gateway = await serve(primary);
});

afterAll(async () => {
  await gateway?.close();
  await primary?.close();
  await replica?.close();
  await dropDatabase(serverUrl, primaryName);
  await dropDatabase(serverUrl, replicaName);
});

describe('queries read from the replica', () => {
  it('answers a query from the replica, counting its SQL statements', async () => {
    const response = await gateway.graphql(`{ organisations(first: 100) { totalCount edges { node { name } } } }`);
    expect(response.errors).toBeUndefined();
    expect(response.data.organisations.totalCount).toBe(2);
    expect(response.data.organisations.edges.map((edge: any) => edge.node.name).sort()).toEqual([REPLICA_ONLY_NAME, 'Stale name on the replica'].sort());
    expect(await primary.prisma.organisation.count()).toBeGreaterThan(2);
    expect(response.extensions?.sqlStatements).toBeGreaterThan(0);
  });

  it('runs the raw SQL of a query (full-text search) on the replica too', async () => {
    const response = await gateway.graphql(`query($q: String!) { search(query: $q) { totalCount edges { node { ... on Organisation { name } } } } }`, {
      q: 'known only to the replica',
    });
    expect(response.errors).toBeUndefined();
    expect(response.data.search.edges.map((edge: any) => edge.node.name)).toEqual([REPLICA_ONLY_NAME]);
  });

  it('exports from the replica', async () => {
    const response = await fetch(`${gateway.url}/export/statements.ndjson`);
    expect(response.status).toBe(200);
    const lines = (await response.text())
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.map((line) => line.text)).toEqual([REPLICA_ONLY_TEXT]);
  });
});

describe('mutations stay on the primary', () => {
  it('writes to the primary and reads its payload there, while queries still see the replica', async () => {
    const response = await gateway.graphql(
      `mutation($input: UpdateOrganisationInput!) { updateOrganisation(input: $input) {
        __typename ... on OrganisationWritePayload { organisation { id name statements(first: 1) { totalCount } } } ... on WriteError { message } } }`,
      {
        input: {
          organisation: gid('Organisation', staleOrganisation.id),
          expectedUpdatedAt: staleOrganisation.updatedAt.toISOString(),
          name: 'Renamed on the primary',
        },
      },
      bearer(writer),
    );
    expect(response.errors).toBeUndefined();
    const { organisation } = response.data.updateOrganisation;
    expect(organisation.name).toBe('Renamed on the primary');
    // The replica holds no statements at all: a count above 0 was read on the primary.
    const onPrimary = await primary.prisma.statement.count({ where: { organisationId: staleOrganisation.id } });
    expect(onPrimary).toBeGreaterThan(0);
    expect(organisation.statements.totalCount).toBe(onPrimary);

    expect((await primary.prisma.organisation.findUniqueOrThrow({ where: { id: staleOrganisation.id } })).name).toBe('Renamed on the primary');
    expect((await replica.prisma.organisation.findUniqueOrThrow({ where: { id: staleOrganisation.id } })).name).toBe('Stale name on the replica');
    // A later query reads the (lagging) replica: read-your-writes holds within the mutation only.
    const later = await gateway.graphql(`query($id: ID!) { node(id: $id) { ... on Organisation { name } } }`, { id: organisation.id });
    expect(later.data.node.name).toBe('Stale name on the replica');
  });

  it('reads a live-feed event from the primary as soon as it is written', async () => {
    const abort = new AbortController();
    const stream = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...bearer(reader) },
      body: JSON.stringify({ query: 'subscription { claimEvents { kind statement { id text } } }' }),
      signal: abort.signal,
    });
    expect(stream.status).toBe(200);
    try {
      const text = 'Said on the primary, followed live';
      const recorded = await gateway.graphql(
        `mutation($input: RecordStatementInput!) { recordStatement(input: $input) {
          __typename ... on RecordPayload { statement { id text } } ... on WriteError { message } } }`,
        {
          input: {
            kind: 'CASUALTY_REPORT',
            text,
            claimant: { kind: 'UNNAMED_GROUP', description: 'security officials' },
            figures: [
              {
                metric: 'KILLED',
                victimCategory: 'PEOPLE',
                side: 'CIVILIAN',
                victimDescription: 'people',
                quantity: { kind: 'EXACT', low: 3, high: 3, phrase: 'three' },
              },
            ],
          },
        },
        bearer(writer),
      );
      expect(recorded.errors).toBeUndefined();
      expect(recorded.data.recordStatement.statement.text).toBe(text);

      // The first `next` event; the statement exists only on the primary.
      const events = stream.body!.pipeThrough(new TextDecoderStream()).getReader();
      let received = '';
      let next: RegExpExecArray | null = null;
      while (!next) {
        const { value, done } = await events.read();
        if (done) throw new Error(`The event stream ended before an event: ${received}`);
        received += value;
        next = /event: next\ndata: (.*)\n\n/.exec(received);
      }
      const payload = JSON.parse(next[1]!);
      expect(payload.errors).toBeUndefined();
      expect(payload.data.claimEvents.statement).toEqual(recorded.data.recordStatement.statement);
    } finally {
      abort.abort();
    }
  });
});

describe('the response cache beside replicas', () => {
  const query = `{ organisations(first: 100) { totalCount } }`;
  const write = (instance: Awaited<ReturnType<typeof serve>>) =>
    instance.graphql(
      `mutation($input: CreateOrganisationInput!) { createOrganisation(input: $input) { __typename } }`,
      { input: { name: `Written at ${performance.now()}`, kind: 'NGO' } },
      bearer(writer),
    );
  const cacheOf = (response: GraphQLResponse) => (response.extensions as { responseCache?: { hit: boolean; didCache?: boolean } }).responseCache;

  it('keeps no answer read right after a write, when a lagging replica may have missed it', async () => {
    const cached = await serve(primary, { responseCache: { ttlMs: 60_000, keyPrefix: 'replica-lag-test', replicaLagMs: 60_000 } });
    try {
      expect(cacheOf(await cached.graphql(query))).toMatchObject({ hit: false, didCache: true }); // no write yet
      expect(cacheOf(await cached.graphql(query))).toMatchObject({ hit: true });
      expect((await write(cached)).data.createOrganisation.__typename).toBe('OrganisationWritePayload');
      expect(cacheOf(await cached.graphql(query))).toMatchObject({ hit: false, didCache: false });
      expect(cacheOf(await cached.graphql(query))).toMatchObject({ hit: false, didCache: false });
    } finally {
      await cached.close();
    }
  });

  it('keeps answers again once the replicas have had time (RESPONSE_CACHE_REPLICA_LAG_MS)', async () => {
    const cached = await serve(primary, { responseCache: { ttlMs: 60_000, keyPrefix: 'replica-lag-test', replicaLagMs: 0 } });
    try {
      await write(cached);
      expect(cacheOf(await cached.graphql(query))).toMatchObject({ hit: false, didCache: true });
      expect(cacheOf(await cached.graphql(query))).toMatchObject({ hit: true });
    } finally {
      await cached.close();
    }
  });
});

describe('readiness', () => {
  it("counts the replicas when every database answers (where they live is no one's business)", async () => {
    const response = await fetch(`${gateway.url}/ready`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ready', database: 'postgres', replicas: 1 });
  });

  it('turns 503 naming the replica that does not answer', async () => {
    const missing = uniqueName('replicas_missing');
    const db = await openDatabase({
      kind: 'postgres',
      url: databaseUrl(serverUrl, primaryName),
      poolSize: 2,
      replicaUrls: [databaseUrl(serverUrl, replicaName), databaseUrl(serverUrl, missing)],
    });
    const degraded = await serve(db);
    try {
      const response = await fetch(`${degraded.url}/ready`);
      expect(response.status).toBe(503);
      const body = (await response.json()) as { status: string; reason: string; unavailable: string[] };
      expect(body.status).toBe('unavailable');
      expect(body.reason).toMatch(/^read replica 2 of 2 does not answer \(.+\)$/);
      expect(body.unavailable).toEqual(['read replica 2 of 2']);
      expect(JSON.stringify(body)).not.toMatch(/127\.0\.0\.1|5432|primary/);
      expect(JSON.stringify(body)).not.toContain(missing);
    } finally {
      await degraded.close();
      await db.close();
    }
  });
});

describe('configuration', () => {
  const replicaUrls = 'postgres://reader@replica-1:5432/claims, postgres://reader@replica-2:5432/claims';

  it('takes a comma-separated list of replicas beside a PostgreSQL primary', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://writer@primary:5432/claims', DATABASE_POOL_SIZE: '8', DATABASE_REPLICA_URLS: replicaUrls });
    expect(config.database).toEqual({
      kind: 'postgres',
      url: 'postgres://writer@primary:5432/claims',
      poolSize: 8,
      replicaUrls: ['postgres://reader@replica-1:5432/claims', 'postgres://reader@replica-2:5432/claims'],
      statementTimeoutMs: 15_000,
      idleInTransactionTimeoutMs: 10_000,
    });
  });

  it.each(['file:./data/pglite', 'memory:'])('refuses replicas beside the embedded database (DATABASE_URL=%s)', (url) => {
    expect(() => loadConfig({ DATABASE_URL: url, DATABASE_REPLICA_URLS: replicaUrls })).toThrow(ConfigError);
    expect(() => loadConfig({ DATABASE_URL: url, DATABASE_REPLICA_URLS: replicaUrls })).toThrow(
      /^Invalid environment variable DATABASE_REPLICA_URLS: read replicas need DATABASE_URL to be a PostgreSQL server/,
    );
  });

  it('refuses a replica that is not a PostgreSQL URL, without echoing its password', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://writer@primary/claims', DATABASE_REPLICA_URLS: 'mysql://reader:secret@replica/claims' })).toThrow(
      'Invalid environment variable DATABASE_REPLICA_URLS: must be a comma-separated list of postgres:// or postgresql:// URLs, got "mysql://…@replica/claims"',
    );
  });
});
