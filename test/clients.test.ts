// The GraphQL clients people use, as they come, against the running gateway over HTTP: urql with
// its default settings (queries as GET), Apollo Client (and its automatic persisted queries),
// Relay (and persisted documents by id), graphql-request, graphql-sse for the live feed, and
// GraphiQL in a real browser. No special header beyond an API key where a write needs one.
import { createHash } from 'node:crypto';
import { ApolloClient, HttpLink, InMemoryCache, gql as apolloGql } from '@apollo/client/core';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { cacheExchange, createClient as createUrqlClient, fetchExchange, gql as urqlGql } from '@urql/core';
import { GraphQLClient } from 'graphql-request';
import { createClient as createSseClient } from 'graphql-sse';
import type { Browser } from 'playwright-core';
import { Environment, fetchQuery, Network, RecordSource, Store, type ConcreteRequest, type RequestParameters } from 'relay-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../src/auth/keys.js';
import { documentStore } from '../src/persisted/operations.js';
import { DESKTOP, launchBrowser, openPage, requestsOutside } from './support/browser.js';
import { bearer, seedTargets, startGateway, type TestGateway } from './support/gateway.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

let gateway: TestGateway;
let endpoint: string;
let writeKey: string;
let incident: string;

beforeAll(async () => {
  gateway = await startGateway();
  endpoint = `${gateway.url}/graphql`;
  writeKey = (await createApiKey(gateway.db.prisma, 'client libraries test writer', ['WRITE'])).secret;
  incident = (await seedTargets(gateway)).incident;
});
afterAll(() => gateway?.close());

/** A fetch that records each request's method and body, for counting round trips. */
function recordingFetch() {
  const requests: { method: string; url: string; body: string | null }[] = [];
  const recording: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    requests.push({ method: request.method, url: request.url, body: request.method === 'GET' ? null : await request.clone().text() });
    return fetch(request);
  };
  return { requests, fetch: recording };
}

const RECORD = `mutation($input: RecordStatementInput!) {
  recordStatement(input: $input) { __typename ... on RecordPayload { statement { id } } ... on WriteError { message } }
}`;

/** A statement on the seed's abduction, by an unnamed group, with one figure. */
const statementInput = (text: string) => ({
  kind: 'CASUALTY_REPORT',
  text,
  claimant: { kind: 'UNNAMED_GROUP', description: 'security officials' },
  incidents: [incident],
  figures: [
    { metric: 'KILLED', victimCategory: 'PEOPLE', side: 'CIVILIAN', victimDescription: 'people', quantity: { kind: 'EXACT', low: 3, high: 3, phrase: '3' } },
  ],
});

const REGISTER = `mutation($document: String!, $name: String!) {
  registerOperation(document: $document, name: $name) { __typename ... on RegisterOperationPayload { hash } ... on WriteError { message } }
}`;

/** Registers a document with the WRITE key and returns its hash. */
async function register(document: string, name: string): Promise<string> {
  const response = await gateway.graphql(REGISTER, { document, name }, bearer(writeKey));
  expect(response.errors).toBeUndefined();
  expect(response.data.registerOperation.hash).toBe(sha256(document));
  return response.data.registerOperation.hash;
}

describe('urql with its default settings', () => {
  it('sends a query as GET, with no special header, and it runs', async () => {
    const recorded = recordingFetch();
    const client = createUrqlClient({ url: endpoint, exchanges: [cacheExchange, fetchExchange], fetch: recorded.fetch });
    const result = await client.query(urqlGql`query UrqlIncidents { incidents(first: 2) { totalCount edges { node { title } } } }`, {}).toPromise();
    expect(result.error).toBeUndefined();
    expect(result.data.incidents.edges).toHaveLength(2);
    expect(recorded.requests.map((r) => r.method)).toEqual(['GET']);
  });

  it('sends a mutation as a JSON POST, which runs with a WRITE key', async () => {
    const recorded = recordingFetch();
    const client = createUrqlClient({
      url: endpoint,
      exchanges: [cacheExchange, fetchExchange],
      fetch: recorded.fetch,
      fetchOptions: { headers: bearer(writeKey) },
    });
    const result = await client.mutation(urqlGql(RECORD), { input: statementInput('Officials said 3 people were killed (urql).') }).toPromise();
    expect(result.error).toBeUndefined();
    expect(result.data.recordStatement.__typename).toBe('RecordPayload');
    expect(recorded.requests.map((r) => r.method)).toEqual(['POST']);
  });

  it('runs a registered operation by `documentId` (a persisted document), over GET', async () => {
    const document = 'query UrqlPersisted { incidents(first: 1) { totalCount } }';
    const hash = await register(document, 'urql persisted document');
    const recorded = recordingFetch();
    const client = createUrqlClient({ url: endpoint, exchanges: [fetchExchange], fetch: recorded.fetch });
    // What graphql-codegen's client preset makes of a persisted document: an id and no definitions.
    const persisted = { kind: 'Document', definitions: [], documentId: `sha256:${hash}` } as never;
    // urql checks an operation's type against its definitions in development builds only: a
    // persisted document has none, so it is used as in production.
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    const result = await client
      .query(persisted, {})
      .toPromise()
      .finally(() => (process.env.NODE_ENV = nodeEnv));
    expect(result.error).toBeUndefined();
    expect(result.data.incidents.totalCount).toBeGreaterThan(0);
    expect(recorded.requests).toHaveLength(1);
    expect(new URL(recorded.requests[0]!.url).searchParams.get('documentId')).toBe(`sha256:${hash}`);
  });

  it('a mutation sent as GET (as a link or a form could) is refused', async () => {
    const url = `${endpoint}?${new URLSearchParams({ query: RECORD, variables: JSON.stringify({ input: statementInput('Never written.') }) })}`;
    const response = await fetch(url, { headers: { accept: 'application/graphql-response+json', ...bearer(writeKey) } });
    expect(response.status).toBe(405);
  });
});

describe('Apollo Client', () => {
  const INCIDENTS = apolloGql`query ApolloIncidents { incidents(first: 2) { totalCount edges { node { id title } } } }`;

  it('runs a query through HttpLink', async () => {
    const client = new ApolloClient({ link: new HttpLink({ uri: endpoint }), cache: new InMemoryCache() });
    const { data } = await client.query({ query: INCIDENTS });
    expect((data as any).incidents.edges).toHaveLength(2);
  });

  it('automatic persisted queries: two round trips the first time, one from then on (for every client)', async () => {
    const query = apolloGql`query ApolloPersisted { incidents(first: 3) { totalCount edges { node { id title } } } }`;
    const recorded = recordingFetch();
    const apqClient = () =>
      new ApolloClient({
        link: new PersistedQueryLink({ sha256 }).concat(new HttpLink({ uri: endpoint, fetch: recorded.fetch })),
        cache: new InMemoryCache(),
      });

    const first = await apqClient().query({ query });
    expect((first.data as any).incidents.edges).toHaveLength(3);
    expect(recorded.requests).toHaveLength(2);
    const [hashOnly, withQuery] = recorded.requests.map((r) => JSON.parse(r.body!));
    expect(hashOnly.query).toBeUndefined();
    expect(hashOnly.extensions.persistedQuery.sha256Hash).toMatch(/^[0-9a-f]{64}$/);
    expect(withQuery.query).toContain('ApolloPersisted');

    // Another client (a fresh page, another browser): the gateway knows the hash now.
    recorded.requests.length = 0;
    const again = await apqClient().query({ query });
    expect(again.data).toEqual(first.data);
    expect(recorded.requests).toHaveLength(1);
    expect(JSON.parse(recorded.requests[0]!.body!).query).toBeUndefined();
  });

  it('a hash that is not the query’s is refused, and nothing is stored under it', async () => {
    const send = (body: unknown) =>
      fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
        body: JSON.stringify(body),
      });
    const wrong = sha256('{ somethingElse }');
    const refused = await send({ query: '{ incidents(first: 1) { totalCount } }', extensions: { persistedQuery: { version: 1, sha256Hash: wrong } } });
    expect(refused.status).toBe(400);
    const { errors } = await refused.json();
    expect(errors[0].extensions.code).toBe('PERSISTED_QUERY_MISMATCH');
    expect(errors[0].message).toMatch(/`extensions\.persistedQuery\.sha256Hash` is not the SHA-256 of `query`/);
    const hashOnly = await (await send({ extensions: { persistedQuery: { version: 1, sha256Hash: wrong } } })).json();
    expect(hashOnly.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect(hashOnly.errors[0].message).toMatch(/send it again with the query/);
  });
});

describe('the store of persisted documents', () => {
  it('keeps APQ documents within its bounds, least recently used forgotten first; registered ones stay', async () => {
    const registered = 'query StoreRegistered { incidents(first: 1) { totalCount } }';
    await register(registered, 'store bounds: registered');
    const store = documentStore(gateway.db.prisma, { automatic: true, maxEntries: 2, maxChars: 100 });
    const [a, b, c] = ['{ a: __typename }', '{ b: __typename }', '{ c: __typename }'];
    store.remember(sha256(a), a);
    store.remember(sha256(b), b);
    expect(await store.find(sha256(a))).toBe(a); // now b is the least recently used
    store.remember(sha256(c), c);
    expect(await store.find(sha256(b))).toBeNull();
    expect(await store.find(sha256(a))).toBe(a);
    store.remember(sha256('x'.repeat(101)), 'x'.repeat(101)); // larger than the whole store: not kept
    expect(await store.find(sha256('x'.repeat(101)))).toBeNull();
    expect(await store.find(sha256(registered))).toBe(registered);
    const registeredOnly = documentStore(gateway.db.prisma, { automatic: false });
    registeredOnly.remember(sha256(a), a);
    expect(await registeredOnly.find(sha256(a))).toBeNull();
    expect(await registeredOnly.find(sha256(registered))).toBe(registered);
  });
});

describe('Relay', () => {
  /** A Relay artifact as relay-compiler writes it, for `query RelayIncidents { incidents(first: 2) { totalCount } }`. */
  const artifact = (params: Partial<RequestParameters>): ConcreteRequest => {
    const selections = [
      {
        kind: 'LinkedField',
        alias: null,
        name: 'incidents',
        storageKey: 'incidents(first:2)',
        args: [{ kind: 'Literal', name: 'first', value: 2 }],
        concreteType: 'IncidentConnection',
        plural: false,
        selections: [{ kind: 'ScalarField', alias: null, name: 'totalCount', args: null, storageKey: null }],
      },
    ] as const;
    return {
      kind: 'Request',
      fragment: { kind: 'Fragment', name: 'RelayIncidents', type: 'Query', metadata: null, argumentDefinitions: [], selections },
      operation: { kind: 'Operation', name: 'RelayIncidents', argumentDefinitions: [], selections },
      params: { cacheID: params.id ?? 'text', id: null, text: null, metadata: {}, name: 'RelayIncidents', operationKind: 'query', ...params },
    } as unknown as ConcreteRequest;
  };
  const RELAY_TEXT = 'query RelayIncidents { incidents(first: 2) { totalCount } }';

  /** A Relay environment whose fetch function sends the text, or only `doc_id` for a persisted query (Relay's documented way). */
  function environment(requests: unknown[]) {
    const network = Network.create(async (params, variables) => {
      const body = params.id ? { doc_id: params.id, variables } : { query: params.text, variables };
      requests.push(body);
      const response = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body),
      });
      return response.json();
    });
    return new Environment({ network, store: new Store(new RecordSource()) });
  }

  it('runs a query', async () => {
    const data = await fetchQuery(environment([]), artifact({ text: RELAY_TEXT }), {}).toPromise();
    expect((data as any).incidents.totalCount).toBeGreaterThan(0);
  });

  it('runs a persisted query sent as `doc_id` alone', async () => {
    const id = await register(RELAY_TEXT, 'Relay: incident count');
    const requests: unknown[] = [];
    const data = await fetchQuery(environment(requests), artifact({ id, text: null }), {}).toPromise();
    expect((data as any).incidents.totalCount).toBeGreaterThan(0);
    expect(requests).toEqual([{ doc_id: id, variables: {} }]);
  });

  it('an unknown document id is refused, naming the field and what it must be', async () => {
    const unknown = 'sha256:' + 'e'.repeat(64);
    const response = await fetch(`${endpoint}?${new URLSearchParams({ documentId: unknown })}`, { headers: { accept: 'application/graphql-response+json' } });
    expect(response.status).toBe(400);
    const { errors } = await response.json();
    expect(errors[0].extensions.code).toBe('PERSISTED_DOCUMENT_NOT_FOUND');
    expect(errors[0].message).toMatch(/No operation is registered with this `documentId`/);
    const relay = await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ doc_id: 'e'.repeat(64) }) });
    expect((await relay.json()).errors[0]).toMatchObject({ message: expect.stringMatching(/`doc_id`/), extensions: { code: 'PERSISTED_DOCUMENT_NOT_FOUND' } });
  });
});

describe('graphql-request', () => {
  it('runs a query, and a mutation with a WRITE key', async () => {
    const reader = new GraphQLClient(endpoint);
    const read = await reader.request<any>('{ incidents(first: 2) { edges { node { title } } } }');
    expect(read.incidents.edges).toHaveLength(2);

    const writer = new GraphQLClient(endpoint, { headers: bearer(writeKey) });
    const written = await writer.request<any>(RECORD, { input: statementInput('Officials said 3 people were killed (graphql-request).') });
    expect(written.recordStatement.__typename).toBe('RecordPayload');
  });
});

describe('graphql-sse', () => {
  it('subscribes to the live feed and receives the event of a write', async () => {
    let connected!: () => void;
    const isConnected = new Promise<void>((resolve) => (connected = resolve));
    const client = createSseClient({ url: endpoint, retryAttempts: 0, on: { connected: () => connected() } });
    const events: any[] = [];
    const received = new Promise<void>((resolve, reject) => {
      const unsubscribe = client.subscribe(
        { query: 'subscription ClientsFeed { claimEvents { kind statement { id text } } }' },
        {
          next: (message) => {
            events.push(message);
            unsubscribe();
            resolve();
          },
          error: reject,
          complete: () => {},
        },
      );
    });
    // graphql-sse says "connected" once the stream is open; the write comes after.
    await isConnected;
    const written = await new GraphQLClient(endpoint, { headers: bearer(writeKey) }).request<any>(RECORD, {
      input: statementInput('Officials said 3 people were killed (graphql-sse).'),
    });
    await received;
    client.dispose();
    expect(events[0].errors).toBeUndefined();
    expect(events[0].data.claimEvents).toMatchObject({ kind: 'CLAIMED', statement: { id: written.recordStatement.statement.id } });
  });
});

describe('GraphiQL in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(() => browser?.close());

  it('runs a query and the live-feed subscription from its own editor', async () => {
    const graphiql = await openPage(browser, endpoint, { ...DESKTOP, waitUntil: 'load' });
    const { page } = graphiql;
    const editor = page.locator('.graphiql-query-editor');
    await editor.waitFor();
    const result = page.locator('.graphiql-response');
    // Monaco draws spaces as non-breaking ones and wraps long lines.
    const resultText = async () => (await result.innerText()).replace(/[\s\u00a0]+/g, ' ');

    /**
     * Replaces the editor's text (inserted as a paste, so Monaco adds no closing brackets) and
     * presses run once GraphiQL has read the operation's name (its tab is named after it; before
     * that it would send the name of the operation it had).
     */
    async function run(name: string, document: string) {
      await editor.locator('.monaco-editor').first().click();
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.press('Delete');
      await page.keyboard.insertText(document);
      await page.getByRole('tab', { name }).waitFor();
      await page
        .getByRole('button', { name: /execute query|run/i })
        .first()
        .click();
    }

    const titles = 'query GraphiQLTitles { incidents(first: 1) { edges { node { title } } } }';
    const { incidents } = await gateway.data(titles);
    await run('GraphiQLTitles', titles);
    await expect.poll(resultText, { timeout: 20_000 }).toContain(`"title": "${incidents.edges[0].node.title}"`);

    const stream = page.waitForRequest((request) => request.url().startsWith(`${endpoint}?`) && request.headers().accept === 'text/event-stream');
    await run('GraphiQLFeed', 'subscription GraphiQLFeed { claimEvents { kind statement { text } } }');
    // As GraphiQL sends a subscription: a GET, with no header beyond `accept` (no CSRF header).
    expect((await stream).method()).toBe('GET');
    // Chromium tells nothing when the stream is open, and the result pane stays empty until an
    // event: write until one shows (a write before the stream opened is not in it).
    const text = 'Officials said 3 people were killed (GraphiQL).';
    await expect
      .poll(
        async () => {
          if (!(await resultText()).includes(text)) await gateway.graphql(RECORD, { input: statementInput(text) }, bearer(writeKey));
          return resultText();
        },
        { timeout: 30_000, interval: 1_000 },
      )
      .toContain(text);
    expect(await resultText()).toContain('CLAIMED');
    expect(graphiql.errors).toEqual([]);
    expect(requestsOutside(graphiql, gateway.url)).toEqual([]);
    await graphiql.close();
  });
});
