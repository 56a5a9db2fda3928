// The response cache: a repeated read is answered without running it (no SQL), each caller's
// answers are its own, and every kind of write retires every cached answer at once — so the
// next read, even of an answer derived from many rows, is fresh. Kept in memory, or in Redis
// where the instances share the answers and a write through one retires the others'.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApiKey } from '../src/auth/keys.js';
import { ConfigError, loadConfig, type Config } from '../src/config.js';
import type { Database } from '../src/db/database.js';
import { createGateway } from '../src/http/gateway.js';
import { bearer, openTestDatabase, startGateway, type GraphQLResponse } from './support/gateway.js';
import { redisAvailable, redisUrl } from './support/redis.js';
import { DISCREPANCIES, hospitalClaim, RECORD, securityDeaths } from './support/security-deaths.js';

const redisUp = await redisAvailable('the Redis response-cache tests');

type CacheResponse = GraphQLResponse & {
  extensions?: { sqlStatements?: number; responseCache?: { hit: boolean; didCache?: boolean; ttl?: number } };
};

interface Instance {
  url: string;
  /** POSTs an operation; the response with its HTTP status and ETag. */
  post(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<{ status: number; etag: string | null; body: CacheResponse }>;
  graphql(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<CacheResponse>;
  close(): Promise<void>;
}

const unlimited = { ...loadConfig({}).rateLimit, perIp: 1_000_000, perKey: 1_000_000 };

/** The cache in memory, or in Redis under keys of this run's own (parallel runs share the server). */
const inMemory = (ttlMs = 60_000): Partial<Config> => ({ responseCache: { ttlMs, keyPrefix: 'unused', replicaLagMs: 0 } });
const inRedis = (keyPrefix = `test-${randomUUID()}`, url = redisUrl): Partial<Config> => ({
  redisUrl: url,
  rateLimit: unlimited, // the counts are shared in Redis with every other run
  responseCache: { ttlMs: 60_000, keyPrefix, replicaLagMs: 0 },
});

/** A gateway instance over `db`; closing it releases its Redis connections too. */
async function serve(db: Database, overrides: Partial<Config>): Promise<Instance> {
  const yoga = createGateway(db, { ...loadConfig({}), reportSqlStatements: true, ...overrides });
  const server = createServer(yoga);
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const instance: Instance = {
    url,
    async post(query, variables = {}, headers = {}) {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, etag: response.headers.get('etag'), body: response.status === 304 ? {} : ((await response.json()) as CacheResponse) };
    },
    graphql: async (query, variables, headers) => (await instance.post(query, variables, headers)).body,
    async close() {
      server.closeAllConnections();
      await new Promise((closed) => server.close(closed));
      await yoga.dispose();
    },
  };
  return instance;
}

/** Waits until the instance keeps answers, or serves them (its Redis connection is up). */
async function cacheReady(instance: Instance) {
  await vi.waitFor(
    async () => {
      const { responseCache } = (await instance.graphql('{ __typename }')).extensions ?? {};
      expect(responseCache?.didCache || responseCache?.hit).toBe(true);
    },
    { timeout: 10_000 },
  );
}

const highest = (data: any): number => securityDeaths(data).highest;

const REVISE = `mutation($input: ReviseFigureInput!) { reviseFigure(input: $input) {
  __typename ... on RecordPayload { figures { id version } } ... on WriteError { message } } }`;
const RETRACT_FIGURE = `mutation($figure: ID!) { retractFigure(figure: $figure, reason: "Counted twice") { __typename ... on WriteError { message } } }`;
const RETRACT_STATEMENT = `mutation($statement: ID!) { retractStatement(statement: $statement, reason: "Withdrawn") { __typename ... on WriteError { message } } }`;
const ORGANISATION = `query($id: ID!) { node(id: $id) { ... on Organisation { name updatedAt } } }`;
const UPDATE_ORGANISATION = `mutation($input: UpdateOrganisationInput!) { updateOrganisation(input: $input) { __typename ... on WriteError { message } } }`;
const CREATE_ORGANISATION = `mutation($name: String!) { createOrganisation(input: { name: $name, kind: ARMED_GROUP }) {
  __typename ... on OrganisationWritePayload { organisation { id } } ... on WriteError { message } } }`;
const MERGE_ORGANISATIONS = `mutation($keep: ID!, $duplicate: ID!) { mergeOrganisations(keep: $keep, duplicate: $duplicate) { __typename ... on WriteError { message } } }`;
const ORGANISATION_NAMES = `{ organisations(first: 100) { edges { node { name } } } }`;
const names = (data: any): string[] => data.organisations.edges.map((edge: any) => edge.node.name);
const IMPORT = `mutation($records: [String!]!) { importRecords(records: $records, format: NDJSON) { __typename ... on ImportResult { created } } }`;
const API_KEYS = `{ apiKeys { name revokedAt } }`;
const CHANGES = `{ changes(last: 5) { edges { node { operation entityType apiKey { name } } } } }`;

const stores = [{ store: 'in memory', cache: () => inMemory() }, ...(redisUp ? [{ store: 'in Redis', cache: () => inRedis() }] : [])];

describe.each(stores)('answers kept $store', ({ cache }) => {
  let db: Database;
  let drop: () => Promise<void>;
  let instance: Instance;
  let writer: Record<string, string>;
  let admin: Record<string, string>;
  let reader: Record<string, string>;
  let incident: string;
  let source: string;
  let bla: string;

  beforeAll(async () => {
    ({ db, drop } = await openTestDatabase());
    instance = await serve(db, cache());
    writer = bearer((await createApiKey(db.prisma, 'cache writer', ['WRITE'])).secret);
    admin = bearer((await createApiKey(db.prisma, 'cache admin', ['ADMIN'])).secret);
    reader = bearer((await createApiKey(db.prisma, 'cache reader', ['READ'])).secret);
    await cacheReady(instance);
    const ids = await instance.graphql(`{
      ${DISCREPANCIES.slice(1, -1)}
      sources(first: 1) { edges { node { id } } }
      organisations(filter: { name: "BLA" }) { edges { node { id } } } }`);
    incident = securityDeaths(ids.data).incident.id;
    source = ids.data.sources.edges[0].node.id;
    bla = ids.data.organisations.edges[0].node.id;
  });
  afterAll(async () => {
    await instance.close();
    await drop();
  });

  /** Reads until the answer comes from the cache: the state before a write. */
  async function cachedRead(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>) {
    const first = await instance.graphql(query, variables, headers);
    expect(first.errors).toBeUndefined();
    const again = await instance.graphql(query, variables, headers);
    expect(again.extensions?.responseCache).toEqual({ hit: true });
    expect(again.data).toEqual(first.data);
    return again.data;
  }

  /** The first read after a write: it ran again. */
  async function readAfterWrite(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>) {
    const response = await instance.graphql(query, variables, headers);
    expect(response.errors).toBeUndefined();
    expect(response.extensions?.responseCache).toMatchObject({ hit: false, didCache: true });
    return response.data;
  }

  async function write(query: string, variables: Record<string, unknown>, headers = writer) {
    const response = await instance.graphql(query, variables, headers);
    expect(response.errors).toBeUndefined();
    expect(Object.values(response.data)[0]).not.toMatchObject({ message: expect.anything() }); // no WriteError
    return response.data;
  }

  it('answers a repeated read from the cache, running no SQL statement', async () => {
    const query = `{ incidents(first: 50) { edges { node { title statements { edges { node { text figures { quantity { phrase } } } } } } } } }`;
    const first = await instance.graphql(query);
    expect(first.errors).toBeUndefined();
    expect(first.extensions).toMatchObject({ responseCache: { hit: false, didCache: true, ttl: 60_000 }, sqlStatements: expect.any(Number) });
    expect(first.extensions!.sqlStatements).toBeGreaterThan(0);
    const second = await instance.graphql(query);
    expect(second.extensions).toEqual({ responseCache: { hit: true }, sqlStatements: 0 });
    expect(second.data).toEqual(first.data);
  });

  let recorded: { statement: string; figure: string };

  it('recordStatement: a new highest claim shows in the discrepancies at once', async () => {
    expect(highest(await cachedRead(DISCREPANCIES))).toBe(84);
    const { recordStatement } = await write(RECORD, {
      input: hospitalClaim('Hospital officials said 120 soldiers and policemen were killed.', 120, { incident, source }),
    });
    recorded = { statement: recordStatement.statement.id, figure: recordStatement.figures[0].id };
    expect(highest(await readAfterWrite(DISCREPANCIES))).toBe(120);
  });

  it('reviseFigure: the revised figure replaces the old one in the discrepancies', async () => {
    expect(highest(await cachedRead(DISCREPANCIES))).toBe(120);
    const { reviseFigure } = await write(REVISE, {
      input: {
        figure: recorded.figure,
        expectedVersion: 1,
        text: 'Hospital officials later said 150 were killed.',
        quantity: { kind: 'EXACT', low: 150, high: 150, phrase: '150' },
      },
    });
    recorded.figure = reviseFigure.figures[0].id;
    expect(highest(await readAfterWrite(DISCREPANCIES))).toBe(150);
  });

  it('retractFigure and retractStatement: the retracted claim leaves the discrepancies at once', async () => {
    expect(highest(await cachedRead(DISCREPANCIES))).toBe(150);
    await write(RETRACT_FIGURE, { figure: recorded.figure });
    expect(highest(await readAfterWrite(DISCREPANCIES))).toBe(84);

    const statement = `query($id: ID!) { node(id: $id) { ... on Statement { retractedAt } } }`;
    expect((await cachedRead(statement, { id: recorded.statement })).node.retractedAt).toBeNull();
    await write(RETRACT_STATEMENT, { statement: recorded.statement });
    expect((await readAfterWrite(statement, { id: recorded.statement })).node.retractedAt).not.toBeNull();
  });

  it('an entity update: the new name is read at once', async () => {
    const before = (await cachedRead(ORGANISATION, { id: bla })).node;
    expect(before.name).toBe('Baloch Liberation Army');
    await write(UPDATE_ORGANISATION, {
      input: { organisation: bla, expectedUpdatedAt: before.updatedAt, notes: 'Renamed for the cache test', name: 'Baloch Liberation Army (renamed)' },
    });
    expect((await readAfterWrite(ORGANISATION, { id: bla })).node.name).toBe('Baloch Liberation Army (renamed)');
  });

  it('a merge: the duplicate is gone from lists at once', async () => {
    const { createOrganisation } = await write(CREATE_ORGANISATION, { name: 'Cache-test duplicate' });
    expect(names(await cachedRead(ORGANISATION_NAMES))).toContain('Cache-test duplicate');
    await write(MERGE_ORGANISATIONS, { keep: bla, duplicate: createOrganisation.organisation.id }, admin);
    expect(names(await readAfterWrite(ORGANISATION_NAMES))).not.toContain('Cache-test duplicate');
  });

  it('an import: the imported records are read at once', async () => {
    expect(names(await cachedRead(ORGANISATION_NAMES))).not.toContain('Cache-test newsroom');
    const record = { type: 'organisation', externalId: 'cache-test:newsroom', name: 'Cache-test newsroom', kind: 'NEWS_OUTLET' };
    expect((await write(IMPORT, { records: [JSON.stringify(record)] })).importRecords.created).toBe(1);
    expect(names(await readAfterWrite(ORGANISATION_NAMES))).toContain('Cache-test newsroom');
  });

  it("API keys created and revoked: the admin's list shows them at once", async () => {
    expect((await cachedRead(API_KEYS, {}, admin)).apiKeys.map((key: any) => key.name)).not.toContain('cache-test partner');
    const { createApiKey: created } = await write(`mutation { createApiKey(name: "cache-test partner", scopes: [READ]) { apiKey { id } } }`, {}, admin);
    const listed = (await readAfterWrite(API_KEYS, {}, admin)).apiKeys.find((key: any) => key.name === 'cache-test partner');
    expect(listed).toEqual({ name: 'cache-test partner', revokedAt: null });
    await cachedRead(API_KEYS, {}, admin);
    await write(`mutation($id: ID!) { revokeApiKey(id: $id) { id } }`, { id: created.apiKey.id }, admin);
    const revoked = (await readAfterWrite(API_KEYS, {}, admin)).apiKeys.find((key: any) => key.name === 'cache-test partner');
    expect(revoked.revokedAt).not.toBeNull();
  });

  it('registering a persisted operation retires the cached answers too (every mutation does)', async () => {
    await cachedRead(DISCREPANCIES);
    const registered = await instance.graphql(`mutation { registerOperation(name: "cache-test", document: "{ __typename }") { __typename } }`, {}, writer);
    expect(registered.extensions?.responseCache).toEqual({ hit: false, didCache: false });
    await readAfterWrite(DISCREPANCIES);
  });

  it("keeps each caller's answers apart: an admin's cached changes never reach a READ key or an anonymous caller", async () => {
    const { changes } = await cachedRead(CHANGES, {}, admin);
    expect(changes.edges.map((edge: any) => edge.node.apiKey?.name)).toContain('cache admin'); // who made each change: admins only
    for (const [caller, refusal] of [
      [reader, 'FORBIDDEN'],
      [{}, 'UNAUTHENTICATED'],
    ] as const) {
      const response = await instance.graphql(CHANGES, {}, caller);
      expect(response.extensions?.responseCache?.hit).toBe(false);
      expect(response.errors?.[0]?.extensions?.code).toBe(refusal);
      expect(JSON.stringify(response.data)).not.toContain('cache admin');
    }
    // Public answers are kept per caller too: the reader's first read runs even though anonymous' is cached.
    await cachedRead(DISCREPANCIES);
    expect((await instance.graphql(DISCREPANCIES, {}, reader)).extensions?.responseCache).toMatchObject({ hit: false });
  });

  it("refuses an unknown key (401) instead of answering it from anyone's cache", async () => {
    await cachedRead(DISCREPANCIES);
    const response = await instance.post(DISCREPANCIES, {}, bearer('cg_not-a-real-key'));
    expect(response.status).toBe(401);
    expect(response.body.data).toBeUndefined();
  });

  it('answers a conditional request (If-None-Match) with 304 only while its answer is current', async () => {
    await instance.graphql(DISCREPANCIES);
    const { etag } = await instance.post(DISCREPANCIES);
    expect(etag).toBeTruthy();
    expect((await instance.post(DISCREPANCIES, {}, { 'if-none-match': etag! })).status).toBe(304);
    await write(CREATE_ORGANISATION, { name: 'Cache-test ETag' });
    const after = await instance.post(DISCREPANCIES, {}, { 'if-none-match': etag! });
    expect(after.status).toBe(200);
    expect(after.body.extensions?.responseCache).toMatchObject({ hit: false });
  });
});

describe('configuration', () => {
  it('is off unless RESPONSE_CACHE_TTL_MS is set: every read runs', async () => {
    expect(loadConfig({}).responseCache.ttlMs).toBe(0);
    const gateway = await startGateway();
    try {
      for (let n = 0; n < 2; n++) {
        const response = await gateway.graphql(DISCREPANCIES);
        expect(response.extensions?.sqlStatements).toBeGreaterThan(0);
        expect(response.extensions).not.toHaveProperty('responseCache');
      }
    } finally {
      await gateway.close();
    }
  });

  it('reads RESPONSE_CACHE_TTL_MS, RESPONSE_CACHE_KEY_PREFIX and RESPONSE_CACHE_REPLICA_LAG_MS, refusing bad values', () => {
    expect(loadConfig({ RESPONSE_CACHE_TTL_MS: '30000', RESPONSE_CACHE_KEY_PREFIX: 'staging:claims' }).responseCache).toEqual({
      ttlMs: 30_000,
      keyPrefix: 'staging:claims',
      replicaLagMs: 2_000,
    });
    expect(loadConfig({ RESPONSE_CACHE_REPLICA_LAG_MS: '500' }).responseCache.replicaLagMs).toBe(500);
    expect(() => loadConfig({ RESPONSE_CACHE_TTL_MS: '-1' })).toThrow(ConfigError);
    expect(() => loadConfig({ RESPONSE_CACHE_REPLICA_LAG_MS: 'soon' })).toThrow(/RESPONSE_CACHE_REPLICA_LAG_MS/);
    expect(() => loadConfig({ RESPONSE_CACHE_KEY_PREFIX: 'has spaces' })).toThrow(/RESPONSE_CACHE_KEY_PREFIX/);
  });

  it('keeps an answer no longer than the TTL: a write that bypassed the gateway shows once it expires', async () => {
    const { db, drop } = await openTestDatabase();
    const instance = await serve(db, inMemory(2000));
    try {
      const before = await instance.graphql(ORGANISATION_NAMES);
      await db.prisma.organisation.create({ data: { name: 'Written straight into the database', kind: 'OTHER' } });
      // Until it expires the cached answer is served: only writes through a gateway retire answers.
      const cached = await instance.graphql(ORGANISATION_NAMES);
      expect(cached.extensions?.responseCache).toEqual({ hit: true });
      expect(cached.data).toEqual(before.data);
      await expect
        .poll(async () => names((await instance.graphql(ORGANISATION_NAMES)).data), { timeout: 10_000 })
        .toContain('Written straight into the database');
    } finally {
      await instance.close();
      await drop();
    }
  });
});

describe.skipIf(!redisUp)(`answers shared through Redis (${redisUrl})`, () => {
  let db: Database;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    ({ db, drop } = await openTestDatabase());
  });
  afterAll(() => drop());

  it("two instances share answers, and a write through one retires the other's at once", async () => {
    const prefix = `test-${randomUUID()}`;
    const [a, b, elsewhere] = await Promise.all([serve(db, inRedis(prefix)), serve(db, inRedis(prefix)), serve(db, inRedis())]);
    const writer = bearer((await createApiKey(db.prisma, 'shared-cache writer', ['WRITE'])).secret);
    try {
      await Promise.all([a, b, elsewhere].map(cacheReady));
      const onA = await a.graphql(ORGANISATION_NAMES);
      expect(onA.extensions?.responseCache).toMatchObject({ hit: false, didCache: true });
      const onB = await b.graphql(ORGANISATION_NAMES);
      expect(onB.extensions).toEqual({ responseCache: { hit: true }, sqlStatements: 0 });
      expect(onB.data).toEqual(onA.data);
      // Another deployment's prefix shares nothing.
      expect((await elsewhere.graphql(ORGANISATION_NAMES)).extensions?.responseCache).toMatchObject({ hit: false });

      const created = await b.graphql(CREATE_ORGANISATION, { name: 'Written through B' }, writer);
      expect(created.data.createOrganisation.__typename).toBe('OrganisationWritePayload');
      const afterOnA = await a.graphql(ORGANISATION_NAMES);
      expect(afterOnA.extensions?.responseCache).toMatchObject({ hit: false });
      expect(names(afterOnA.data)).toContain('Written through B');
    } finally {
      await Promise.all([a.close(), b.close(), elsewhere.close()]);
    }
  });

  it('keeps answering from the database when Redis is unreachable, writes included', async () => {
    const instance = await serve(db, inRedis(`test-${randomUUID()}`, 'redis://127.0.0.1:1'));
    const writer = bearer((await createApiKey(db.prisma, 'no-redis writer', ['WRITE'])).secret);
    try {
      for (let n = 0; n < 2; n++) {
        const response = await instance.graphql(ORGANISATION_NAMES);
        expect(response.errors).toBeUndefined();
        expect(response.extensions).toMatchObject({ responseCache: { hit: false, didCache: false } });
        expect(response.extensions!.sqlStatements).toBeGreaterThan(0);
      }
      const created = await instance.graphql(CREATE_ORGANISATION, { name: 'Written while Redis is down' }, writer);
      expect(created.data.createOrganisation.__typename).toBe('OrganisationWritePayload');
      expect(names((await instance.graphql(ORGANISATION_NAMES)).data)).toContain('Written while Redis is down');
    } finally {
      await instance.close();
    }
  });
});
