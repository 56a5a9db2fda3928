// Floods: a request that asks for a lot is refused before it costs a lot. `nodes(ids:)` has a
// maximum, every list argument has one, list items count in the cost limit, a batch of N
// operations counts N against the rate limit, and a key's name has a maximum. (How long
// `/health` waits during the 45,000-ID flood is measured by scripts/flood-probe.ts, not here.)
import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../src/auth/keys.js';
import { loadConfig } from '../src/config.js';
import { bearer, databaseFingerprint, startGateway, type TestGateway } from './support/gateway.js';

const defaults = loadConfig({});
const NODES = 'query($ids: [ID!]!) { nodes(ids: $ids) { id } }';
const placeIds = (n: number) => Array.from({ length: n }, (_, i) => encodeGlobalID('Place', i + 1));

describe('floods', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startGateway({ limits: { ...defaults.limits, maxCost: 500 } });
  });
  afterAll(() => gateway?.close());

  it('nodes(ids:) takes at most 100 IDs; 45,000 are refused before any is read', async () => {
    const hundred = await gateway.graphql(NODES, { ids: placeIds(100) });
    expect(hundred.errors).toBeUndefined();
    expect(hundred.data.nodes).toHaveLength(100);

    for (const n of [101, 45_000]) {
      const flood = await gateway.graphql(NODES, { ids: placeIds(n) });
      expect(flood.data ?? null).toBeNull();
      expect(flood.errors).toEqual([
        expect.objectContaining({
          message: `Argument ids: at most 100 items, got ${n}: split the request into several`,
          extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', argument: 'ids', limit: 100 }),
        }),
      ]);
      expect(flood.extensions?.sqlStatements).toBeUndefined(); // refused before execution
    }
  });

  it('every list argument has a maximum, at any depth, written or in variables', async () => {
    const metrics = (n: number) => Array(n).fill('KILLED');
    const query = 'query($m: [FigureMetric!]) { figures(filter: { metrics: $m }, first: 1) { totalCount } }';
    const flood = await gateway.graphql(query, { m: metrics(1001) });
    expect(flood.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/^Argument filter\.metrics: at most 1000 items, got 1001/),
      extensions: { code: 'BAD_USER_INPUT', argument: 'filter.metrics' },
    });
    const literal = await gateway.graphql(`{ figures(filter: { metrics: [${metrics(1001).join(' ')}] }, first: 1) { totalCount } }`);
    expect(literal.errors?.[0]?.extensions?.argument).toBe('filter.metrics');
  });

  it('counts the items of list arguments in the cost limit', async () => {
    // 100 IDs in the argument and 100 objects returned: 200 of the 500 allowed, twice is 400, three times 600.
    const query = (n: number) => `{ a: nodes(ids: ${JSON.stringify(placeIds(n))}) { id } b: nodes(ids: ${JSON.stringify(placeIds(n))}) { id } }`;
    expect((await gateway.graphql(query(100))).errors).toBeUndefined();
    const heavy = await gateway.graphql(`query($ids: [ID!]!) { a: nodes(ids: $ids) { id } b: nodes(ids: $ids) { id } c: nodes(ids: $ids) { id } }`, {
      ids: placeIds(100),
    });
    expect(heavy.errors?.[0]).toMatchObject({ extensions: { code: 'QUERY_TOO_COSTLY', cost: 600, limit: 500 } });
    // Items of a filter's lists count as well: 499 in the list, 1 for the connection's query, 1 for totalCount.
    const filter = (n: number) =>
      gateway.graphql('query($m: [FigureMetric!]) { figures(filter: { metrics: $m }, first: 1) { totalCount } }', { m: Array(n).fill('KILLED') });
    expect((await filter(498)).errors).toBeUndefined();
    expect((await filter(499)).errors?.[0]).toMatchObject({ extensions: { code: 'QUERY_TOO_COSTLY', cost: 501 } });
  });

  it("a key's name has a maximum (200 characters); a 500 kB name is refused and nothing is written", async () => {
    const { secret } = await createApiKey(gateway.db.prisma, 'key admin', ['ADMIN']);
    const create = 'mutation($name: String!) { createApiKey(name: $name, scopes: [READ]) { apiKey { name } } }';
    const before = await gateway.db.prisma.apiKey.count();
    for (const name of ['x'.repeat(500_000), 'x'.repeat(201), '   ']) {
      const refused = await gateway.graphql(create, { name }, bearer(secret));
      expect(refused.errors?.[0]).toMatchObject({
        message: expect.stringMatching(/^Argument name: must (be at most 200 characters|not be empty)$/),
        extensions: { code: 'BAD_USER_INPUT', argument: 'name' },
      });
    }
    expect(await gateway.db.prisma.apiKey.count()).toBe(before);
    const fine = await gateway.graphql(create, { name: 'y'.repeat(200) }, bearer(secret));
    expect(fine.data.createApiKey.apiKey.name).toHaveLength(200);
  });

  it('answers /health while three 45,000-ID floods are in flight', async () => {
    const floods = Array.from({ length: 3 }, () => gateway.graphql(NODES, { ids: placeIds(45_000) }));
    const health = [];
    for (let n = 0; n < 5; n++) health.push((await fetch(`${gateway.url}/health`)).status);
    expect(health).toEqual([200, 200, 200, 200, 200]);
    for (const flood of await Promise.all(floods)) expect(flood.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('batches', () => {
  it('count once per operation against the rate limit', async () => {
    const gateway = await startGateway({ rateLimit: { ...defaults.rateLimit, perIp: 5, perKey: 1000 } });
    const post = (body: unknown) =>
      fetch(`${gateway.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const op = { query: '{ __typename }' };
    try {
      const four = await post([op, op, op, op]);
      expect(four.status).toBe(200);
      expect(await four.json()).toHaveLength(4);
      expect((await post(op)).status).toBe(200); // the fifth request of the window
      const over = await post([op, op]);
      expect(over.status).toBe(429);
      expect((await over.json()).errors[0]).toMatchObject({ extensions: { code: 'RATE_LIMITED', limit: 'per client address' } });
      expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await gateway.close();
    }
  });

  it('a batch over what is left is refused whole, and nothing in it runs', async () => {
    const gateway = await startGateway({ rateLimit: { ...defaults.rateLimit, perIp: 3, perKey: 1000 } });
    try {
      const { secret } = await createApiKey(gateway.db.prisma, 'batch writer', ['ADMIN']);
      const before = await databaseFingerprint(gateway.db);
      const create = { query: 'mutation { createOrganisation(input: { name: "Batch flood", kind: ARMED_GROUP }) { __typename } }' };
      const response = await fetch(`${gateway.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...bearer(secret) },
        body: JSON.stringify(Array(4).fill(create)),
      });
      expect(response.status).toBe(429);
      expect(await databaseFingerprint(gateway.db)).toBe(before);
    } finally {
      await gateway.close();
    }
  });
});
