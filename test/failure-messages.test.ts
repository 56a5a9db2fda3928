// What a failure shows: every route answers an internal error as JSON with a request id (the log
// line with that id has the original), never a stack trace; and `npm start` runs in production
// mode unless the operator says otherwise.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { createGateway } from '../src/http/gateway.js';
import { createLogger } from '../src/http/hardening.js';
import { openTestDatabase } from './support/gateway.js';
import { startNpmGateway } from './support/processes.js';

describe('an internal error on an HTTP route', () => {
  it('is JSON with a request id, the original error only in the log under that id', async () => {
    const lines: any[] = [];
    const logger = createLogger({ logLevel: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    const { db, drop } = await openTestDatabase();
    const handler = createGateway(db, { ...loadConfig({}), production: true }, { logger });
    const server = createServer(handler);
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      // Something the gateway does not expect: a table gone from under it.
      await db.prisma.$executeRawUnsafe('ALTER TABLE "Figure" RENAME TO "FigureGone"');
      for (const path of ['/export/figures.csv', '/export/statements.ndjson']) {
        const response = await fetch(`${url}${path}`);
        const requestId = response.headers.get('x-request-id')!;
        expect(response.status, path).toBe(500);
        expect(response.headers.get('content-type')).toMatch(/^application\/json/);
        const text = await response.text();
        expect(JSON.parse(text)).toEqual({
          errors: [{ message: `Unexpected error. Quote request id ${requestId} to the operator.`, extensions: { code: 'INTERNAL_SERVER_ERROR', requestId } }],
        });
        expect(text).not.toMatch(/Figure|prisma|invocation|\.ts:\d+|node_modules/i);
        const logged = lines.find((line) => line.requestId === requestId && line.msg === 'unexpected error');
        expect(logged?.level).toBe(50);
        expect(JSON.stringify(logged.err)).toMatch(/Figure/);
      }
    } finally {
      await db.prisma.$executeRawUnsafe('ALTER TABLE "FigureGone" RENAME TO "Figure"').catch(() => {});
      server.closeAllConnections();
      await new Promise((closed) => server.close(closed));
      await handler.dispose();
      await db.close();
      await drop();
    }
  });
});

describe.runIf(inject('template').backend === 'pglite')('npm start', () => {
  /** Runs an npm script with NODE_ENV unset, on a throwaway database; returns two probes' answers. */
  async function probe(script: string) {
    const gateway = await startNpmGateway(script, { DATABASE_URL: 'memory:', LOG_LEVEL: 'warn' });
    try {
      const post = async (query: string) =>
        (await (
          await fetch(`${gateway.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) })
        ).json()) as any;
      return { plain: await post('{ __typename }'), typo: await post('{ figures(filter: { metrics: [KILED] }) { totalCount } }') };
    } finally {
      await gateway.stop();
    }
  }

  it('runs in production mode by default: no SQL counts, no suggestions', async () => {
    const production = await probe('start');
    expect(production.plain).toEqual({ data: { __typename: 'Query' } });
    expect(production.typo.errors[0].message).toBe('Value "KILED" does not exist in "FigureMetric" enum. [Suggestion hidden]');
  });

  it('stops on a SIGTERM sent to the very process `npm start` made (no wrapper swallows it)', async () => {
    const env: Record<string, string | undefined> = { ...process.env, DATABASE_URL: 'memory:', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn' };
    const child = spawn('npm', ['start'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk));
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    const port = await new Promise<string>((found) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk;
        const match = /localhost:(\d+)\/graphql/.exec(output);
        if (match) found(match[1]!);
      });
    });
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    // The gateway itself is gone: the port no longer answers.
    await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
  });

  it('leaves development mode to `npm run dev`, and to an operator who sets NODE_ENV', () => {
    const { scripts } = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };
    expect(scripts.start).toBe('NODE_ENV=${NODE_ENV:-production} exec node --enable-source-maps dist/server.js');
    expect(scripts.dev).toBe('NODE_ENV=${NODE_ENV:-development} tsx src/server.ts');
  });
});
