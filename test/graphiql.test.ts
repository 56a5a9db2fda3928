import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { createSchema, createYoga, type Plugin } from 'graphql-yoga';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRAPHIQL_ASSETS_PATH, graphiqlAssetResponse, renderGraphiQL } from '../src/http/graphiql.js';

const distDir = join(dirname(createRequire(import.meta.url).resolve('@graphql-yoga/graphiql/package.json')), 'dist');

// How the gateway wires the assets: a yoga plugin that answers asset URLs before yoga routes the request.
const graphiqlAssets: Plugin = {
  async onRequest({ request, endResponse }) {
    const response = await graphiqlAssetResponse(request);
    if (response) endResponse(response);
  },
};

let server: Server;
let origin: string;

beforeAll(async () => {
  const yoga = createYoga({
    schema: createSchema({ typeDefs: 'type Query { hello: String! }', resolvers: { Query: { hello: () => 'world' } } }),
    graphqlEndpoint: '/graphql',
    graphiql: { defaultQuery: '{ hello }', title: 'Claims Gateway' },
    renderGraphiQL,
    plugins: [graphiqlAssets],
    logging: false,
  });
  server = createServer(yoga);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const getPage = async () => {
  const res = await fetch(`${origin}/graphql`, { headers: { accept: 'text/html' } });
  return { res, html: await res.text() };
};

// fetch() normalises `..` and some escapes client-side, so traversal attempts go out through node:http verbatim.
const rawGet = (path: string) =>
  new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = httpRequest(`${origin}/`, { path }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });

describe('self-hosted GraphiQL', () => {
  it('serves the GraphiQL page at GET /graphql with the yoga graphiql options', async () => {
    const { res, html } = await getPage();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(html).toContain('<title>Claims Gateway</title>');
    expect(html).toContain('YogaGraphiQL.renderYogaGraphiQL');
    expect(html).toContain('"defaultQuery":"{ hello }"');
  });

  it('serves every asset the page references, workers included, from the same server', async () => {
    const { html } = await getPage();
    const tagUrls = [...html.matchAll(/\s(?:src|href)="([^"]+)"/g)].map((m) => m[1]!).filter((u) => !u.startsWith('data:'));
    const workerUrls = Object.values(JSON.parse(/const workerUrls = (\{.*?\});/.exec(html)![1]!) as Record<string, string>);
    expect(tagUrls).toHaveLength(2); // stylesheet + bundle
    expect(workerUrls).toHaveLength(3);

    for (const url of [...tagUrls, ...workerUrls]) {
      expect(url.startsWith(GRAPHIQL_ASSETS_PATH), url).toBe(true);
      const res = await fetch(new URL(url, origin), { headers: { 'accept-encoding': 'identity' } });
      expect(res.status, url).toBe(200);
      expect(res.headers.get('content-type'), url).toMatch(url.includes('.css') ? /^text\/css/ : /^text\/javascript/);
      expect(res.headers.get('cache-control'), url).toContain('immutable');
      const file = new URL(url, origin).pathname.slice(GRAPHIQL_ASSETS_PATH.length);
      expect(Buffer.from(await res.arrayBuffer()).equals(await readFile(join(distDir, file))), url).toBe(true);
    }
  });

  it('gzips assets for clients that accept it', async () => {
    const res = await fetch(`${origin}${GRAPHIQL_ASSETS_PATH}yoga-graphiql.umd.js`, {
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(await res.text()).toContain('renderYogaGraphiQL');
  });

  it('references no external host', async () => {
    const { html } = await getPage();
    expect(html.match(/https?:\/\/[^\s"'<>)]+/g) ?? []).toEqual([]);
    expect(html).not.toMatch(/(?:src|href)="\/\//);
  });

  it('escapes options so they cannot break out of the page', () => {
    const html = renderGraphiQL({ title: '<b>x</b>', defaultQuery: '</script><script>alert(1)</script>' });
    expect(html).toContain('<title>&#60;b&#62;x&#60;/b&#62;</title>');
    expect(html).not.toContain('</script><script>alert(1)');
  });

  it.each([
    '/graphiql/assets/../../package.json',
    '/graphiql/assets/%2e%2e/%2e%2e/package.json',
    '/graphiql/assets/..%2f..%2fpackage.json',
    '/graphiql/assets/%2e%2e%2f%2e%2e%2fpackage.json',
    '/graphiql/assets/%252e%252e%252fpackage.json',
    '/graphiql/assets/monacoeditorwork/..%2F..%2F..%2Fpackage.json',
    '/graphiql/assets/..%5c..%5cpackage.json',
    '/graphiql/assets/yoga-graphiql.es.js', // in dist, but not allow-listed
    '/graphiql/assets/',
  ])('refuses %s', async (path) => {
    const { status, body } = await rawGet(path);
    expect(status).toBe(404);
    expect(body).not.toContain('"version"');
  });

  it('rejects non-GET methods on assets', async () => {
    const res = await fetch(`${origin}${GRAPHIQL_ASSETS_PATH}graphiql.css`, { method: 'POST' });
    expect(res.status).toBe(405);
  });

  it('still answers GraphQL on the same endpoint', async () => {
    const res = await fetch(`${origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ hello }' }),
    });
    expect(await res.json()).toEqual({ data: { hello: 'world' } });
  });
});
