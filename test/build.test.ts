// The built gateway (`npm run build`: a bundle over the compiled files, scripts/build.mjs) finds
// what its modules read beside themselves as the modules themselves would: the database's worker
// file, the seed archive, the GraphQL documents, the packages it resolves. `npm start` on a new
// data directory is made from the archive and answers every kind of route that reads such a file.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startNpmGateway } from './support/processes.js';

const dir = mkdtempSync(join(tmpdir(), 'gateway-build-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the built gateway', () => {
  it('is the bundle: the server and the database thread are each one file of the build', () => {
    for (const [file, entry] of [
      ['dist/server.js', 'src/server.ts'],
      ['dist/db/embedded-worker.js', 'src/db/embedded-worker.ts'],
    ]) {
      const text = readFileSync(file!, 'utf8');
      expect(text, file).toContain(`// ${entry}\n`); // esbuild's line before each module it bundled
      expect(text, file).not.toMatch(/from '\.\.?\/(db|seed|config)/); // tsc's output imports the modules one by one
    }
  });

  it('starts on a new data directory from the seed archive and answers what reads files beside its modules', async () => {
    const dataDir = join(dir, 'data');
    const gateway = await startNpmGateway('start', { DATABASE_URL: `file:${dataDir}`, LOG_LEVEL: 'info' });
    try {
      const { url } = gateway;
      const output = gateway.output();
      // Made from the archive (src/seed/archive.ts, beside dist/seed/): nothing migrated, nothing seeded.
      expect(output).toMatch(/"msg":"Applied 0 migrations"/);
      expect(output).not.toMatch(/Loaded the seed article/);
      expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(true); // the database's worker file (src/db/embedded.ts) ran

      const answer = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"query":"{ statements(first: 1) { totalCount } }"}',
      });
      expect(((await answer.json()) as any).data.statements.totalCount).toBeGreaterThan(0);

      // The index page's document (src/pages/incident-index.graphql) and its validators, which hash
      // the files of src/charts and src/pages (src/http/freshness.ts).
      const page = await fetch(`${url}/incidents`);
      expect(page.status).toBe(200);
      expect(page.headers.get('etag')).toMatch(/^"/);
      expect(await page.text()).toContain(encodeURIComponent('query IncidentIndex'));

      // GraphiQL opened on the example query (src/http/example-query.graphql), its assets found
      // through the package it resolves (src/http/graphiql.ts).
      const graphiql = await fetch(`${url}/graphql`, { headers: { accept: 'text/html' } });
      expect(await graphiql.text()).toMatch(/WhoClaimedWhichFigures/);
      const asset = await fetch(`${url}/graphiql/assets/graphiql.css`);
      expect(asset.status).toBe(200);
    } finally {
      await gateway.stop();
    }
  });
});
