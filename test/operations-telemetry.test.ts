// What an operator sees: /metrics after some traffic, one access-log line per request, request
// ids kept from the caller, and a caller's trace continued in the spans sent to a collector.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../src/auth/keys.js';
import { loadConfig, type Config } from '../src/config.js';
import type { Database } from '../src/db/database.js';
import { createGateway } from '../src/http/gateway.js';
import { createLogger } from '../src/http/hardening.js';
import { bearer, openTestDatabase } from './support/gateway.js';

const METRICS_TOKEN = 'metrics-scraper-token-0123456789';

const listen = async (server: Server) => {
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

let db: Database;
let drop: () => Promise<void>;
let gateway: Server;
let url: string;
let config: Config;
/** Every line the gateway logged, parsed. */
const lines: any[] = [];
/** The bodies the gateway exported to the stand-in OTLP collector, with their content type. */
const exports: { contentType: string | undefined; body: any }[] = [];
let collector: Server;

beforeAll(async () => {
  collector = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      if (request.method === 'POST' && request.url === '/v1/traces') exports.push({ contentType: request.headers['content-type'], body: JSON.parse(body) });
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  const collectorUrl = await listen(collector);
  ({ db, drop } = await openTestDatabase());
  // The collector's address as an operator gives it: the base endpoint, `/v1/traces` appended.
  config = { ...loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: collectorUrl, METRICS_TOKEN }), reportSqlStatements: true };
  const logger = createLogger({ logLevel: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  gateway = createServer(createGateway(db, config, { logger }));
  url = await listen(gateway);
});

afterAll(async () => {
  gateway?.closeAllConnections();
  await new Promise((closed) => gateway?.close(closed));
  collector?.closeAllConnections();
  await new Promise((closed) => collector?.close(closed));
  await db?.close();
  await drop?.();
});

const post = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    body: JSON.stringify(body),
  });

/** The value of one series in Prometheus' text format, or undefined when it is absent. */
function series(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map(([, key, value]) => [key, value]));
    if (Object.entries(labels).every(([key, value]) => present[key] === value)) return Number(match[3]);
  }
  return undefined;
}

const metrics = async (headers: Record<string, string> = bearer(METRICS_TOKEN)) => fetch(`${url}/metrics`, { headers });

describe('/metrics', () => {
  it('counts operations, their duration and their errors by operation name and code, every HTTP request by route and status, and the database', async () => {
    const before = await (await metrics()).text();
    const count = (text: string, name: string, labels: Record<string, string>) => series(text, name, labels) ?? 0;
    const query = 'query IncidentsForMetrics { incidents(first: 2) { edges { node { id } } } }';
    for (let i = 0; i < 3; i++) expect((await post({ query })).status).toBe(200);
    expect((await post({ query: 'query Misspelt { incidentz { id } }' })).status).toBe(400);
    expect((await post({ query: '{ __typename }' }, bearer('cg_not-a-key'))).status).toBe(401);
    expect((await fetch(`${url}/export/figures.csv`, { headers: bearer('cg_not-a-key') })).status).toBe(401);

    const response = await metrics();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    const delta = (name: string, labels: Record<string, string>) => count(text, name, labels) - count(before, name, labels);
    const operation = { operationName: 'IncidentsForMetrics', operationType: 'query' };
    expect(delta('graphql_envelop_request', operation)).toBe(3);
    expect(delta('graphql_envelop_request_duration_count', operation)).toBe(3);
    expect(delta('graphql_yoga_http_duration_count', { ...operation, statusCode: '200' })).toBe(3);
    expect(delta('graphql_envelop_error_result', { operationName: 'Misspelt', phase: 'validate', code: 'GRAPHQL_VALIDATION_FAILED' })).toBe(1);
    expect(delta('graphql_envelop_error_result', { phase: 'context', code: 'UNAUTHENTICATED' })).toBe(1);
    expect(delta('gateway_http_requests_total', { method: 'POST', route: '/graphql', status: '200' })).toBe(3);
    expect(delta('gateway_http_requests_total', { method: 'POST', route: '/graphql', status: '401' })).toBe(1);
    expect(delta('gateway_http_requests_total', { method: 'GET', route: '/export', status: '401' })).toBe(1);
    // No label per URL: a GET query's text would make a series of each query string.
    expect(text).not.toMatch(/url="/);
    if (db.pglite) {
      expect(series(text, 'gateway_embedded_database_calls_in_flight')).toBe(0);
      expect(text).not.toMatch(/gateway_database_pool_connections/);
    } else {
      expect(series(text, 'gateway_database_pool_connections', { pool: 'primary' })).toBeGreaterThanOrEqual(1);
      expect(series(text, 'gateway_database_pool_idle_connections', { pool: 'primary' })).toBeGreaterThanOrEqual(0);
      expect(series(text, 'gateway_database_pool_waiting_requests', { pool: 'primary' })).toBe(0);
    }
    expect(series(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('is read with METRICS_TOKEN, an ADMIN key or the local command line, and refused to anyone else', async () => {
    const reader = await createApiKey(db.prisma, 'Newsroom dashboard', ['READ']);
    const admin = await createApiKey(db.prisma, 'Operator', ['ADMIN']);
    const anonymous = await metrics({});
    expect(anonymous.status).toBe(401);
    expect((await anonymous.json()).errors[0]).toMatchObject({ message: expect.stringContaining('METRICS_TOKEN'), extensions: { code: 'UNAUTHENTICATED' } });
    expect((await metrics(bearer('metrics-scraper-token-wrong'))).status).toBe(401);
    const forbidden = await metrics(bearer(reader.secret));
    expect(forbidden.status).toBe(403);
    expect((await forbidden.json()).errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await metrics(bearer(admin.secret))).status).toBe(200);
    expect((await metrics()).status).toBe(200);
  });

  it('keeps one registry per gateway: a second gateway in the process counts only its own requests', async () => {
    const second = createGateway(db, config, { logger: createLogger({ logLevel: 'silent' }) });
    const answer = await second.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'query OnlyOnTheSecond { __typename }' }),
    });
    expect(answer.status).toBe(200);
    const text = await (await second.fetch('http://localhost/metrics', { headers: bearer(METRICS_TOKEN) })).text();
    expect(series(text, 'graphql_envelop_request', { operationName: 'OnlyOnTheSecond' })).toBe(1);
    expect(series(text, 'graphql_envelop_request', { operationName: 'IncidentsForMetrics' })).toBeUndefined();
    expect(series(await (await metrics()).text(), 'graphql_envelop_request', { operationName: 'OnlyOnTheSecond' })).toBeUndefined();
    await second.dispose();
  });
});

describe('the access log', () => {
  it('writes one JSON line per request at info: operation, key id (never the secret), status, duration, SQL statements, request id; writes and 401s included', async () => {
    const writer = await createApiKey(db.prisma, 'Partner desk', ['WRITE']);
    const from = lines.length;
    const write = await post(
      {
        query: 'mutation RegisterDashboard($d: String!) { registerOperation(document: $d, name: "dashboard") { __typename } }',
        variables: { d: '{ incidents(first: 1) { edges { node { id } } } }' },
      },
      bearer(writer.secret),
    );
    expect(write.status).toBe(200);
    const refused = await post({ query: 'query Refused { __typename }' }, bearer('cg_wrong-secret'));
    expect(refused.status).toBe(401);
    const exported = await fetch(`${url}/export/figures.csv`);
    expect(exported.status).toBe(200);
    await exported.text();

    const logged = lines.slice(from).filter((line) => line.msg === 'request');
    expect(logged).toHaveLength(3);
    for (const line of logged) expect(line.level).toBe(30);
    expect(logged[0]).toMatchObject({
      requestId: write.headers.get('x-request-id'),
      method: 'POST',
      path: '/graphql',
      operation: 'RegisterDashboard',
      keyId: writer.key.id,
      status: 200,
      ms: expect.any(Number),
      sqlStatements: expect.any(Number),
    });
    // Authenticating the key is one statement; registering the document more.
    expect(logged[0].sqlStatements).toBeGreaterThan(1);
    expect(logged[1]).toMatchObject({ requestId: refused.headers.get('x-request-id'), operation: 'Refused', keyId: null, status: 401 });
    expect(logged[2]).toMatchObject({ method: 'GET', path: '/export/figures.csv', status: 200, keyId: null, sqlStatements: expect.any(Number) });
    expect(logged[2].sqlStatements).toBeGreaterThan(0);
    expect(JSON.stringify(lines)).not.toContain(writer.secret);
    expect(JSON.stringify(lines)).not.toContain('cg_wrong-secret');
  });
});

describe('request ids and traces', () => {
  it("keeps the caller's X-Request-Id when it is short and plain, and makes a new one otherwise", async () => {
    const kept = await post({ query: '{ __typename }' }, { 'x-request-id': 'edge-7f3a.2026:12/02+x=1' });
    expect(kept.headers.get('x-request-id')).toBe('edge-7f3a.2026:12/02+x=1');
    expect(lines.at(-1)).toMatchObject({ msg: 'request', requestId: 'edge-7f3a.2026:12/02+x=1' });
    for (const refused of ['a'.repeat(129), 'has space', '"quoted"', 'semi;colon']) {
      const replaced = await post({ query: '{ __typename }' }, { 'x-request-id': refused });
      expect(replaced.headers.get('x-request-id'), refused).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it("continues the caller's trace: the operation's span is exported under the traceparent's trace and span", async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const parentSpanId = '00f067aa0ba902b7';
    const response = await post(
      // `claimantFigures` has no SQL twin, so the query is executed resolver by resolver (a
      // compiled read has only the operation's span: there are no resolvers to trace).
      { query: 'query TracedIncidents { incidents(first: 1) { edges { node { id claimantFigures { figures { id } } } } } }' },
      { traceparent: `00-${traceId}-${parentSpanId}-01` },
    );
    expect(response.status).toBe(200);
    expect(lines.at(-1)).toMatchObject({ msg: 'request', operation: 'TracedIncidents', traceId });
    // A request without one (or with a malformed one) starts its own trace.
    await post({ query: 'query Untraced { __typename }' }, { traceparent: '00-00000000000000000000000000000000-00f067aa0ba902b7-01' });
    expect(lines.at(-1).traceId).toBeUndefined();

    const spans = () => exports.flatMap((e) => e.body.resourceSpans.flatMap((r: any) => r.scopeSpans.flatMap((s: any) => s.spans)));
    const deadline = Date.now() + 20_000; // the batch processor sends every 5 s
    while (!spans().some((span: any) => span.name === 'query.TracedIncidents') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(exports[0]!.contentType).toBe('application/json');
    const operation = spans().find((span: any) => span.name === 'query.TracedIncidents');
    expect(operation).toMatchObject({ traceId, parentSpanId });
    // Resolver spans hang under the operation's span, in the same trace.
    const resolvers = spans().filter((span: any) => span.traceId === traceId && span.parentSpanId === operation.spanId);
    expect(resolvers.map((span: any) => span.name)).toContain('Query.incidents');
    const untraced = spans().find((span: any) => span.name === 'query.Untraced');
    if (untraced) expect(untraced.traceId).not.toBe(traceId);
    const service = exports[0]!.body.resourceSpans[0].resource.attributes.find((a: any) => a.key === 'service.name');
    expect(service.value.stringValue).toBe('conflict-claims-gateway');
  });

  it('answers /ready as before (useReadinessCheck)', async () => {
    const ready = await fetch(`${url}/ready`);
    expect(ready.status).toBe(200);
    expect(ready.headers.get('cache-control')).toBe('no-store');
    expect(await ready.json()).toEqual({ status: 'ready', database: db.target.kind, replicas: 0 });
  });
});

describe('configuration', () => {
  it('reads the OTLP endpoint as OpenTelemetry defines it, and refuses what is not an http(s) URL or a short METRICS_TOKEN', () => {
    expect(loadConfig({}).tracing).toBeNull();
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }).tracing).toEqual({
      tracesUrl: 'http://collector:4318/v1/traces',
      serviceName: 'conflict-claims-gateway',
    });
    expect(
      loadConfig({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://traces.example.org/otlp',
        OTEL_SERVICE_NAME: 'gateway-eu',
      }).tracing,
    ).toEqual({ tracesUrl: 'https://traces.example.org/otlp', serviceName: 'gateway-eu' });
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT: must be an http:\/\/ or https:\/\/ URL/);
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN: must be at least 16 characters/);
  });
});
