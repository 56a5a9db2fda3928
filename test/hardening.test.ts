// Abuse limits, rate limits, persisted operations and HTTP hygiene, over HTTP against a running
// gateway: each limit refuses clearly, and the GraphQL-over-HTTP audits of graphql-http pass.
// Each refusal's code and status: test/refusals.test.ts; the cost limit: test/query-cost.test.ts.
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serverAudits } from 'graphql-http';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../src/auth/keys.js';
import { loadConfig, type Config } from '../src/config.js';
import { createGateway } from '../src/http/gateway.js';
import { createLogger } from '../src/http/hardening.js';
import { bearer, openTestDatabase, startGateway, type TestGateway } from './support/gateway.js';

const defaults = loadConfig({});
const limits = (overrides: Partial<Config['limits']>) => ({ ...defaults.limits, ...overrides });
const rateLimit = (overrides: Partial<Config['rateLimit']>) => ({ ...defaults.rateLimit, ...overrides });

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

/** A gateway built here (not by startGateway) when the test needs its logs or two instances on one database. */
async function listen(handler: ReturnType<typeof createGateway>): Promise<{ url: string; server: Server }> {
  const server = createServer(handler);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}
async function stop(server: Server, handler: ReturnType<typeof createGateway>) {
  server.closeAllConnections();
  await new Promise((done) => server.close(done));
  await handler.dispose();
}

describe('query limits', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startGateway({
      limits: limits({ maxBodyBytes: 8192 }),
    });
  });
  afterAll(() => gateway.close());

  it('refuses a body larger than MAX_BODY_BYTES with 413 before parsing, with or without Content-Length', async () => {
    const big = JSON.stringify({ query: `{ __typename }`, variables: { pad: 'x'.repeat(9000) } });
    const declared = await post(gateway.url, big);
    expect(declared.status).toBe(413);
    expect(JSON.stringify(await declared.json())).toMatch(/larger than 8192 bytes/);
    // Chunked: no Content-Length, the stream is cut off at the limit.
    const chunks = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 10; i++) controller.enqueue(new TextEncoder().encode(i === 0 ? big.slice(0, 1000) : big.slice(1000 * i, 1000 * (i + 1))));
        controller.close();
      },
    });
    const streamed = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: chunks,
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
  });
  it('hides introspection when INTROSPECTION=false', async () => {
    const closed = await startGateway({ introspection: false });
    try {
      const response = await closed.graphql('{ __schema { queryType { name } } }');
      expect(response.errors?.[0]?.message).toMatch(/introspection/i);
    } finally {
      await closed.close();
    }
  });
});

describe('time limit', () => {
  it('stops a query that takes longer than REQUEST_TIMEOUT_MS, with a clear error: 504, no data (200 for plain JSON clients)', async () => {
    const logged: string[] = [];
    const logger = createLogger({ logLevel: 'warn' }, { write: (line: string) => logged.push(line) });
    const gateway = await startGateway({ limits: limits({ requestTimeoutMs: 1 }) }, { logger });
    try {
      const query = '{ statements(first: 100) { edges { node { text figures { quantity { phrase } } sourceChain { source { description } } } } } }';
      const stopped = await post(gateway.url, { query });
      expect(stopped.status).toBe(504);
      const response = await stopped.json();
      expect(response.data).toBeUndefined();
      expect(response.errors?.[0]?.message).toMatch(/took longer than 1 ms \(REQUEST_TIMEOUT_MS\)/);
      expect(response.errors?.[0]?.extensions?.code).toBe('TIMEOUT');
      expect((await post(gateway.url, { query }, { accept: 'application/json' })).status).toBe(200);
      // Out of time is final: the compiled read is not run again field by field.
      expect(logged.filter((line) => line.includes('field by field'))).toEqual([]);
    } finally {
      await gateway.close();
    }
  });
});

describe('rate limits', () => {
  it('refuses the request over the limit per API key with 429 and Retry-After', async () => {
    const gateway = await startGateway({ rateLimit: rateLimit({ perKey: 3, perIp: 1000, windowSeconds: 60 }) });
    try {
      const { secret } = await createApiKey(gateway.db.prisma, 'rate test', ['READ']);
      for (let i = 0; i < 3; i++) expect((await post(gateway.url, { query: '{ __typename }' }, bearer(secret))).status).toBe(200);
      const refused = await post(gateway.url, { query: '{ __typename }' }, bearer(secret));
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      const body = await refused.json();
      expect(body.errors[0].message).toMatch(/at most 3 requests per 60 s per API key/);
      expect(body.errors[0].extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'per API key' });
      // Another key (and anonymous requests) are counted apart.
      const other = await createApiKey(gateway.db.prisma, 'other', ['READ']);
      expect((await post(gateway.url, { query: '{ __typename }' }, bearer(other.secret))).status).toBe(200);
      expect((await post(gateway.url, { query: '{ __typename }' })).status).toBe(200);
    } finally {
      await gateway.close();
    }
  });

  it('refuses the request over the limit per client address', async () => {
    const gateway = await startGateway({ rateLimit: rateLimit({ perKey: 1000, perIp: 2, windowSeconds: 30 }) });
    try {
      for (let i = 0; i < 2; i++) expect((await post(gateway.url, { query: '{ __typename }' })).status).toBe(200);
      const refused = await post(gateway.url, { query: '{ __typename }' });
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(30);
      expect((await refused.json()).errors[0].message).toMatch(/at most 2 requests per 30 s per client address/);
      // Health checks are never limited.
      expect((await fetch(`${gateway.url}/health`)).status).toBe(200);
    } finally {
      await gateway.close();
    }
  });

  it('shares the counts between two gateways through Redis', async () => {
    const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
    const probe = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    const up = await probe
      .connect()
      .then(
        () => probe.ping(),
        () => null,
      )
      .catch(() => null);
    if (!up) {
      if (process.env.CI === 'true') throw new Error(`Redis is not reachable at ${redisUrl}: the shared rate-limit test must run in CI`);
      console.warn(`Redis is not reachable at ${redisUrl}: skipping the shared rate-limit test`);
      probe.disconnect();
      return;
    }
    const { db, drop } = await openTestDatabase();
    const config: Config = { ...defaults, redisUrl, rateLimit: rateLimit({ perKey: 4, perIp: 10_000, windowSeconds: 60 }) };
    const a = createGateway(db, config);
    const b = createGateway(db, config);
    const [ha, hb] = [await listen(a), await listen(b)];
    try {
      // Until its Redis connection is up, an instance counts in memory: wait for both.
      const rateLimitConnections = async () =>
        ((await probe.client('LIST')) as string).split('\n').filter((l) => l.includes('name=claims-gateway-rate-limit')).length;
      for (let i = 0; i < 50 && (await rateLimitConnections()) < 2; i++) await new Promise((r) => setTimeout(r, 100));
      const { secret } = await createApiKey(db.prisma, 'shared', ['READ']); // a new secret: counts start at 0
      const statuses = [];
      for (const url of [ha.url, hb.url, ha.url, hb.url, ha.url]) statuses.push((await post(url, { query: '{ __typename }' }, bearer(secret))).status);
      expect(statuses).toEqual([200, 200, 200, 200, 429]);
      expect((await post(hb.url, { query: '{ __typename }' }, bearer(secret))).status).toBe(429);
    } finally {
      await stop(ha.server, a);
      await stop(hb.server, b);
      probe.disconnect();
      await db.close();
      await drop();
    }
  });
});

describe('persisted operations', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startGateway({ persistedOnly: true });
  });
  afterAll(() => gateway.close());

  const document = '{ incidents(first: 2) { totalCount edges { node { title } } } }';

  it('runs only registered operations; partners register with a WRITE key', async () => {
    const anonymous = await gateway.graphql(document);
    expect(anonymous.errors?.[0]?.message).toMatch(/runs only registered operations \(PERSISTED_ONLY\)/);

    const { secret } = await createApiKey(gateway.db.prisma, 'partner', ['WRITE']);
    // A WRITE key may still send other documents? No: only registerOperation.
    const arbitrary = await gateway.graphql(document, {}, bearer(secret));
    expect(arbitrary.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_ONLY');

    const invalid = await gateway.graphql(
      `mutation($d: String!) { registerOperation(document: $d, name: "bad") { __typename ... on InvalidInput { issues { field rule } } } }`,
      { d: '{ noSuchField }' },
      bearer(secret),
    );
    expect(invalid.data.registerOperation.issues[0]).toMatchObject({ field: 'document', rule: expect.stringMatching(/noSuchField/) });

    const registered = await gateway.graphql(
      `mutation($d: String!) { registerOperation(document: $d, name: "dashboard: incidents") { __typename ... on RegisterOperationPayload { hash alreadyRegistered } } }`,
      { d: document },
      bearer(secret),
    );
    const hash = createHash('sha256').update(document).digest('hex');
    expect(registered.data.registerOperation).toEqual({ __typename: 'RegisterOperationPayload', hash, alreadyRegistered: false });
    const row = await gateway.db.prisma.persistedOperation.findUniqueOrThrow({ where: { hash } });
    expect(row.registeredById).not.toBeNull();

    // Anyone may run it by hash.
    const byHash = await post(gateway.url, { extensions: { persistedQuery: { version: 1, sha256Hash: hash } } });
    const body = await byHash.json();
    expect(body.errors).toBeUndefined();
    expect(body.data.incidents.edges).toHaveLength(2);

    const unknown = await post(gateway.url, { extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } } });
    expect(JSON.stringify(await unknown.json())).toMatch(/No operation is registered with this hash/);

    // A persisted document's id (Relay, urql) runs the same registered operation.
    const byId = await post(gateway.url, { documentId: `sha256:${hash}` });
    expect((await byId.json()).data.incidents.edges).toHaveLength(2);
  });

  it('stores nothing a client sends with its hash (automatic persisted queries are off)', async () => {
    const other = '{ incidents(first: 1) { totalCount } }';
    const sha256Hash = createHash('sha256').update(other).digest('hex');
    const apq = { extensions: { persistedQuery: { version: 1, sha256Hash } } };
    const withQuery = await (await post(gateway.url, { query: other, ...apq })).json();
    expect(withQuery.errors[0].extensions.code).toBe('PERSISTED_QUERY_ONLY');
    const { secret } = await createApiKey(gateway.db.prisma, 'admin sending a hash', ['ADMIN']);
    // An ADMIN key's document runs, with its hash checked, but is not kept either.
    const admin = await (await post(gateway.url, { query: other, ...apq }, bearer(secret))).json();
    expect(admin.errors).toBeUndefined();
    const hashOnly = await (await post(gateway.url, apq)).json();
    expect(hashOnly.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it('lets ADMIN keys send any document', async () => {
    const { secret } = await createApiKey(gateway.db.prisma, 'admin', ['ADMIN']);
    const response = await gateway.graphql(document, {}, bearer(secret));
    expect(response.errors).toBeUndefined();
  });
});

describe('HTTP', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startGateway({ corsOrigins: ['https://partner.example'] });
  });
  afterAll(() => gateway.close());

  it('runs a GET query with no special header, never a mutation over GET, and refuses a POST a page could send cross-site without a preflight', async () => {
    const get = await fetch(`${gateway.url}/graphql?query=${encodeURIComponent('{ __typename }')}`, { headers: { accept: 'application/json' } });
    expect(get.status).toBe(200);
    expect(await get.json()).toEqual({ data: { __typename: 'Query' }, extensions: expect.anything() });
    const mutation = 'mutation { registerOperation(document: "{ __typename }") { hash } }';
    const getMutation = await fetch(`${gateway.url}/graphql?query=${encodeURIComponent(mutation)}`, { headers: { accept: 'application/json' } });
    expect(getMutation.status).toBe(405);
    const body = JSON.stringify({ query: '{ __typename }' });
    for (const contentType of ['text/plain', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', null]) {
      const refused = await fetch(`${gateway.url}/graphql`, {
        method: 'POST',
        headers: { accept: 'application/graphql-response+json', ...(contentType ? { 'content-type': contentType } : {}) },
        body: contentType?.startsWith('application/x-www') ? new URLSearchParams({ query: '{ __typename }' }).toString() : body,
      });
      expect(refused.status, String(contentType)).toBe(415);
      const { errors } = await refused.json();
      expect(errors[0].extensions.code).toBe('POST_REQUIRES_JSON');
      expect(errors[0].message).toMatch(/content-type: application\/json/);
    }
    for (const contentType of ['application/json', 'application/json; charset=utf-8', 'application/graphql+json']) {
      const json = await fetch(`${gateway.url}/graphql`, { method: 'POST', headers: { 'content-type': contentType }, body });
      expect(json.status, contentType).toBe(200);
    }
  });

  it('answers CORS for the listed origins only', async () => {
    const preflightTo = (url: string, origin = 'https://partner.example') =>
      fetch(`${url}/graphql`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization' },
      });
    const preflight = (origin: string) => preflightTo(gateway.url, origin);
    const allowed = await preflight('https://partner.example');
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://partner.example');
    expect(allowed.headers.get('access-control-allow-headers')).toMatch(/apollographql-client-name, apollographql-client-version/);
    expect(allowed.headers.get('vary')).toMatch(/\bOrigin\b/);
    const denied = await preflight('https://evil.example');
    expect(denied.headers.get('access-control-allow-origin')).not.toBe('https://evil.example');
    const actual = await post(gateway.url, { query: '{ __typename }' }, { origin: 'https://evil.example' });
    expect(actual.headers.get('access-control-allow-origin')).not.toBe('https://evil.example');
    // The answer depends on the origin, so a shared cache keys it by origin, asked with one or not.
    expect(actual.headers.get('vary')).toMatch(/\bOrigin\b/);
    expect((await post(gateway.url, { query: '{ __typename }' })).headers.get('vary')).toMatch(/\bOrigin\b/);

    const sameOrigin = await startGateway(); // default: no CORS headers at all
    try {
      const response = await post(sameOrigin.url, { query: '{ __typename }' }, { origin: 'https://partner.example' });
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      const refusedPreflight = await preflightTo(sameOrigin.url);
      expect(refusedPreflight.headers.get('access-control-allow-origin')).toBeNull();
      expect(await refusedPreflight.text()).not.toMatch(/CSRF/i);
    } finally {
      await sameOrigin.close();
    }
  });

  it("sends security headers and a request id on every response; GraphiQL's inline scripts are allowed by hash", async () => {
    const api = await post(gateway.url, { query: '{ __typename }' });
    expect(api.headers.get('x-content-type-options')).toBe('nosniff');
    expect(api.headers.get('x-frame-options')).toBe('DENY');
    expect(api.headers.get('referrer-policy')).toBe('no-referrer');
    expect(api.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    expect(api.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);

    const page = await fetch(`${gateway.url}/graphql`, { headers: { accept: 'text/html' } });
    const html = await page.text();
    const csp = page.headers.get('content-security-policy')!;
    const inline = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map(([, s]) => createHash('sha256').update(s!).digest('base64'));
    expect(inline.length).toBe(2);
    for (const hash of inline) expect(csp).toContain(`'sha256-${hash}'`);
    const scriptSrc = /script-src [^;]*/.exec(csp)![0];
    expect(scriptSrc).toMatch(/^script-src 'self' 'sha256-/);
    expect(scriptSrc).not.toContain('unsafe-inline');
    expect(page.headers.get('x-request-id')).toBeTruthy();
  });

  it('passes every GraphQL-over-HTTP audit of graphql-http', async () => {
    // The audits' requests as they send them: no extra header.
    const failures: string[] = [];
    for (const audit of serverAudits({ url: `${gateway.url}/graphql` })) {
      const result = await audit.fn();
      if (result.status !== 'ok') failures.push(`${audit.id} ${audit.name}: ${result.status} ${result.reason}`);
    }
    expect(failures).toEqual([]);
  });
});

describe('errors in production', () => {
  it('masks an unexpected error with a request id that finds the original error in the logs', async () => {
    const lines: any[] = [];
    const logger = createLogger({ logLevel: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    const { db, drop } = await openTestDatabase();
    const handler = createGateway(db, { ...defaults, production: true, reportSqlStatements: false }, { logger });
    const { url, server } = await listen(handler);
    try {
      // Something the gateway does not expect: a table gone from under it.
      await db.prisma.$executeRawUnsafe('ALTER TABLE "Organisation" RENAME TO "OrganisationGone"');
      const { secret } = await createApiKey(db.prisma, 'never logged', ['READ']);
      const response = await post(url, { query: '{ organisations(first: 1) { edges { node { name } } } }' }, bearer(secret));
      const requestId = response.headers.get('x-request-id')!;
      const body = await response.json();
      expect(body.errors[0].message).toBe(`Unexpected error. Quote request id ${requestId} to the operator.`);
      expect(body.errors[0].extensions).toMatchObject({ code: 'INTERNAL_SERVER_ERROR', requestId });
      expect(JSON.stringify(body)).not.toMatch(/OrganisationGone|Organisation" does not exist|stack/);
      const logged = lines.find((line) => line.requestId === requestId && line.msg === 'unexpected error');
      expect(logged).toBeDefined();
      expect(logged.level).toBe(50);
      expect(JSON.stringify(logged.err)).toMatch(/Organisation/);
      expect(JSON.stringify(lines)).not.toContain(secret);
    } finally {
      await stop(server, handler);
      await db.close();
      await drop();
    }
  });
});
