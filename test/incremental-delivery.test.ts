// An answer in parts: `@defer` sends an incident at once and its slow analysis fields after,
// `@stream` the first items of a list at once and the rest after, over HTTP as multipart/mixed
// (or server-sent events). The parts add up to the answer the same query gets without them,
// under the same limits, the same response cache and the same SQL statement report.
import { ApolloClient, HttpLink, InMemoryCache, gql } from '@apollo/client';
import { Defer20220824Handler } from '@apollo/client/incremental';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from './support/gateway.js';

let gateway: TestGateway;
let attack: string;
beforeAll(async () => {
  gateway = await startGateway({ responseCache: { ttlMs: 60_000, keyPrefix: 'unused', replicaLagMs: 0 } });
  const { incidents } = await gateway.data(`{ incidents(filter: { kinds: [COORDINATED_ATTACK] }, first: 1) { edges { node { id } } } }`);
  attack = incidents.edges[0].node.id;
});
afterAll(() => gateway.close());

interface Part {
  data?: any;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
  hasNext?: boolean;
  incremental?: { data?: any; items?: unknown[]; path: (string | number)[]; label?: string }[];
  extensions?: { sqlStatements?: number; responseCache?: { hit: boolean } };
}

/** POSTs an operation asking for an answer in parts; the response's content type and its parts, in order. */
async function inParts(
  query: string,
  variables: Record<string, unknown> = {},
  accept = 'multipart/mixed',
): Promise<{ status: number; type: string; parts: Part[] }> {
  const response = await fetch(`${gateway.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept },
    body: JSON.stringify({ query, variables }),
  });
  const type = response.headers.get('content-type') ?? '';
  const text = await response.text();
  if (type.startsWith('multipart/mixed')) {
    // Each part: headers, a blank line, one JSON object (JSON never holds a raw line break).
    const parts = text.split('\r\n---').filter((part) => part.includes('\r\n\r\n'));
    return { status: response.status, type, parts: parts.map((part) => JSON.parse(part.slice(part.indexOf('\r\n\r\n') + 4))) };
  }
  if (type.startsWith('text/event-stream')) {
    const events = text.split('\n\n').filter((event) => event.startsWith('event: next'));
    return { status: response.status, type, parts: events.map((event) => JSON.parse(event.slice(event.indexOf('data: ') + 6))) };
  }
  return { status: response.status, type, parts: [JSON.parse(text)] };
}

/** The answer the parts add up to: each deferred part merged at its path, each streamed item appended. */
function assembled(parts: Part[]): any {
  const data = structuredClone(parts[0]!.data);
  for (const part of parts.slice(1)) {
    for (const patch of part.incremental ?? []) {
      const path = [...patch.path];
      if (patch.items) path.pop(); // the index of the first item
      let target = data;
      for (const key of path) target = target[key];
      if (patch.items) target.push(...patch.items);
      else deepMerge(target, patch.data);
    }
  }
  return data;
}

function deepMerge(target: any, patch: any) {
  for (const [key, value] of Object.entries(patch)) {
    if (value && typeof value === 'object' && !Array.isArray(value) && target[key]) deepMerge(target[key], value);
    else target[key] = value;
  }
}

const ANALYSIS = `claimComparisons { metric side lowest highest ratio agreement } estimate(metric: KILLED, side: STATE_FORCES, method: CONSERVATIVE) { low high }`;

describe('@defer', () => {
  it('sends the incident first and its analysis after, adding up to the answer without @defer', async () => {
    const deferred = `query($id: ID!) { node(id: $id) { ... on Incident { title startedAt ... @defer(label: "analysis") { ${ANALYSIS} } } } }`;
    const { status, type, parts } = await inParts(deferred, { id: attack });
    expect(status).toBe(200);
    expect(type).toMatch(/^multipart\/mixed/);
    expect(parts.length).toBeGreaterThanOrEqual(2);
    // The incident at once, without the deferred fields.
    expect(parts[0]).toMatchObject({ hasNext: true, data: { node: { title: expect.stringContaining('Balochistan') } } });
    expect(parts[0]!.data.node).not.toHaveProperty('claimComparisons');
    // Then the analysis, at the incident's path, under its label.
    expect(parts.at(-1)!.hasNext).toBe(false);
    const patches = parts.slice(1).flatMap((part) => part.incremental ?? []);
    expect(patches).toEqual([
      expect.objectContaining({ label: 'analysis', path: ['node'], data: expect.objectContaining({ claimComparisons: expect.any(Array) }) }),
    ]);
    expect(patches[0]!.data.claimComparisons).toContainEqual(
      expect.objectContaining({ metric: 'KILLED', side: 'STATE_FORCES', lowest: 10, highest: 84, ratio: 8.4 }),
    );
    expect(parts.some((part) => part.errors)).toBe(false);

    const whole = await gateway.graphql(`query($id: ID!) { node(id: $id) { ... on Incident { title startedAt ${ANALYSIS} } } }`, { id: attack });
    expect(assembled(parts)).toEqual(whole.data);
    // Every part reports the SQL statements so far; the last one the whole operation's, as many as without @defer.
    const counts = parts.map((part) => part.extensions?.sqlStatements);
    expect(counts.every((count) => typeof count === 'number')).toBe(true);
    expect(counts).toEqual([...counts].sort((a, b) => a! - b!));
    expect(counts.at(-1)).toBe(whole.extensions!.sqlStatements);
  });

  it('is sent as server-sent events to a client that asks for them', async () => {
    const { type, parts } = await inParts(
      `query($id: ID!) { node(id: $id) { ... on Incident { kind ... @defer { claimComparisons { ratio } } } } }`,
      { id: attack },
      'text/event-stream',
    );
    expect(type).toMatch(/^text\/event-stream/);
    expect(parts[0]).toMatchObject({ hasNext: true, data: { node: { kind: 'COORDINATED_ATTACK' } } });
    expect(parts.at(-1)).toMatchObject({ hasNext: false });
    expect(assembled(parts).node.claimComparisons.length).toBeGreaterThan(0);
  });

  it('answers a repeated deferred query whole from the response cache, running no SQL statement', async () => {
    const query = `query($id: ID!) { node(id: $id) { ... on Incident { description ... @defer { claimComparisons(metric: KILLED) { side ratio } } } } }`;
    const first = await inParts(query, { id: attack });
    expect(first.parts.length).toBeGreaterThanOrEqual(2);
    const again = await inParts(query, { id: attack });
    expect(again.parts).toHaveLength(1);
    expect(again.parts[0]!.extensions).toMatchObject({ responseCache: { hit: true }, sqlStatements: 0 });
    expect(again.parts[0]!.data).toEqual(assembled(first.parts));
  });

  it('refuses a deferred query over the cost limits as it refuses the same query without @defer', async () => {
    const nested = (defer: string) =>
      `{ incidents(first: 100) { edges { node { ... ${defer} { statements(first: 100) { edges { node { figures { revisionHistory { quantity { phrase } } } } } } } } } } }`;
    const plain = await gateway.graphql(nested(''));
    const deferred = await inParts(nested('@defer'));
    expect(plain.errors).toHaveLength(1);
    expect(plain.errors![0]!.message).toMatch(/cost|complexity/i);
    expect(deferred.parts).toEqual([{ errors: [expect.objectContaining({ message: plain.errors![0]!.message })] }]);
  });
});

describe('with Apollo Client', () => {
  it('shows the incident first, then the same incident with its analysis', async () => {
    const client = new ApolloClient({
      link: new HttpLink({ uri: `${gateway.url}/graphql` }),
      cache: new InMemoryCache(),
      incrementalHandler: new Defer20220824Handler(),
    });
    const query = gql`query Incident($id: ID!) { node(id: $id) { id ... on Incident { title ... @defer { claimComparisons(side: STATE_FORCES) { metric ratio } } } } }`;
    const seen: any[] = [];
    await new Promise<void>((done, fail) => {
      const subscription = client.watchQuery<any>({ query, variables: { id: attack } }).subscribe({
        next: (result) => {
          if (result.error) return fail(result.error);
          if (result.data) seen.push({ dataState: result.dataState, node: structuredClone(result.data.node) });
          if (result.dataState === 'complete') {
            subscription.unsubscribe();
            done();
          }
        },
        error: fail,
      });
    });
    client.stop();
    expect(seen[0]).toMatchObject({ dataState: 'streaming', node: { title: expect.stringContaining('Balochistan') } });
    expect(seen[0].node.claimComparisons).toBeUndefined();
    expect(seen.at(-1)).toMatchObject({ dataState: 'complete', node: { claimComparisons: [expect.objectContaining({ metric: 'KILLED', ratio: 8.4 })] } });
  });
});

describe('@stream', () => {
  it('sends the first items of a list at once and the rest after, in order', async () => {
    const streamed = `query($id: ID!) { node(id: $id) { ... on Incident {
      subIncidents @stream(initialCount: 1) { title }
      statements(first: 10) { totalCount edges @stream(initialCount: 2) { node { text } } } } } }`;
    const { parts } = await inParts(streamed, { id: attack });
    expect(parts[0]!.data.node.subIncidents).toHaveLength(1);
    expect(parts[0]!.data.node.statements.edges).toHaveLength(2);
    const items = parts
      .slice(1)
      .flatMap((part) => part.incremental ?? [])
      .filter((patch) => patch.items);
    expect(items.length).toBeGreaterThanOrEqual(2);
    const whole = await gateway.data(
      `query($id: ID!) { node(id: $id) { ... on Incident {
      subIncidents { title } statements(first: 10) { totalCount edges { node { text } } } } } }`,
      { id: attack },
    );
    expect(whole.node.subIncidents.length).toBeGreaterThan(1);
    expect(whole.node.statements.edges.length).toBeGreaterThan(2);
    expect(assembled(parts)).toEqual(whole);
  });
});
