// A PostgreSQL server that stops answering without going away (SIGSTOP: connections stay open,
// bytes are accepted, nothing comes back) or that is shutting down (57P01, 57P03): every request
// is answered in bounded time, with 503 DATABASE_UNAVAILABLE on every route, writes nothing, and
// the gateway recovers by itself. The server is reached through a proxy process
// (test/fixtures/postgres-proxy.ts) that the test freezes and thaws; the server itself, which
// others use, is never signalled. PostgreSQL project only.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApiKey } from '../src/auth/keys.js';
import { loadConfig, type Config } from '../src/config.js';
import { CONNECT_TIMEOUT_MS, openDatabase, type Database } from '../src/db/database.js';
import { applyMigrations } from '../src/db/schema-engine.js';
import { isStatementTimeout } from '../src/db/unavailable.js';
import { createGateway, READINESS_DEADLINE_MS } from '../src/http/gateway.js';
import { bearer } from './support/gateway.js';
import { runScript, waitForLine } from './support/processes.js';
import { databaseUrl, dropDatabase, uniqueName, withServer } from './support/templates.js';

const STATEMENT_TIMEOUT_MS = 1_000;
const TOKEN = 'frozen-database-operator-token';

describe('a PostgreSQL server that stops answering', () => {
  const template = inject('template');
  if (template.backend !== 'postgres') throw new Error('PostgreSQL project only (see serverOnly in vitest.config.ts)');
  const name = uniqueName('gateway_frozen');
  let proxy: ChildProcess;
  let db: Database;
  let server: Server;
  let handler: ReturnType<typeof createGateway>;
  let url: string;
  let config: Config;
  let reader: Record<string, string>;

  beforeAll(async () => {
    await withServer(template.serverUrl, (client) => client.query(`CREATE DATABASE "${name}" TEMPLATE "${template.template}"`));
    const target = new URL(template.serverUrl);
    proxy = runScript('test/fixtures/postgres-proxy.ts', [target.hostname, target.port || '5432'], {}, { stdin: true });
    const [, port] = await waitForLine(proxy, /listening (\d+)/);
    const through = new URL(databaseUrl(template.serverUrl, name));
    through.hostname = '127.0.0.1';
    through.port = port!;
    config = {
      ...loadConfig({
        DATABASE_URL: through.toString(),
        DATABASE_POOL_SIZE: '4',
        DATABASE_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS),
        DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: '1000',
      }),
      production: true,
      logLevel: 'silent',
    };
    db = await openDatabase(config.database);
    handler = createGateway(db, config, { localAdminToken: TOKEN });
    server = createServer(handler);
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    reader = bearer((await createApiKey(db.prisma, 'frozen reader', ['READ'])).secret);
  });
  afterAll(async () => {
    proxy?.kill('SIGCONT');
    server?.closeAllConnections();
    await new Promise((closed) => server?.close(closed));
    await handler?.dispose();
    await db?.close();
    proxy?.kill('SIGKILL');
    await dropDatabase(template.serverUrl, name);
  });

  const command = (line: string) =>
    new Promise<void>((done) => {
      proxy.stdout!.once('data', () => done());
      proxy.stdin!.write(`${line}\n`);
    });

  /** Every kind of request a client sends, each timed: readiness, a query, a keyed query, a write, an export. */
  const everyRoute = () => {
    const graphql = (query: string, headers: Record<string, string> = {}) => ({
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query }),
    });
    const requests: [string, string, RequestInit][] = [
      ['/ready', '/ready', {}],
      ['query', '/graphql', graphql('{ figures(first: 3) { totalCount edges { node { quantity { phrase } } } } }')],
      ['query with a key', '/graphql', graphql('{ statements(first: 2) { totalCount } }', reader)],
      [
        'mutation',
        '/graphql',
        graphql('mutation { createOrganisation(input: { name: "Written while frozen", kind: ARMED_GROUP }) { __typename ... on WriteError { message } } }', {
          authorization: `Bearer local:${TOKEN}`,
        }),
      ],
      ['export', '/export/figures.csv', {}],
    ];
    return Promise.all(
      requests.map(async ([what, path, init]) => {
        const started = performance.now();
        const response = await fetch(`${url}${path}`, init);
        const text = await response.text();
        const json = response.headers.get('content-type')?.startsWith('application/json');
        return { what, status: response.status, ms: performance.now() - started, text, body: (json ? JSON.parse(text) : null) as any };
      }),
    );
  };

  async function untilReady() {
    for (let attempt = 0; attempt < 100; attempt++) {
      if ((await fetch(`${url}/ready`)).status === 200) return;
      await new Promise((wait) => setTimeout(wait, 100));
    }
    throw new Error('never ready again');
  }

  it('starts every connection with statement and idle-in-transaction time limits', async () => {
    const settings = await Promise.all(
      Array.from(
        { length: 4 },
        () =>
          db.prisma.$queryRaw<
            { statement: string; idle: string }[]
          >`SELECT current_setting('statement_timeout') AS statement, current_setting('idle_in_transaction_session_timeout') AS idle, pg_sleep(0.05)::text AS slept`,
      ),
    );
    for (const [row] of settings) expect(row).toMatchObject({ statement: '1s', idle: '1s' });
  });

  it('a statement running past statement_timeout is stopped by the server (a timeout, not an outage)', async () => {
    const error = await db.prisma.$queryRaw`SELECT pg_sleep(3)::text`.catch((e: unknown) => e);
    expect(isStatementTimeout(error)).toBe(true);
  });

  it("migrations run without the serving connections' time limits (an index on a large table takes its time)", async () => {
    const empty = uniqueName('gateway_slow_migration');
    const dir = mkdtempSync(join(tmpdir(), 'gateway-migrations-'));
    await withServer(template.serverUrl, (client) => client.query(`CREATE DATABASE "${empty}"`));
    const limited = await openDatabase({
      ...loadConfig({ DATABASE_URL: databaseUrl(template.serverUrl, empty), DATABASE_STATEMENT_TIMEOUT_MS: '500' }).database,
    });
    try {
      mkdirSync(join(dir, '20990101000000_slow'));
      writeFileSync(join(dir, '20990101000000_slow', 'migration.sql'), 'SELECT pg_sleep(1.5);\nCREATE TABLE "Slow" (id integer);\n');
      expect(await applyMigrations(limited.adapterFactory, dir)).toEqual(['20990101000000_slow']);
    } finally {
      await limited.close();
      rmSync(dir, { recursive: true, force: true });
      await dropDatabase(template.serverUrl, empty);
    }
  });

  it('frozen (SIGSTOP): every route answers 503 DATABASE_UNAVAILABLE in bounded time, nothing is written, and it recovers on SIGCONT', async () => {
    expect((await everyRoute()).map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    const written = await db.prisma.organisation.count({ where: { name: 'Written while frozen' } });

    proxy.kill('SIGSTOP');
    let answers;
    try {
      answers = await everyRoute();
    } finally {
      proxy.kill('SIGCONT');
    }
    // The longest path: a pooled connection's statement gets no answer (statement_timeout + 2 s),
    // then a new connection gets none either (the connect timeout), with a margin for a busy machine.
    const bound = STATEMENT_TIMEOUT_MS + 2_000 + CONNECT_TIMEOUT_MS + 3_000;
    for (const answer of answers) {
      expect(answer.ms, answer.what).toBeLessThan(bound);
      expect(answer.status, `${answer.what}: ${answer.text}`).toBe(503);
      expect(answer.text).not.toMatch(/127\.0\.0\.1|:\d{4,5}\b|prisma|at .*\.(ts|js):\d+/i);
    }
    const [ready, ...rest] = answers;
    expect(ready!.ms).toBeLessThan(READINESS_DEADLINE_MS + 1_000);
    expect(ready!.body).toMatchObject({
      status: 'unavailable',
      reason: 'the primary database does not answer (no answer in time)',
      unavailable: ['the primary database'],
    });
    for (const answer of rest) {
      expect(answer.body.errors[0], answer.what).toMatchObject({
        message: expect.stringMatching(/^The database is unavailable right now/),
        extensions: { code: 'DATABASE_UNAVAILABLE', requestId: expect.any(String) },
      });
    }
    console.log(`frozen: ${answers.map((a) => `${a.what} ${a.status} in ${a.ms.toFixed(0)} ms`).join('; ')}`);

    await untilReady();
    // The write refused while frozen did not happen later either: its transaction never began.
    await new Promise((settle) => setTimeout(settle, 500));
    expect(await db.prisma.organisation.count({ where: { name: 'Written while frozen' } })).toBe(written);
    expect((await everyRoute()).map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(await db.prisma.organisation.count({ where: { name: 'Written while frozen' } })).toBe(written + 1);
  });

  it('shutting down (57P01 for open sessions, 57P03 for new ones): 503 DATABASE_UNAVAILABLE on every route, never 500', async () => {
    await everyRoute(); // the pool holds open sessions
    await command('shutdown');
    let answers;
    try {
      answers = [...(await everyRoute()), ...(await everyRoute())];
    } finally {
      await command('forward');
    }
    for (const answer of answers) {
      expect(answer.status, `${answer.what}: ${answer.text}`).toBe(503);
      if (answer.what !== '/ready') expect(answer.body.errors[0].extensions.code).toBe('DATABASE_UNAVAILABLE');
    }
    expect(answers.map((a) => a.text).join('\n')).toMatch(/shutting down or starting up/);
    await untilReady();
    expect((await everyRoute()).map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
  });
});
