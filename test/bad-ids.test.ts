// IDs a client made up, mistyped or took from elsewhere: a clear input error naming the argument
// (BAD_USER_INPUT), never an unexpected error with an error log line per request; and, in
// production, no hint of the schema's names in any message ("Did you mean the enum value …?").
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { isInterfaceType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../src/auth/keys.js';
import { loadConfig } from '../src/config.js';
import type { Database } from '../src/db/database.js';
import { createGateway } from '../src/http/gateway.js';
import { createLogger } from '../src/http/hardening.js';
import { schema } from '../src/schema/index.js';
import { openTestDatabase } from './support/gateway.js';

const b64 = (text: string) => Buffer.from(text).toString('base64');

/** A gateway whose log lines the test reads. */
async function serve(db: Database, production: boolean) {
  const lines: { level: number; msg: string }[] = [];
  const logger = createLogger({ logLevel: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  const handler = createGateway(db, { ...loadConfig({}), production, reportSqlStatements: false }, { logger });
  const server: Server = createServer(handler);
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const graphql = async (query: string, variables: Record<string, unknown> = {}) => {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as { data?: any; errors?: { message: string; extensions?: Record<string, unknown> }[] };
  };
  const close = async () => {
    server.closeAllConnections();
    await new Promise((closed) => server.close(closed));
    await handler.dispose();
  };
  return { url, graphql, lines, close };
}

describe('IDs that are not ours', () => {
  let db: Database;
  let drop: () => Promise<void>;
  let gateway: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    ({ db, drop } = await openTestDatabase());
    gateway = await serve(db, true);
  });
  afterAll(async () => {
    await gateway?.close();
    await db?.close();
    await drop?.();
  });

  const bad: [string, string, RegExp][] = [
    ['a word where the number goes', b64('Place:abc'), /no Place can have the id "abc"/],
    ['a number no row can have', b64('Place:99999999999'), /no Place can have the id "99999999999"/],
    ['a fraction', b64('Place:1.5'), /no Place can have the id "1.5"/],
    ['zero', b64('Place:0'), /no Place can have the id "0"/],
    ['a negative number', b64('Place:-1'), /no Place can have the id "-1"/],
    ['a type this API does not have', b64('Nope:1'), /this API has no "Nope" objects/],
    ['no type', b64(':1'), /not a global ID/],
    ['not base64', 'garbage!!', /not a global ID/],
    ['base64 of nothing useful', b64('hello'), /not a global ID/],
    ['not canonical base64', 'UGxhY2U6MQ', /not a global ID/],
    ['empty', '', /not a global ID/],
    ['very long', 'A'.repeat(10_000), /not a global ID/],
  ];

  it.each(bad)('node(id:) with %s: BAD_USER_INPUT naming the argument, no error logged', async (_what, id, rule) => {
    const before = gateway.lines.filter((line) => line.level >= 50).length;
    const response = await gateway.graphql('query($id: ID!) { node(id: $id) { id } }', { id });
    expect(response.data).toEqual({ node: null });
    expect(response.errors).toHaveLength(1);
    expect(response.errors![0]).toMatchObject({
      message: expect.stringMatching(/^Argument id: invalid global ID /),
      extensions: { code: 'BAD_USER_INPUT', argument: 'id' },
    });
    expect(response.errors![0]!.message).toMatch(rule);
    expect(gateway.lines.filter((line) => line.level >= 50).length).toBe(before);
  });

  it('nodes(ids:) names the position of the bad ID; good ones are still looked up', async () => {
    const good = encodeGlobalID('Place', (await db.prisma.place.findFirstOrThrow()).id);
    const response = await gateway.graphql('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: [good, good, b64('Place:abc')] });
    expect(response.errors![0]).toMatchObject({
      message: expect.stringMatching(/^Argument ids\[2\]: invalid global ID/),
      extensions: { code: 'BAD_USER_INPUT', argument: 'ids[2]' },
    });
    const fine = await gateway.graphql('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: [good, b64('Place:2147483647')] });
    expect(fine).toEqual({ data: { nodes: [{ id: good }, null] } });
  });

  it('an ID of the wrong type in a filter names the filter field and both types', async () => {
    const organisation = encodeGlobalID('Organisation', 1);
    const response = await gateway.graphql('query($place: ID!) { figures(filter: { place: $place }) { totalCount } }', { place: organisation });
    expect(response.errors![0]).toMatchObject({
      message: 'filter.place: must be the ID of a Place; this is the ID of an Organisation',
      extensions: {
        code: 'BAD_USER_INPUT',
        issues: [{ field: 'filter.place', code: 'WRONG_ID_TYPE', rule: 'must be the ID of a Place; this is the ID of an Organisation' }],
      },
    });
  });

  it('the export routes read IDs with the same rules', async () => {
    for (const id of [b64('Place:abc'), b64('Place:1.5'), 'garbage!!']) {
      const response = await fetch(`${gateway.url}/export/figures.csv?place=${encodeURIComponent(id)}`);
      expect(response.status).toBe(400);
      expect((await response.json()).errors).toEqual([
        expect.objectContaining({
          parameter: 'place',
          value: id,
          rule: expect.stringMatching(/^must be the ID of a Place .* is not one \((not a global ID|no Place can have the id)/),
          code: 'NOT_AN_ID',
        }),
      ]);
    }
  });
});

describe('IDs this API hands out', () => {
  let db: Database;
  let drop: () => Promise<void>;
  let gateway: Awaited<ReturnType<typeof serve>>;
  let admin: Record<string, string>;
  beforeAll(async () => {
    ({ db, drop } = await openTestDatabase());
    gateway = await serve(db, true);
    admin = { authorization: `Bearer ${(await createApiKey(db.prisma, 'ID round trip', ['ADMIN'])).secret}` };
  });
  afterAll(async () => {
    await gateway?.close();
    await db?.close();
    await drop?.();
  });

  const node = schema.getType('Node');
  const nodeTypes = isInterfaceType(node) ? schema.getPossibleTypes(node).map((type) => type.name) : [];

  it('are base64 of "<Type>:<id>" for every type with an ID, and node(id:) finds each again', async () => {
    expect(nodeTypes.length).toBeGreaterThanOrEqual(9);
    for (const typename of nodeTypes) {
      const delegate = (db.prisma as any)[typename[0]!.toLowerCase() + typename.slice(1)];
      const row: { id: number } = await delegate.findFirstOrThrow({ orderBy: { id: 'desc' } });
      const id = b64(`${typename}:${row.id}`);
      const response = await fetch(`${gateway.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...admin },
        body: JSON.stringify({ query: 'query($id: ID!) { node(id: $id) { __typename id } }', variables: { id } }),
      });
      expect(await response.json(), typename).toEqual({ data: { node: { __typename: typename, id } } });
    }
  });

  it('name another record the same way (Change.entityId)', async () => {
    const response = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...admin },
      body: JSON.stringify({ query: '{ changes(first: 5) { edges { node { id entityType entityId } } } }' }),
    });
    const changes = (await response.json()).data.changes.edges.map((edge: any) => edge.node);
    expect(changes).toHaveLength(5);
    for (const change of changes) {
      const row = await db.prisma.change.findUniqueOrThrow({ where: { id: Number(Buffer.from(change.id, 'base64').toString().split(':')[1]) } });
      expect(change).toEqual({ id: b64(`Change:${row.id}`), entityType: row.entityType, entityId: b64(`${row.entityType}:${row.entityId}`) });
    }
  });
});

describe('suggestions', () => {
  let db: Database;
  let drop: () => Promise<void>;
  beforeAll(async () => ({ db, drop } = await openTestDatabase()));
  afterAll(async () => {
    await db?.close();
    await drop?.();
  });

  // What was mistyped, and the name graphql-js would suggest.
  const typos = [
    ['an enum value in the document', '{ figures(filter: { metrics: [KILED] }) { totalCount } }', {}, 'KILLED'],
    ['an enum value in variables', 'query($m: [FigureMetric!]) { figures(filter: { metrics: $m }) { totalCount } }', { m: ['KILED'] }, 'KILLED'],
    ['a field name', '{ figures { totalCont } }', {}, 'totalCount'],
    ['an argument name', '{ figures(fliter: {}) { totalCount } }', {}, 'filter'],
    ['an input field name', '{ figures(filter: { metricz: [KILLED] }) { totalCount } }', {}, 'metrics'],
    ['a type name', 'query($m: [FigureMetrc!]) { figures(filter: { metrics: $m }) { totalCount } }', { m: [] }, 'FigureMetric'],
  ] as const;

  it.each(typos)('are hidden in production for %s', async (_what, query, variables, suggested) => {
    const production = await serve(db, true);
    const development = await serve(db, false);
    try {
      const hidden = await production.graphql(query, variables);
      expect(hidden.errors?.length).toBeGreaterThan(0);
      for (const error of hidden.errors!) {
        expect(error.message).not.toMatch(/Did you mean/);
        expect(error.message).not.toContain(`"${suggested}"`);
        expect(error.message).toMatch(/\[Suggestion hidden\]$/);
      }
      // Outside production the hint helps whoever is typing in GraphiQL.
      const shown = await development.graphql(query, variables);
      expect(shown.errors!.map((error) => error.message).join('\n')).toMatch(/Did you mean/);
    } finally {
      await production.close();
      await development.close();
    }
  });
});
