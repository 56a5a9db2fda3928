// PUBLIC_READS=false: nothing is read without a key with READ, on any path. The walk is generated
// from the schema (every Query and Subscription field, with arguments made from their types), so
// a field added later is covered without anyone remembering it; HTTP paths other than the open
// ones (liveness, readiness, GraphiQL's assets) are refused whatever they are, routes to come
// (charts, pages) included.
import { encodeGlobalID } from '@pothos/plugin-relay';
import {
  getNamedType,
  isCompositeType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLField,
  type GraphQLInputType,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../src/auth/keys.js';
import { schema } from '../src/schema/index.js';
import { bearer, startGateway, type TestGateway } from './support/gateway.js';

/** A value of `type`, written as a GraphQL literal: required input fields only. */
function literal(type: GraphQLInputType, placeId: string): string {
  if (isNonNullType(type)) return literal(type.ofType, placeId);
  if (isListType(type)) return `[${literal(type.ofType, placeId)}]`;
  if (isEnumType(type)) return type.getValues()[0]!.name;
  if (isInputObjectType(type)) {
    const required = Object.values(type.getFields()).filter((field) => isNonNullType(field.type) && field.defaultValue === undefined);
    return `{ ${required.map((field) => `${field.name}: ${literal(field.type, placeId)}`).join(', ')} }`;
  }
  if (isScalarType(type)) {
    switch (type.name) {
      case 'ID':
        return JSON.stringify(placeId);
      case 'Int':
      case 'Float':
        return '1';
      case 'Boolean':
        return 'true';
      case 'DateTime':
        return '"2026-01-31"';
      default:
        return '"Balochistan"';
    }
  }
  throw new Error(`no literal for ${String(type)}`);
}

/** `{ field(required args) { __typename } }` for a root field. */
function operationFor(kind: 'query' | 'subscription', field: GraphQLField<unknown, unknown>, placeId: string): string {
  const args = field.args.filter((arg) => isNonNullType(arg.type) && arg.defaultValue === undefined);
  const argList = args.length ? `(${args.map((arg) => `${arg.name}: ${literal(arg.type, placeId)}`).join(', ')})` : '';
  const selection = isCompositeType(getNamedType(field.type)) ? ' { __typename }' : '';
  return `${kind} { ${field.name}${argList}${selection} }`;
}

const queryFields = Object.values(schema.getQueryType()!.getFields());
const subscriptionFields = Object.values(schema.getSubscriptionType()!.getFields());
/** Query fields that need more than READ (the only ones a READ key is refused), and the scope. */
const NEEDS_MORE_THAN_READ: Record<string, 'WRITE' | 'ADMIN'> = { apiKeys: 'ADMIN', importRun: 'WRITE' };

describe('PUBLIC_READS=false', () => {
  let gateway: TestGateway;
  let placeId: string;
  let reader: Record<string, string>;
  const keys: Partial<Record<'WRITE' | 'ADMIN', Record<string, string>>> = {};

  beforeAll(async () => {
    gateway = await startGateway({ publicReads: false });
    placeId = encodeGlobalID('Place', (await gateway.db.prisma.place.findFirstOrThrow()).id);
    reader = bearer((await createApiKey(gateway.db.prisma, 'private reader', ['READ'])).secret);
    for (const scope of ['WRITE', 'ADMIN'] as const) keys[scope] = bearer((await createApiKey(gateway.db.prisma, `private ${scope}`, [scope])).secret);
  });
  afterAll(() => gateway?.close());

  const post = (query: string, headers: Record<string, string> = {}) =>
    fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
      body: JSON.stringify({ query }),
    });

  it('walks more than the handful of fields it started with', () => {
    // A guard on the generator: if this drops, the walk below would silently cover less.
    expect(queryFields.map((field) => field.name)).toEqual(expect.arrayContaining(['node', 'nodes', 'statements', 'figures', 'search', 'changes', 'apiKeys']));
    expect(queryFields.length).toBeGreaterThanOrEqual(15);
  });

  it.each(queryFields.map((field) => [field.name, field] as const))(
    'refuses anonymous Query.%s with 401 UNAUTHENTICATED, and answers a key with READ',
    async (name, field) => {
      const query = operationFor('query', field, placeId);
      const anonymous = await post(query);
      expect(anonymous.status, query).toBe(401);
      const refused = (await anonymous.json()) as { data?: Record<string, unknown> | null; errors: { message: string; extensions: { code: string } }[] };
      expect(refused.errors[0]).toMatchObject({
        message: `Query.${name} needs an API key: send "Authorization: Bearer <key>"`,
        extensions: { code: 'UNAUTHENTICATED' },
      });
      expect(refused.data?.[name] ?? null).toBeNull();

      const withRead = (await (await post(query, reader)).json()) as { data?: Record<string, unknown>; errors?: { extensions: { code: string } }[] };
      const codes = (withRead.errors ?? []).map((error) => error.extensions.code);
      expect(codes, JSON.stringify(withRead.errors)).not.toContain('UNAUTHENTICATED');
      expect(codes).not.toContain('INTERNAL_SERVER_ERROR');
      const needs = NEEDS_MORE_THAN_READ[name];
      if (needs) {
        expect(codes).toEqual(['FORBIDDEN']);
        const withScope = (await (await post(query, keys[needs])).json()) as { data?: Record<string, unknown>; errors?: unknown[] };
        expect(withScope.errors, JSON.stringify(withScope.errors)).toBeUndefined();
      } else {
        expect(codes, JSON.stringify(withRead.errors)).not.toContain('FORBIDDEN');
        expect(withRead.data && name in withRead.data, JSON.stringify(withRead)).toBe(true);
      }
    },
  );

  it.each(subscriptionFields.map((field) => [field.name, field] as const))('refuses an anonymous Subscription.%s (the live feed)', async (name, field) => {
    const response = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: operationFor('subscription', field, placeId) }),
    });
    const body = await response.text();
    expect(body).toContain('"code":"UNAUTHENTICATED"');
    expect(body).toContain(`Subscription.${name} needs an API key`);
  });

  it("still answers what holds no data: __typename and introspection, GraphiQL's page", async () => {
    expect((await (await post('{ __typename }')).json()).data).toEqual({ __typename: 'Query' });
    expect((await (await post('{ __schema { queryType { name } } }')).json()).data.__schema.queryType.name).toBe('Query');
    expect((await fetch(`${gateway.url}/graphql`, { headers: { accept: 'text/html' } })).status).toBe(200);
  });

  // The export routes, and paths of routes to come: everything but the open paths needs READ.
  const dataPaths = [
    ...['figures', 'statements'].flatMap((dataset) => ['csv', 'ndjson'].map((format) => `/export/${dataset}.${format}`)),
    '/export/nothing.csv',
    '/charts/incidents/SW5jaWRlbnQ6MQ==/claims.svg?metric=KILLED&side=STATE_FORCES',
    '/incidents',
    '/incidents/SW5jaWRlbnQ6MQ==',
    '/anything-added-later',
  ];

  it.each(dataPaths)('refuses anonymous GET and HEAD %s with 401 before the route runs', async (path) => {
    for (const method of ['GET', 'HEAD']) {
      const response = await fetch(`${gateway.url}${path}`, { method });
      expect(response.status, `${method} ${path}`).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(response.headers.get('x-request-id')).toBeTruthy();
      if (method === 'GET') {
        expect(await response.json()).toMatchObject({
          errors: [{ message: expect.stringMatching(/needs an API key with the READ scope/), extensions: { code: 'UNAUTHENTICATED' } }],
        });
      }
    }
  });

  it('refuses a bad key on a route as GraphQL does, and serves a key with READ', async () => {
    const bad = await fetch(`${gateway.url}/export/figures.csv`, { headers: bearer('cg_not-a-key') });
    expect(bad.status).toBe(401);
    expect((await bad.json()).errors[0].message).toMatch(/The API key is not valid/);
    for (const path of dataPaths.slice(0, 4)) {
      const response = await fetch(`${gateway.url}${path}`, { headers: reader });
      expect(response.status, path).toBe(200);
      expect((await response.text()).length).toBeGreaterThan(100);
    }
  });

  it('keeps the open paths open, and they hold no data', async () => {
    expect((await fetch(`${gateway.url}/health`)).status).toBe(200);
    const ready = await fetch(`${gateway.url}/ready`);
    expect(ready.status).toBe(200);
    expect(Object.keys(await ready.json()).sort()).toEqual(['database', 'replicas', 'status']);
    expect((await fetch(`${gateway.url}/graphiql/assets/graphiql.css`)).status).toBe(200);
  });
});
