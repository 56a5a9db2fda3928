// The one cost limit (MAX_QUERY_COST, src/schema/cost.ts) lets the journalist's questions through
// and refuses the abusive ones: every example in the README and GraphiQL's default query, and
// "search → official → statements → figures with source chains" at the default page size, run
// against a gateway with the default limits; page sizes of 100 nested three and four lists deep,
// alias and ID floods are refused before anything runs, naming the cost and the limit.
import { readFileSync } from 'node:fs';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { getNamedType, getNullableType, getOperationAST, isListType, isObjectType, parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { EXPECTED_ROWS, queryCost } from '../src/schema/cost.js';
import { schema } from '../src/schema/index.js';
import { startGateway, type TestGateway } from './support/gateway.js';

const { maxCost } = loadConfig({}).limits;

const readmeExamples = [...readFileSync('README.md', 'utf8').matchAll(/```graphql\n([\s\S]*?)```/g)].map((match) => match[1]!);
const examples: [string, string][] = [
  ...readmeExamples.map((query, i): [string, string] => [`README example ${i + 1}: ${query.trim().split('\n')[0]!.slice(0, 60)}`, query]),
  ["GraphiQL's default query (src/http/example-query.graphql)", readFileSync('src/http/example-query.graphql', 'utf8')],
];

/** What a journalist asks of one name: who said what, with every figure and the sources that carried it. */
const JOURNALIST = `{
  search(query: "Naqvi") { edges { node { ... on Official { displayName roles { title }
    statements { edges { node { text madeAt verification
      figures { metric side victimDescription quantity { kind low high phrase } breakdown { label count } revisionHistory { quantity { phrase } statement { madeAt } } }
      sourceChain { position source { title description publisher { name } } }
    } } }
  } } } }
}`;

const ids = (n: number) => JSON.stringify(Array.from({ length: n }, (_, i) => encodeGlobalID('Place', i + 1)));
const aliases = (n: number, selection: string) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: ${selection}`).join(' ')} }`;

const abusive: Record<string, string> = {
  'three connections of 100 nested':
    '{ places(first: 100) { edges { node { incidents(first: 100) { edges { node { figures(first: 100) { edges { node { statement { text } } } } } } } } } } }',
  'four lists deep, three of them pages of 100':
    '{ officials(first: 100) { edges { node { statements(first: 100) { edges { node { incidents { figures(first: 100) { edges { node { id } } } } } } } } } } }',
  "the journalist's question with pages of 100": JOURNALIST.replace('search(query: "Naqvi")', 'search(query: "Bugti", first: 100)').replace(
    'statements {',
    'statements(first: 100) {',
  ),
  '30 aliases of 100 statements with everything': aliases(
    30,
    'statements(first: 100) { edges { node { figures { breakdown { count } revisionHistory { id } } sourceChain { source { title } } } } }',
  ),
  '100 IDs, each with 100 incidents of 100 figures': `{ nodes(ids: ${ids(100)}) { ... on Place { incidents(first: 100) { edges { node { figures(first: 100) { edges { node { id } } } } } } } } }`,
};

describe('the cost limit', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startGateway();
  });
  afterAll(() => gateway?.close());

  const cost = (query: string, variables: Record<string, unknown> = {}) => {
    const document = parse(query);
    return queryCost(schema, document, getOperationAST(document)!, variables);
  };

  it('finds the README examples', () => {
    expect(readmeExamples.length).toBeGreaterThanOrEqual(10);
  });

  it.each(examples)('lets %s through', async (_name, query) => {
    expect(cost(query, { text: 'x' })).toBeLessThanOrEqual(maxCost);
    const operation = getOperationAST(parse(query))!;
    const answer = await gateway.graphql(query, { text: 'Police said at least 5 people were killed in Gwadar.' });
    // The write example uses placeholder IDs and needs a key: only no limit may refuse it.
    if (operation.operation === 'query') expect(answer.errors).toBeUndefined();
    else expect(answer.errors?.map((e) => e.extensions?.code)).not.toContain('QUERY_TOO_COSTLY');
  });

  it('lets the journalist search → official → statements → figures with source chains at the default page size', async () => {
    expect(cost(JOURNALIST)).toBe(28_141);
    const answer = await gateway.graphql(JOURNALIST);
    expect(answer.errors).toBeUndefined();
    expect(answer.data.search.edges.length).toBeGreaterThan(0);
  });

  it.each(Object.entries(abusive))('refuses %s before anything runs, naming the cost and the limit', async (_name, query) => {
    const response = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: JSON.stringify({ query }),
    });
    expect(response.status).toBe(400);
    const answer = (await response.json()) as {
      data?: unknown;
      errors: { message: string; extensions: { code: string; cost: number; limit: number } }[];
      extensions?: { sqlStatements?: number };
    };
    expect(answer.data).toBeUndefined();
    expect(answer.errors).toHaveLength(1);
    const [error] = answer.errors;
    expect(error!.extensions).toMatchObject({ code: 'QUERY_TOO_COSTLY', cost: cost(query), limit: maxCost });
    expect(error!.extensions.cost).toBeGreaterThan(2 * maxCost);
    expect(error!.message).toContain(`about ${error!.extensions.cost} objects; at most ${maxCost} are allowed (MAX_QUERY_COST)`);
    expect(answer.extensions?.sqlStatements).toBeUndefined(); // nothing ran
  });

  it('counts what variables ask for: page sizes from variables', () => {
    const query = 'query($n: Int) { places(first: $n) { edges { node { incidents(first: $n) { edges { node { title } } } } } } }';
    expect(cost(query, { n: 5 })).toBe(1 + 5 * (1 + 1 + 5));
    expect(cost(query, { n: 100 })).toBe(1 + 100 * (1 + 1 + 100));
    expect(cost(query, { n: 1000 })).toBe(cost(query, { n: 100 })); // pages stop at 100
  });

  it('is set by MAX_QUERY_COST, or by its older name MAX_QUERY_COMPLEXITY', () => {
    expect(maxCost).toBe(50_000);
    expect(loadConfig({ MAX_QUERY_COMPLEXITY: '1234' }).limits.maxCost).toBe(1234);
    expect(loadConfig({ MAX_QUERY_COST: '999', MAX_QUERY_COMPLEXITY: '1234' }).limits.maxCost).toBe(999);
    expect(() => loadConfig({ MAX_QUERY_COMPLEXITY: 'lots' })).toThrow('Invalid environment variable MAX_QUERY_COMPLEXITY');
  });

  it('names only list fields that exist in EXPECTED_ROWS', () => {
    const lists = new Set<string>();
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__')) continue;
      for (const field of Object.values(type.getFields())) {
        const named = getNamedType(field.type);
        if (isListType(getNullableType(field.type)) || named.name.endsWith('Connection')) lists.add(`${type.name}.${field.name}`).add(`*.${field.name}`);
      }
    }
    expect(Object.keys(EXPECTED_ROWS).filter((key) => !lists.has(key))).toEqual([]);
  });
});
