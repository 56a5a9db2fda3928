// Every refusal, over HTTP against a running gateway: the code ERROR_CODES names, the status that
// table gives it under `application/graphql-response+json` and under plain `application/json`,
// no data, and words of our own (no graphql-armor "Syntax Error:" for a limit). An argument that
// breaks its rule while a field runs (a bad ID, a bad cursor) fails only that field. README's
// table of codes is ERROR_CODES, row for row.
import { readFileSync } from 'node:fs';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { ERROR_CODES, type ErrorCodeName } from '../src/http/error-codes.js';
import { startGateway, type TestGateway } from './support/gateway.js';

const defaults = loadConfig({});
const RESPONSE = 'application/graphql-response+json';
const JSON_ONLY = 'application/json';

interface Case {
  code: ErrorCodeName;
  body: unknown;
  contentType?: string;
  /** What the message says, in our words. */
  says: RegExp;
  extensions?: Record<string, unknown>;
}

const cases: Record<string, Case> = {
  'a selection deeper than MAX_QUERY_DEPTH': {
    code: 'QUERY_TOO_DEEP',
    body: { query: '{ statements { edges { node { figures { statement { figures { statement { figures { statement { id } } } } } } } } } }' },
    says: /^The query nests 10 selections deep; at most 8 are allowed \(MAX_QUERY_DEPTH\)/,
    extensions: { limit: 8, found: 10 },
  },
  'more aliases than MAX_QUERY_ALIASES': {
    code: 'TOO_MANY_ALIASES',
    body: { query: '{ a: places { totalCount } b: places { totalCount } c: places { totalCount } d: places { totalCount } }' },
    says: /^The query has 4 aliases; at most 3 are allowed \(MAX_QUERY_ALIASES\)/,
    extensions: { limit: 3, found: 4 },
  },
  'more directives than MAX_QUERY_DIRECTIVES': {
    code: 'TOO_MANY_DIRECTIVES',
    body: { query: '{ __typename @skip(if: false) @skip(if: false) @include(if: true) @include(if: true) }' },
    says: /^The query has 4 directives; at most 3 are allowed \(MAX_QUERY_DIRECTIVES\)/,
  },
  'more tokens than MAX_QUERY_TOKENS': {
    code: 'TOO_MANY_TOKENS',
    body: { query: `{ ${Array.from({ length: 400 }, () => '__typename').join(' ')} }` },
    says: /^The document has more than 300 tokens \(MAX_QUERY_TOKENS\)/,
    extensions: { limit: 300 },
  },
  'a cost over MAX_QUERY_COST': {
    code: 'QUERY_TOO_COSTLY',
    body: { query: 'query($n: Int) { places(first: $n) { edges { node { incidents(first: $n) { edges { node { title } } } } } } }', variables: { n: 100 } },
    says: /^This query can return about 10201 objects; at most 5000 are allowed \(MAX_QUERY_COST\)/,
    extensions: { cost: 10201, limit: 5000 },
  },
  'a variable of the wrong type': {
    code: 'BAD_USER_INPUT',
    body: { query: 'query($n: Int) { places(first: $n) { totalCount } }', variables: { n: 'ten' } },
    says: /^Variable "\$n" got invalid value "ten"/,
    extensions: { variable: 'n' },
  },
  'a list argument over its maximum': {
    code: 'BAD_USER_INPUT',
    body: {
      query: 'query($ids: [ID!]!) { nodes(ids: $ids) { id } }',
      variables: { ids: Array.from({ length: 101 }, (_, i) => encodeGlobalID('Place', i + 1)) },
    },
    says: /^Argument ids: at most 100 items, got 101/,
    extensions: { argument: 'ids', limit: 100 },
  },
  'a document that is not GraphQL': { code: 'GRAPHQL_PARSE_FAILED', body: { query: '{ places ' }, says: /^Syntax Error: Expected Name, found <EOF>/ },
  'a field the schema does not have': { code: 'GRAPHQL_VALIDATION_FAILED', body: { query: '{ nope }' }, says: /^Cannot query field "nope" on type "Query"/ },
  'an unregistered hash': {
    code: 'PERSISTED_QUERY_NOT_FOUND',
    body: { extensions: { persistedQuery: { version: 1, sha256Hash: 'ab'.repeat(32) } } },
    says: /^No document is known by this hash yet/,
  },
  'more operations in a batch than MAX_BATCH': {
    code: 'BATCH_TOO_LARGE',
    body: [{ query: '{ __typename }' }, { query: '{ __typename }' }, { query: '{ __typename }' }],
    says: /^A batch holds at most 2 operations \(MAX_BATCH\), this one 3/,
    extensions: { limit: 2, found: 3 },
  },
  'a body over MAX_BODY_BYTES': {
    code: 'PAYLOAD_TOO_LARGE',
    body: { query: `{ __typename } #${'x'.repeat(9000)}` },
    says: /larger than 8192 bytes \(MAX_BODY_BYTES\)/,
  },
  'a POST that is not JSON (CSRF)': {
    code: 'POST_REQUIRES_JSON',
    body: { query: '{ __typename }' },
    contentType: 'text/plain',
    says: /must send its body as JSON/,
  },
};

describe('refusals', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startGateway({
      limits: { ...defaults.limits, maxDepth: 8, maxAliases: 3, maxDirectives: 3, maxTokens: 300, maxCost: 5_000, maxBodyBytes: 8192, maxBatch: 2 },
    });
  });
  afterAll(() => gateway?.close());

  const send = (body: unknown, accept: string, contentType = 'application/json') =>
    fetch(`${gateway.url}/graphql`, { method: 'POST', headers: { 'content-type': contentType, accept }, body: JSON.stringify(body) });

  it.each(Object.entries(cases))('%s: its code, its status, no data', async (_what, { code, body, contentType, says, extensions }) => {
    for (const accept of [RESPONSE, JSON_ONLY]) {
      const response = await send(body, accept, contentType);
      expect(response.status, accept).toBe(accept === RESPONSE ? ERROR_CODES[code].status : ERROR_CODES[code].json);
      const answer = (await response.json()) as { data?: unknown; errors: { message: string; extensions: Record<string, unknown> }[] };
      expect(answer.data ?? null).toBeNull();
      expect(answer.errors[0]!.extensions).toMatchObject({ code, ...extensions });
      expect(answer.errors[0]!.extensions.http).toBeUndefined();
      expect(answer.errors[0]!.message).toMatch(says);
      if (code !== 'GRAPHQL_PARSE_FAILED') expect(answer.errors[0]!.message).not.toMatch(/^Syntax Error/);
    }
  });

  it.each([
    [
      'an invalid global ID',
      'query($id: ID!) { node(id: $id) { id } }',
      { id: 'garbage!!' },
      { node: null },
      /^Argument id: invalid global ID "garbage!!"/,
      'id',
    ],
    ['a cursor no page returned', '{ places(after: "nope") { totalCount } }', {}, null, /^Argument after: invalid cursor "nope": pass an `endCursor`/, 'after'],
  ])('%s fails its field as the query runs: 200, BAD_USER_INPUT naming the argument', async (_what, query, variables, data, says, argument) => {
    for (const accept of [RESPONSE, JSON_ONLY]) {
      const response = await send({ query, variables }, accept);
      expect(response.status, accept).toBe(200);
      const answer = (await response.json()) as { data: unknown; errors: { message: string; extensions: Record<string, unknown> }[] };
      expect(answer.data).toEqual(data);
      expect(answer.errors[0]).toMatchObject({ message: expect.stringMatching(says), extensions: { code: 'BAD_USER_INPUT', argument } });
    }
  });
});

describe('the codes in the README', () => {
  it('are ERROR_CODES, row for row', () => {
    const readme = readFileSync('README.md', 'utf8');
    const rows = [...readme.matchAll(/^\| `([A-Z_]+)` \| (\d+) \| (\d+) \| (.*) \|$/gm)].map(([, code, status, json, meaning]) => ({
      code,
      status: Number(status),
      json: Number(json),
      meaning,
    }));
    const expected = Object.entries(ERROR_CODES).map(([code, { status, json, meaning }]) => ({ code, status, json, meaning }));
    // On a difference, README's table is printed here, to paste.
    const table = expected.map((row) => `| \`${row.code}\` | ${row.status} | ${row.json} | ${row.meaning} |`).join('\n');
    expect(rows, table).toEqual(expected);
  });
});
